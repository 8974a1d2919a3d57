package dev.edgetwin.cloud;

import dev.edgetwin.cloud.kube.KubeSettings;
import dev.edgetwin.log.FsyncPolicy;
import dev.edgetwin.node.http.ApiOptions;

import java.nio.file.Path;

/**
 * A cloud node's settings (flags of {@link CloudMain}, DESIGN.md section 8).
 *
 * @param kube         run the Kubernetes Device CRD bridge
 * @param tokenFile    per-edge sync tokens, or null to accept any edge (development only)
 * @param api          REST API settings (token file, limits)
 * @param kubeSettings the bridge's settings (used when {@code kube})
 */
public record CloudConfig(String nodeId, Path dataDir, String bind, int httpPort, boolean kube, Path tokenFile,
                          FsyncPolicy fsync, ApiOptions api, KubeSettings kubeSettings) {

    /** Loopback, a free port, no tokens, no Kubernetes: for tests. */
    public static CloudConfig local(String nodeId, Path dataDir) {
        return new CloudConfig(nodeId, dataDir, "127.0.0.1", 0, false, null, FsyncPolicy.DEFAULT, ApiOptions.DEFAULT,
                KubeSettings.defaults());
    }

    public CloudConfig withApi(ApiOptions options) {
        return new CloudConfig(nodeId, dataDir, bind, httpPort, kube, tokenFile, fsync, options, kubeSettings);
    }

    /** This configuration with the Kubernetes bridge on, with {@code settings}. */
    public CloudConfig withKube(KubeSettings settings) {
        return new CloudConfig(nodeId, dataDir, bind, httpPort, true, tokenFile, fsync, api, settings);
    }
}
