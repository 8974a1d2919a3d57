package dev.edgetwin.cloud;

import dev.edgetwin.cloud.kube.KubeSettings;
import dev.edgetwin.log.FsyncPolicy;
import dev.edgetwin.log.ProjectionOptions;
import dev.edgetwin.log.chronicle.JournalOptions;
import dev.edgetwin.node.http.ApiOptions;
import dev.edgetwin.sync.SyncOptions;

import java.nio.file.Path;

/**
 * A cloud node's settings (flags of {@link CloudMain}, DESIGN.md section 8).
 *
 * @param kube         run the Kubernetes Device CRD bridge
 * @param tokenFile    per-edge sync tokens, or null to accept any edge (development only)
 * @param tlsCert      PEM certificate chain to serve HTTPS and wss:// with (with {@code tlsKey}), or null
 * @param tlsKey       PEM private key of {@code tlsCert}, or null
 * @param sync         sync protocol limits
 * @param api          REST API settings (token file, limits)
 * @param kubeSettings the bridge's settings (used when {@code kube})
 * @param projection   the projection's twin cache and commit bounds
 * @param journalWarmAhead bytes of the journal's active file kept cached ahead of its write position, and of the
 *                     next cycle's file made before the roll; 0 = off ({@link JournalOptions#warmAheadBytes})
 */
public record CloudConfig(String nodeId, Path dataDir, String bind, int httpPort, boolean kube, Path tokenFile,
                          FsyncPolicy fsync, Path tlsCert, Path tlsKey, SyncOptions sync, ApiOptions api,
                          KubeSettings kubeSettings, ProjectionOptions projection, long journalWarmAhead) {

    public CloudConfig {
        if ((tlsCert == null) != (tlsKey == null)) throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        if (sync == null) sync = SyncOptions.DEFAULT;
        if (api == null) api = ApiOptions.DEFAULT;
        if (kubeSettings == null) kubeSettings = KubeSettings.defaults();
        if (projection == null) projection = ProjectionOptions.DEFAULT;
        if (journalWarmAhead < 0) throw new IllegalArgumentException("--journal-warm-ahead must be >= 0 (0 = off), got " + journalWarmAhead);
    }

    /** Loopback, a free port, no tokens, no TLS, no Kubernetes: for tests. */
    public static CloudConfig local(String nodeId, Path dataDir) {
        return new CloudConfig(nodeId, dataDir, "127.0.0.1", 0, false, null, FsyncPolicy.DEFAULT, null, null, SyncOptions.DEFAULT,
                ApiOptions.DEFAULT, KubeSettings.defaults(), ProjectionOptions.DEFAULT,
                JournalOptions.DEFAULT_WARM_AHEAD_BYTES);
    }

    public CloudConfig withTokenFile(Path file) {
        return new CloudConfig(nodeId, dataDir, bind, httpPort, kube, file, fsync, tlsCert, tlsKey, sync, api, kubeSettings, projection, journalWarmAhead);
    }

    public CloudConfig withTls(Path cert, Path key) {
        return new CloudConfig(nodeId, dataDir, bind, httpPort, kube, tokenFile, fsync, cert, key, sync, api, kubeSettings, projection, journalWarmAhead);
    }

    public CloudConfig withSync(SyncOptions options) {
        return new CloudConfig(nodeId, dataDir, bind, httpPort, kube, tokenFile, fsync, tlsCert, tlsKey, options, api, kubeSettings, projection, journalWarmAhead);
    }

    public CloudConfig withHttpPort(int port) {
        return new CloudConfig(nodeId, dataDir, bind, port, kube, tokenFile, fsync, tlsCert, tlsKey, sync, api, kubeSettings, projection, journalWarmAhead);
    }

    public CloudConfig withApi(ApiOptions options) {
        return new CloudConfig(nodeId, dataDir, bind, httpPort, kube, tokenFile, fsync, tlsCert, tlsKey, sync, options, kubeSettings, projection, journalWarmAhead);
    }

    /** This configuration with the Kubernetes bridge on, with {@code settings}. */
    public CloudConfig withKube(KubeSettings settings) {
        return new CloudConfig(nodeId, dataDir, bind, httpPort, true, tokenFile, fsync, tlsCert, tlsKey, sync, api, settings, projection, journalWarmAhead);
    }

    public CloudConfig withProjection(ProjectionOptions options) {
        return new CloudConfig(nodeId, dataDir, bind, httpPort, kube, tokenFile, fsync, tlsCert, tlsKey, sync, api, kubeSettings, options, journalWarmAhead);
    }

    /** Keeps this many bytes of the journal's active file cached ahead of its write position (0: off). */
    public CloudConfig withJournalWarmAhead(long bytes) {
        return new CloudConfig(nodeId, dataDir, bind, httpPort, kube, tokenFile, fsync, tlsCert, tlsKey, sync, api, kubeSettings, projection, bytes);
    }
}
