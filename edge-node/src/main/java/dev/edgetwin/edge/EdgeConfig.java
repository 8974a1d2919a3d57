package dev.edgetwin.edge;

import dev.edgetwin.edge.mqtt.MqttSettings;
import dev.edgetwin.log.FsyncPolicy;
import dev.edgetwin.log.ProjectionOptions;
import dev.edgetwin.log.chronicle.JournalOptions;
import dev.edgetwin.node.http.ApiOptions;
import dev.edgetwin.sync.SyncOptions;
import dev.edgetwin.sync.vertx.EdgeRetention;

import java.nio.file.Path;
import java.time.Duration;

/**
 * An edge node's settings (flags of {@link EdgeMain}, DESIGN.md section 8).
 *
 * @param cloudUrl       the cloud's sync endpoint ({@code ws://host:8080/sync/v1} or {@code wss://…}), null to run alone
 * @param token          this node's bearer token for the cloud, may be null
 * @param mqtt           the MQTT side: embedded broker ({@code --mqtt-port}) or external broker
 *                       ({@code --mqtt-broker}), credentials and limits
 * @param api            REST API settings (token file, limits)
 * @param cloudCa        PEM CA certificate(s) to trust for {@code wss://}, null for the JVM's trust store
 * @param sync           sync protocol limits
 * @param reconnectMinMs first reconnect backoff cap
 * @param reconnectMaxMs largest reconnect backoff cap
 * @param retention      journal retention (age, budget, free-space floor); never trims what the cloud did not acknowledge
 * @param journalRoll    journal file granularity, hence retention's: {@code daily}, {@code hourly} or {@code five-minutely}
 * @param projection     the projection's twin cache and commit bounds
 * @param tlsCert        PEM certificate chain to serve the REST API over HTTPS with (with {@code tlsKey}), or null
 * @param tlsKey         PEM private key of {@code tlsCert}, or null
 * @param journalWarmAhead bytes of the journal's active file kept cached ahead of its write position, and of the
 *                       next cycle's file made before the roll; 0 = off ({@link JournalOptions#warmAheadBytes})
 */
public record EdgeConfig(String nodeId, Path dataDir, String bind, int httpPort, String cloudUrl, String token,
                         FsyncPolicy fsync, MqttSettings mqtt, ApiOptions api, Path cloudCa, SyncOptions sync,
                         long reconnectMinMs, long reconnectMaxMs, EdgeRetention.Options retention, String journalRoll,
                         ProjectionOptions projection, Path tlsCert, Path tlsKey, long journalWarmAhead) {

    public static final EdgeRetention.Options NO_RETENTION = new EdgeRetention.Options(Duration.ZERO, 0, 0, Duration.ofSeconds(10));

    public EdgeConfig {
        if (api == null) api = ApiOptions.DEFAULT;
        if (sync == null) sync = SyncOptions.DEFAULT;
        if (retention == null) retention = NO_RETENTION;
        if (journalRoll == null) journalRoll = "daily";
        if (projection == null) projection = ProjectionOptions.DEFAULT;
        JournalOptions.rollCycleNamed(journalRoll);
        if ((tlsCert == null) != (tlsKey == null)) throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        if (journalWarmAhead < 0) throw new IllegalArgumentException("--journal-warm-ahead must be >= 0 (0 = off), got " + journalWarmAhead);
        if (reconnectMinMs < 1 || reconnectMaxMs < reconnectMinMs) {
            throw new IllegalArgumentException("--reconnect-min-ms must be >= 1 and <= --reconnect-max-ms");
        }
    }

    /** Loopback, free ports, no cloud, embedded broker, no retention: for tests. */
    public static EdgeConfig local(String nodeId, Path dataDir) {
        return new EdgeConfig(nodeId, dataDir, "127.0.0.1", 0, null, null, FsyncPolicy.DEFAULT,
                MqttSettings.embedded(nodeId, "127.0.0.1", 0), ApiOptions.DEFAULT, null, SyncOptions.DEFAULT,
                250, 30_000, NO_RETENTION, "daily", ProjectionOptions.DEFAULT, null, null,
                JournalOptions.DEFAULT_WARM_AHEAD_BYTES);
    }

    public EdgeConfig withCloud(String url, String token) {
        return new EdgeConfig(nodeId, dataDir, bind, httpPort, url, token, fsync, mqtt, api, cloudCa, sync, reconnectMinMs,
                reconnectMaxMs, retention, journalRoll, projection, tlsCert, tlsKey, journalWarmAhead);
    }

    public EdgeConfig withCloudCa(Path ca) {
        return new EdgeConfig(nodeId, dataDir, bind, httpPort, cloudUrl, token, fsync, mqtt, api, ca, sync, reconnectMinMs,
                reconnectMaxMs, retention, journalRoll, projection, tlsCert, tlsKey, journalWarmAhead);
    }

    public EdgeConfig withSync(SyncOptions options, long minMs, long maxMs) {
        return new EdgeConfig(nodeId, dataDir, bind, httpPort, cloudUrl, token, fsync, mqtt, api, cloudCa, options, minMs, maxMs,
                retention, journalRoll, projection, tlsCert, tlsKey, journalWarmAhead);
    }

    public EdgeConfig withRetention(EdgeRetention.Options options, String roll) {
        return new EdgeConfig(nodeId, dataDir, bind, httpPort, cloudUrl, token, fsync, mqtt, api, cloudCa, sync, reconnectMinMs,
                reconnectMaxMs, options, roll, projection, tlsCert, tlsKey, journalWarmAhead);
    }

    public EdgeConfig withFsync(FsyncPolicy policy) {
        return new EdgeConfig(nodeId, dataDir, bind, httpPort, cloudUrl, token, policy, mqtt, api, cloudCa, sync, reconnectMinMs,
                reconnectMaxMs, retention, journalRoll, projection, tlsCert, tlsKey, journalWarmAhead);
    }

    public EdgeConfig withMqtt(MqttSettings settings) {
        return new EdgeConfig(nodeId, dataDir, bind, httpPort, cloudUrl, token, fsync, settings, api, cloudCa, sync, reconnectMinMs,
                reconnectMaxMs, retention, journalRoll, projection, tlsCert, tlsKey, journalWarmAhead);
    }

    public EdgeConfig withApi(ApiOptions options) {
        return new EdgeConfig(nodeId, dataDir, bind, httpPort, cloudUrl, token, fsync, mqtt, options, cloudCa, sync, reconnectMinMs,
                reconnectMaxMs, retention, journalRoll, projection, tlsCert, tlsKey, journalWarmAhead);
    }

    public EdgeConfig withProjection(ProjectionOptions options) {
        return new EdgeConfig(nodeId, dataDir, bind, httpPort, cloudUrl, token, fsync, mqtt, api, cloudCa, sync, reconnectMinMs,
                reconnectMaxMs, retention, journalRoll, options, tlsCert, tlsKey, journalWarmAhead);
    }

    /** Serves the REST API over HTTPS with this PEM certificate chain and private key (both null: plain HTTP). */
    public EdgeConfig withTls(Path cert, Path key) {
        return new EdgeConfig(nodeId, dataDir, bind, httpPort, cloudUrl, token, fsync, mqtt, api, cloudCa, sync, reconnectMinMs,
                reconnectMaxMs, retention, journalRoll, projection, cert, key, journalWarmAhead);
    }

    /** Keeps this many bytes of the journal's active file cached ahead of its write position (0: off). */
    public EdgeConfig withJournalWarmAhead(long bytes) {
        return new EdgeConfig(nodeId, dataDir, bind, httpPort, cloudUrl, token, fsync, mqtt, api, cloudCa, sync, reconnectMinMs,
                reconnectMaxMs, retention, journalRoll, projection, tlsCert, tlsKey, bytes);
    }
}
