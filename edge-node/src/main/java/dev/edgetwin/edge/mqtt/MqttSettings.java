package dev.edgetwin.edge.mqtt;

import dev.edgetwin.edge.kubeedge.KubeEdgeSettings;
import dev.edgetwin.edge.mqtt.broker.Acl;
import dev.edgetwin.edge.mqtt.broker.Broker;
import dev.edgetwin.edge.mqtt.broker.Credentials;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The edge's MQTT settings: where the embedded broker listens or which external broker to use,
 * credentials, and every limit. Flags set the first ones; the limits come from an optional
 * settings file ({@code --mqtt-config}, Java properties; keys in edge-node/MQTT.md) over the
 * defaults below.
 *
 * @param bind              address of the embedded broker
 * @param port              its port (0: pick a free one)
 * @param external          an external broker {@code tcp://host:port} to use instead, or null
 * @param users             who may connect to the embedded broker
 * @param username          user for the external broker, or null
 * @param password          password for the external broker, or null
 * @param broker            sessions, in-flight window, queues, retained store, topic length
 * @param twin              limits and options of the KubeEdge twin topics
 * @param maxMessageBytes   largest MQTT packet the embedded broker reads (larger: the connection is closed)
 * @param maxClientIdLength longest client id the embedded broker accepts
 * @param connectTimeoutSeconds time a new connection has to send CONNECT
 * @param clientId          the edge's client id at an external broker
 * @param keepAliveSeconds  the edge's keep-alive at an external broker
 * @param reconnectMaxMillis longest wait between reconnection attempts to an external broker
 * @param flushAfterWrites  the embedded broker sends a connection's packets written outside a read
 *                          together, once the loop has run what it had queued, or after this many
 *                          flushes at the latest; 0: every packet goes out at once on its own
 * @param encodeDirectly    the embedded broker writes PUBLISH and PUBACK packets it encoded itself
 *                          into the connection's write queue (cheaper than Vert.x MQTT's methods);
 *                          false: through Vert.x MQTT's publish and acknowledge
 * @param persistence       what of the embedded broker's state the node's data folder keeps across
 *                          restarts of the edge
 * @param tlsCert           PEM certificate chain: the embedded broker speaks MQTT over TLS (with {@code tlsKey}); null: plain TCP
 * @param tlsKey            PEM private key of {@code tlsCert}, or null
 * @param acl               which topics each client of the embedded broker may publish to and subscribe to; null: any
 * @param externalCa        PEM CA certificate(s) to trust for an external broker at {@code ssl://}; null: the JVM's trust store
 * @param wsPort            the embedded broker also serves MQTT over WebSocket on this port (path {@code /mqtt}; over TLS
 *                          with {@code tlsCert}), 0: a free one; -1: not
 * @param sysIntervalSeconds how often the embedded broker publishes its state under {@code $SYS/broker/} (as
 *                          mosquitto's {@code sys_interval}); 0: never
 * @param topicAliasMaximum topic aliases an MQTT 5 client may set on its connection to the embedded broker (as
 *                          mosquitto's {@code max_topic_alias}); 0: none
 */
public record MqttSettings(String bind, int port, URI external, Credentials users, String username, String password,
                           Broker.Settings broker, KubeEdgeSettings twin, int maxMessageBytes, int maxClientIdLength,
                           int connectTimeoutSeconds, String clientId, int keepAliveSeconds, int reconnectMaxMillis,
                           int flushAfterWrites, boolean encodeDirectly, Persistence persistence, Path tlsCert, Path tlsKey,
                           Acl acl, Path externalCa, int wsPort, int sysIntervalSeconds,
                           int topicAliasMaximum) {

    public MqttSettings {
        if ((tlsCert == null) != (tlsKey == null)) throw new IllegalArgumentException("--mqtt-tls-cert and --mqtt-tls-key go together");
        if (wsPort < -1 || wsPort > 65_535) throw new IllegalArgumentException("--mqtt-ws-port must be 0..65535, got " + wsPort);
        if (topicAliasMaximum < 0 || topicAliasMaximum > 65_535) {
            throw new IllegalArgumentException("mqtt.topicAliasMaximum must be 0..65535, got " + topicAliasMaximum);
        }
    }

    /**
     * What of the embedded broker's state survives a restart of the edge, in the node's data folder.
     *
     * @param sessions           persistent sessions and their subscriptions ({@code mqtt-sessions.json},
     *                           saved within a second of a change)
     * @param messages           retained messages and the QoS 1 messages persistent sessions hold
     *                           ({@code mqtt-messages.bin}; held messages come back only with their session)
     * @param messageSaveSeconds how often the messages are saved when they changed (as mosquitto's
     *                           {@code autosave_interval}); 0: only when the edge stops
     */
    public record Persistence(boolean sessions, boolean messages, int messageSaveSeconds) {
        public static final Persistence DEFAULT = new Persistence(true, true, 10);
    }

    private static final Set<String> KEYS = Set.of("mqtt.maxMessageBytes", "mqtt.maxTopicBytes", "mqtt.maxClientIdLength",
            "mqtt.maxInflight", "mqtt.maxQueued", "mqtt.maxRetained", "mqtt.maxOfflineSessions", "mqtt.maxSubscriptions", "mqtt.maxConnections", "mqtt.connectTimeoutSeconds",
            "mqtt.sessionExpirySeconds", "mqtt.maxQueuedBytes", "mqtt.maxRetainedBytes",
            "twin.maxPayloadBytes", "twin.maxProperties", "twin.maxKeyBytes", "twin.maxValueBytes", "twin.qos", "twin.retain",
            "external.clientId", "external.keepAliveSeconds", "external.reconnectMaxMillis", "mqtt.flushAfterWrites",
            "mqtt.encodeDirectly", "mqtt.persistSessions", "mqtt.persistMessages", "mqtt.messageSaveSeconds", "mqtt.sysIntervalSeconds",
            "mqtt.topicAliasMaximum");

    /** Embedded broker on {@code bind:port} with the default limits, anonymous access. */
    public static MqttSettings embedded(String nodeId, String bind, int port) {
        return new MqttSettings(bind, port, null, Credentials.ANONYMOUS, null, null, Broker.Settings.DEFAULT,
                KubeEdgeSettings.DEFAULT, 4 * 1024 * 1024, 256, 10, "edgetwin-" + nodeId, 30, 30_000, 4_096, true, Persistence.DEFAULT, null, null, null, null, -1, 10, 10);
    }

    public MqttSettings withExternal(URI uri, String user, String pass) {
        return new MqttSettings(bind, port, uri, users, user, pass, broker, twin, maxMessageBytes, maxClientIdLength,
                connectTimeoutSeconds, clientId, keepAliveSeconds, reconnectMaxMillis, flushAfterWrites, encodeDirectly, persistence, tlsCert, tlsKey, acl, externalCa, wsPort, sysIntervalSeconds, topicAliasMaximum);
    }

    public MqttSettings withUsers(Credentials c) {
        return new MqttSettings(bind, port, external, c, username, password, broker, twin, maxMessageBytes, maxClientIdLength,
                connectTimeoutSeconds, clientId, keepAliveSeconds, reconnectMaxMillis, flushAfterWrites, encodeDirectly, persistence, tlsCert, tlsKey, acl, externalCa, wsPort, sysIntervalSeconds, topicAliasMaximum);
    }

    public MqttSettings withBroker(Broker.Settings b) {
        return new MqttSettings(bind, port, external, users, username, password, b, twin, maxMessageBytes, maxClientIdLength,
                connectTimeoutSeconds, clientId, keepAliveSeconds, reconnectMaxMillis, flushAfterWrites, encodeDirectly, persistence, tlsCert, tlsKey, acl, externalCa, wsPort, sysIntervalSeconds, topicAliasMaximum);
    }

    /** Trusts these PEM CA certificate(s) for an external broker at {@code ssl://} (null: the JVM's trust store). */
    public MqttSettings withExternalCa(Path ca) {
        return new MqttSettings(bind, port, external, users, username, password, broker, twin, maxMessageBytes, maxClientIdLength,
                connectTimeoutSeconds, clientId, keepAliveSeconds, reconnectMaxMillis, flushAfterWrites, encodeDirectly, persistence,
                tlsCert, tlsKey, acl, ca, wsPort, sysIntervalSeconds, topicAliasMaximum);
    }

    /** Whether the external broker is reached over TLS ({@code ssl://} or {@code mqtts://}). */
    public boolean externalTls() {
        return external != null && ("ssl".equals(external.getScheme()) || "mqtts".equals(external.getScheme()));
    }

    /** The embedded broker with this access control list (null: any client may use any topic). */
    public MqttSettings withAcl(Acl a) {
        return new MqttSettings(bind, port, external, users, username, password, broker, twin, maxMessageBytes, maxClientIdLength,
                connectTimeoutSeconds, clientId, keepAliveSeconds, reconnectMaxMillis, flushAfterWrites, encodeDirectly, persistence,
                tlsCert, tlsKey, a, externalCa, wsPort, sysIntervalSeconds, topicAliasMaximum);
    }

    /** The embedded broker over TLS with this PEM certificate chain and private key (both null: plain TCP). */
    public MqttSettings withTls(Path cert, Path key) {
        return new MqttSettings(bind, port, external, users, username, password, broker, twin, maxMessageBytes, maxClientIdLength,
                connectTimeoutSeconds, clientId, keepAliveSeconds, reconnectMaxMillis, flushAfterWrites, encodeDirectly, persistence, cert, key, acl, externalCa, wsPort, sysIntervalSeconds, topicAliasMaximum);
    }

    /** The embedded broker also serving MQTT over WebSocket on this port (0: a free one; -1: not). */
    public MqttSettings withWebSocketPort(int port) {
        return new MqttSettings(bind, this.port, external, users, username, password, broker, twin, maxMessageBytes, maxClientIdLength,
                connectTimeoutSeconds, clientId, keepAliveSeconds, reconnectMaxMillis, flushAfterWrites, encodeDirectly, persistence,
                tlsCert, tlsKey, acl, externalCa, port, sysIntervalSeconds, topicAliasMaximum);
    }

    public MqttSettings withTwin(KubeEdgeSettings t) {
        return new MqttSettings(bind, port, external, users, username, password, broker, t, maxMessageBytes, maxClientIdLength,
                connectTimeoutSeconds, clientId, keepAliveSeconds, reconnectMaxMillis, flushAfterWrites, encodeDirectly, persistence, tlsCert, tlsKey, acl, externalCa, wsPort, sysIntervalSeconds, topicAliasMaximum);
    }

    /** Parses {@code --mqtt-broker}: {@code tcp://host:port} (port default 1883), or over TLS {@code ssl://host:port} or {@code mqtts://host:port} (8883). */
    public static URI parseExternal(String text) {
        URI uri;
        try {
            uri = URI.create(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--mqtt-broker: not a URI: " + text);
        }
        if (!Set.of("tcp", "ssl", "mqtts").contains(String.valueOf(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("--mqtt-broker must look like tcp://host:1883 or ssl://host:8883, got " + text);
        }
        return uri;
    }

    /** These settings with the keys of a properties file applied; an unknown key or a bad value is an error naming it. */
    public MqttSettings withFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read MQTT settings " + file + ": " + e.getMessage(), e);
        }
        return withProperties(p, file.toString());
    }

    /** These settings with the given keys (those of the settings file) applied; {@code source} names them in errors. */
    public MqttSettings withProperties(Properties p, String source) {
        Set<String> unknown = new TreeSet<>(p.stringPropertyNames());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) throw new IllegalArgumentException(source + ": unknown settings " + unknown + "; known: " + new TreeSet<>(KEYS));
        Values v = new Values(p, source);
        Broker.Settings b = new Broker.Settings(v.integer("mqtt.maxInflight", broker.maxInflight()),
                v.integer("mqtt.maxQueued", broker.maxQueued()), v.integer("mqtt.maxRetained", broker.maxRetained()),
                v.integer("mqtt.maxTopicBytes", broker.maxTopicBytes()), v.integer("mqtt.maxOfflineSessions", broker.maxOfflineSessions()),
                v.integer("mqtt.maxSubscriptions", broker.maxSubscriptions()), v.integer("mqtt.maxConnections", broker.maxConnections()),
                v.integer("mqtt.sessionExpirySeconds", broker.sessionExpirySeconds()), v.integer("mqtt.maxQueuedBytes", broker.maxQueuedBytes()),
                v.integer("mqtt.maxRetainedBytes", broker.maxRetainedBytes()));
        KubeEdgeSettings t = new KubeEdgeSettings(v.integer("twin.maxPayloadBytes", twin.maxPayloadBytes()),
                v.integer("twin.maxProperties", twin.maxProperties()), v.integer("twin.maxKeyBytes", twin.maxKeyBytes()),
                v.integer("twin.maxValueBytes", twin.maxValueBytes()), v.integer("twin.qos", twin.qos()),
                v.bool("twin.retain", twin.retain()));
        return new MqttSettings(bind, port, external, users, username, password, b, t,
                v.integer("mqtt.maxMessageBytes", maxMessageBytes), v.integer("mqtt.maxClientIdLength", maxClientIdLength),
                v.integer("mqtt.connectTimeoutSeconds", connectTimeoutSeconds), p.getProperty("external.clientId", clientId),
                v.integer("external.keepAliveSeconds", keepAliveSeconds), v.integer("external.reconnectMaxMillis", reconnectMaxMillis),
                v.integer("mqtt.flushAfterWrites", flushAfterWrites), v.bool("mqtt.encodeDirectly", encodeDirectly),
                new Persistence(v.bool("mqtt.persistSessions", persistence.sessions()), v.bool("mqtt.persistMessages", persistence.messages()),
                        v.integer("mqtt.messageSaveSeconds", persistence.messageSaveSeconds())), tlsCert, tlsKey, acl, externalCa, wsPort, v.integer("mqtt.sysIntervalSeconds", sysIntervalSeconds),
                v.integer("mqtt.topicAliasMaximum", topicAliasMaximum));
    }

    private record Values(Properties p, String source) {
        int integer(String key, int fallback) {
            String s = p.getProperty(key);
            if (s == null) return fallback;
            try {
                int v = Integer.parseInt(s.trim());
                if (v < 0) throw new NumberFormatException();
                return v;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + ": " + key + " must be a non-negative integer, got " + s);
            }
        }

        boolean bool(String key, boolean fallback) {
            String s = p.getProperty(key);
            if (s == null) return fallback;
            if (!s.trim().equals("true") && !s.trim().equals("false")) {
                throw new IllegalArgumentException(source + ": " + key + " must be true or false, got " + s);
            }
            return Boolean.parseBoolean(s.trim());
        }
    }
}
