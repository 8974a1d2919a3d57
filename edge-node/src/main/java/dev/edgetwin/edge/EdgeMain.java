package dev.edgetwin.edge;

import dev.edgetwin.edge.mqtt.MqttSettings;
import dev.edgetwin.edge.mqtt.broker.Acl;
import dev.edgetwin.edge.mqtt.broker.Credentials;
import dev.edgetwin.node.NodeFlags;
import dev.edgetwin.node.NodeMain;
import dev.edgetwin.node.SyncFlags;
import dev.edgetwin.sync.vertx.EdgeRetention;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code bin/twin-edge}: flags of DESIGN.md section 8, each also an environment variable. */
@Command(name = "twin-edge", mixinStandardHelpOptions = true, sortOptions = false,
        description = "EdgeTwin edge node: MQTT twin topics (KubeEdge-compatible), edge REST API, sync with the cloud.")
public final class EdgeMain implements NodeMain.Command {
    @Mixin
    NodeFlags node;

    @Option(names = "--http-port", defaultValue = "8081", description = "REST API port, 0 = pick a free one (default: ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--mqtt-port", defaultValue = "1883", description = "embedded MQTT broker port, 0 = pick a free one (default: ${DEFAULT-VALUE})")
    int mqttPort;

    @Option(names = "--mqtt-ws-port", description = "the embedded broker also serves MQTT over WebSocket on this port, path /mqtt "
            + "(for browsers; wss:// with --mqtt-tls-cert), 0 = pick a free one (default: none)")
    Integer mqttWsPort;

    @Option(names = "--mqtt-acl", description = "access control list of the embedded broker: which topics each user may read and write "
            + "(mosquitto's acl_file syntax: user, topic, pattern lines; edge-node/MQTT.md) (default: any client, any topic)")
    Path mqttAcl;

    @Option(names = "--mqtt-broker", description = "use this external MQTT broker (tcp://host:1883, or over TLS ssl://host:8883) instead of the embedded one")
    String mqttBroker;

    @Option(names = "--mqtt-broker-ca", description = "PEM CA certificate(s) to trust for an ssl:// --mqtt-broker (default: the JVM's trust store)")
    Path mqttBrokerCa;

    @Option(names = "--mqtt-users", description = "users file of the embedded broker: name:password or name:sha256:<hex> per line (default: anonymous access)")
    Path mqttUsers;

    @Option(names = "--mqtt-username", description = "user name at the external broker (--mqtt-broker)")
    String mqttUsername;

    @Option(names = "--mqtt-password", description = "password at the external broker (--mqtt-broker)")
    String mqttPassword;

    @Option(names = "--mqtt-config", description = "MQTT limits and options, a properties file (keys in edge-node/MQTT.md)")
    Path mqttConfig;

    @Option(names = "--tls-cert", description = "PEM certificate chain: serve the REST API over HTTPS (with --tls-key)")
    Path tlsCert;

    @Option(names = "--tls-key", description = "PEM private key of --tls-cert")
    Path tlsKey;

    @Option(names = "--mqtt-tls-cert", description = "PEM certificate chain: the embedded broker speaks MQTT over TLS (with --mqtt-tls-key; "
            + "the usual port is 8883)")
    Path mqttTlsCert;

    @Option(names = "--mqtt-tls-key", description = "PEM private key of --mqtt-tls-cert")
    Path mqttTlsKey;

    @Option(names = "--cloud", description = "the cloud's sync endpoint, e.g. ws://cloud:8080/sync/v1 (none: run alone)")
    String cloud;

    @Option(names = "--token", description = "bearer token of this node for the cloud")
    String token;

    @Option(names = "--cloud-ca", description = "PEM CA certificate(s) to trust for a wss:// cloud (default: the JVM's trust store)")
    Path cloudCa;

    @Option(names = "--reconnect-min-ms", defaultValue = "250", description = "first reconnect backoff cap (default: ${DEFAULT-VALUE})")
    long reconnectMinMs;

    @Option(names = "--reconnect-max-ms", defaultValue = "30000", description = "largest reconnect backoff cap (default: ${DEFAULT-VALUE})")
    long reconnectMaxMs;

    @Mixin
    SyncFlags sync;

    @Option(names = "--retention", defaultValue = "0",
            description = "trim journal files older than this (7d, 12h, 30m; 0 = keep), never before the cloud acknowledged them (default: ${DEFAULT-VALUE})")
    String retention;

    @Option(names = "--journal-max-bytes", defaultValue = "0",
            description = "journal budget: trim acknowledged files beyond it, refuse local writes (twin:storage.full) while over it (0 = none; default: ${DEFAULT-VALUE})")
    long journalMaxBytes;

    @Option(names = "--journal-min-free-bytes", defaultValue = "268435456",
            description = "free space to keep on the journal's disk: below it, trim everything acknowledged and refuse local writes (0 = none; default: ${DEFAULT-VALUE})")
    long journalMinFreeBytes;

    @Option(names = "--journal-roll", defaultValue = "daily",
            description = "journal file granularity, hence retention's: daily, hourly, five-minutely (default: ${DEFAULT-VALUE}; existing files keep theirs)")
    String journalRoll;

    @Override
    public NodeMain.Running start() {
        EdgeNode node = EdgeNode.start(config());
        HangUp.reloadOnSignal(node);
        return node;
    }

    /** The settings these flags describe; throws {@link IllegalArgumentException} naming a bad flag. */
    EdgeConfig config() {
        node.validate();
        MqttSettings mqtt = MqttSettings.embedded(node.nodeId, node.bind, NodeFlags.port("--mqtt-port", mqttPort));
        if (mqttConfig != null) mqtt = mqtt.withFile(mqttConfig);
        if (mqttUsers != null) mqtt = mqtt.withUsers(Credentials.load(mqttUsers));
        if (mqttBroker != null && !mqttBroker.isBlank()) {
            mqtt = mqtt.withExternal(MqttSettings.parseExternal(mqttBroker), mqttUsername, mqttPassword);
        }
        if (mqttBrokerCa != null) {
            if (!mqtt.externalTls()) throw new IllegalArgumentException("--mqtt-broker-ca is for an ssl:// --mqtt-broker");
            mqtt = mqtt.withExternalCa(readable("--mqtt-broker-ca", mqttBrokerCa));
        }
        if (mqttAcl != null) {
            if (mqtt.external() != null) throw new IllegalArgumentException("--mqtt-acl is for the embedded broker, not with --mqtt-broker");
            mqtt = mqtt.withAcl(Acl.load(mqttAcl));
        }
        if (mqttWsPort != null) {
            if (mqtt.external() != null) throw new IllegalArgumentException("--mqtt-ws-port is for the embedded broker, not with --mqtt-broker");
            mqtt = mqtt.withWebSocketPort(NodeFlags.port("--mqtt-ws-port", mqttWsPort));
        }
        if (mqttTlsCert != null || mqttTlsKey != null) {
            if (mqtt.external() != null) throw new IllegalArgumentException("--mqtt-tls-cert is for the embedded broker, not with --mqtt-broker");
            mqtt = mqtt.withTls(readable("--mqtt-tls-cert", mqttTlsCert), readable("--mqtt-tls-key", mqttTlsKey));
        }
        return new EdgeConfig(node.nodeId, node.dataDir, node.bind, NodeFlags.port("--http-port", httpPort), cloud, token,
                node.fsyncPolicy(), mqtt, node.apiOptions(), cloudCa, sync.options(), reconnectMinMs, reconnectMaxMs, retention(),
                journalRoll, node.projectionOptions(), tlsCert == null && tlsKey == null ? null : readable("--tls-cert", tlsCert),
                tlsCert == null && tlsKey == null ? null : readable("--tls-key", tlsKey), node.journalWarmAhead);
    }

    /** {@code file}, which a TLS flag names; an error naming the flag when it is missing or cannot be read. */
    private static Path readable(String flag, Path file) {
        if (file == null) throw new IllegalArgumentException(flag + " is missing: a certificate chain and its private key go together");
        if (!Files.isReadable(file)) throw new IllegalArgumentException(flag + ": cannot read " + file);
        return file;
    }

    private EdgeRetention.Options retention() {
        try {
            return new EdgeRetention.Options(NodeFlags.duration("--retention", retention), journalMaxBytes, journalMinFreeBytes,
                    java.time.Duration.ofSeconds(10));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith("--") ? e.getMessage() : "--journal-*: " + e.getMessage(), e);
        }
    }

    /** Parses flags (and EDGETWIN_* variables) into settings, for running an edge inside another program. */
    public static EdgeConfig parse(String... args) {
        return NodeMain.parse(new EdgeMain(), args).config();
    }

    public static void main(String[] args) {
        int code = NodeMain.run(new EdgeMain(), args);
        if (code != 0) System.exit(code);
    }
}
