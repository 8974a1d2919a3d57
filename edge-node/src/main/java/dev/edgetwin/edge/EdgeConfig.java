package dev.edgetwin.edge;

import dev.edgetwin.log.FsyncPolicy;
import dev.edgetwin.log.chronicle.JournalOptions;
import dev.edgetwin.sync.SyncOptions;
import dev.edgetwin.sync.vertx.EdgeRetention;

import java.nio.file.Path;
import java.time.Duration;

/**
 * An edge node's settings (flags of {@link EdgeMain}, DESIGN.md section 8).
 *
 * @param cloudUrl       the cloud's sync endpoint ({@code ws://host:8080/sync/v1} or {@code wss://…}), null to run alone
 * @param token          this node's bearer token for the cloud, may be null
 * @param mqttBroker     an external broker ({@code tcp://host:1883}) instead of the embedded one, or null
 * @param cloudCa        PEM CA certificate(s) to trust for {@code wss://}, null for the JVM's trust store
 * @param sync           sync protocol limits
 * @param reconnectMinMs first reconnect backoff cap
 * @param reconnectMaxMs largest reconnect backoff cap
 * @param retention      journal retention (age, budget, free-space floor); never trims what the cloud did not acknowledge
 * @param journalRoll    journal file granularity, hence retention's: {@code daily}, {@code hourly} or {@code five-minutely}
 */
public record EdgeConfig(String nodeId, Path dataDir, String bind, int httpPort, int mqttPort, String cloudUrl,
                         String token, String mqttBroker, FsyncPolicy fsync, Path cloudCa, SyncOptions sync,
                         long reconnectMinMs, long reconnectMaxMs, EdgeRetention.Options retention, String journalRoll) {

    public static final EdgeRetention.Options NO_RETENTION = new EdgeRetention.Options(Duration.ZERO, 0, 0, Duration.ofSeconds(10));

    public EdgeConfig {
        if (sync == null) sync = SyncOptions.DEFAULT;
        if (retention == null) retention = NO_RETENTION;
        if (journalRoll == null) journalRoll = "daily";
        JournalOptions.rollCycleNamed(journalRoll);
        if (reconnectMinMs < 1 || reconnectMaxMs < reconnectMinMs) {
            throw new IllegalArgumentException("--reconnect-min-ms must be >= 1 and <= --reconnect-max-ms");
        }
    }

    /** Loopback, free ports, no cloud: for tests. */
    public static EdgeConfig local(String nodeId, Path dataDir) {
        return new EdgeConfig(nodeId, dataDir, "127.0.0.1", 0, 0, null, null, null, FsyncPolicy.DEFAULT, null, SyncOptions.DEFAULT,
                250, 30_000, NO_RETENTION, "daily");
    }

    public EdgeConfig withCloud(String url, String token) {
        return new EdgeConfig(nodeId, dataDir, bind, httpPort, mqttPort, url, token, mqttBroker, fsync, cloudCa, sync, reconnectMinMs,
                reconnectMaxMs, retention, journalRoll);
    }

    public EdgeConfig withCloudCa(Path ca) {
        return new EdgeConfig(nodeId, dataDir, bind, httpPort, mqttPort, cloudUrl, token, mqttBroker, fsync, ca, sync, reconnectMinMs,
                reconnectMaxMs, retention, journalRoll);
    }

    public EdgeConfig withSync(SyncOptions options, long minMs, long maxMs) {
        return new EdgeConfig(nodeId, dataDir, bind, httpPort, mqttPort, cloudUrl, token, mqttBroker, fsync, cloudCa, options, minMs, maxMs,
                retention, journalRoll);
    }

    public EdgeConfig withRetention(EdgeRetention.Options options, String roll) {
        return new EdgeConfig(nodeId, dataDir, bind, httpPort, mqttPort, cloudUrl, token, mqttBroker, fsync, cloudCa, sync, reconnectMinMs,
                reconnectMaxMs, options, roll);
    }
}
