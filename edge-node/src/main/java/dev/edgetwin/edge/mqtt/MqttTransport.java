package dev.edgetwin.edge.mqtt;

import dev.edgetwin.node.NodeCore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;

import java.nio.file.Path;

/**
 * The edge's MQTT side as one closeable: the embedded broker, or the client of an external
 * broker when {@link MqttSettings#external()} is set. Both run the KubeEdge twin service.
 */
public final class MqttTransport implements AutoCloseable {
    private final NodeCore core;
    private final TwinTransport verticle;
    private final String deploymentId;

    private MqttTransport(NodeCore core, TwinTransport verticle, String deploymentId) {
        this.core = core;
        this.verticle = verticle;
        this.deploymentId = deploymentId;
    }

    /**
     * Deploys the MQTT side on the node's Vert.x; returns once the broker listens (or the client has started connecting).
     *
     * @param dataDir the node's data folder: the embedded broker keeps its persistent sessions
     *                ({@code mqtt-sessions.json}) and messages ({@code mqtt-messages.bin}) there unless
     *                {@code mqtt.persistSessions}/{@code mqtt.persistMessages} are off
     */
    public static MqttTransport start(NodeCore core, MqttSettings settings, Path dataDir) {
        String node = core.store().nodeId();
        TwinTransport v = settings.external() == null
                ? new EmbeddedBroker(node, core.store(), core.writer(), settings, dataDir)
                : new ExternalBrokerClient(node, core.store(), core.writer(), settings);
        String id = NodeCore.await(core.vertx().deployVerticle(v, new DeploymentOptions()));
        MqttTransport transport = new MqttTransport(core, v, id);
        transport.registerMeters(core.metrics());
        return transport;
    }

    /**
     * Gauges and counters at {@code /metrics}. The broker's counts are read from the scraping thread without
     * a lock: each is one int or long field, so a scrape sees a recent, possibly stale, value.
     */
    private void registerMeters(MeterRegistry registry) {
        Gauge.builder("edgetwin_mqtt_connected", this, t -> t.connected() ? 1 : 0)
                .description("1 while the twin topics are reachable (embedded broker: always)").register(registry);
        if (verticle instanceof EmbeddedBroker b) {
            Gauge.builder("edgetwin_mqtt_clients", b, x -> x.broker().connectedCount()).description("connected MQTT clients").register(registry);
            Gauge.builder("edgetwin_mqtt_sessions", b, x -> x.broker().sessionCount()).description("stored MQTT sessions").register(registry);
            Gauge.builder("edgetwin_mqtt_sessions_offline", b, x -> x.broker().offlineSessionCount())
                    .description("persistent MQTT sessions stored for clients not connected").register(registry);
            Gauge.builder("edgetwin_mqtt_subscriptions", b, x -> x.broker().subscriptionCount()).register(registry);
            Gauge.builder("edgetwin_mqtt_retained", b, x -> x.broker().retainedCount()).description("retained messages").register(registry);
            Gauge.builder("edgetwin_mqtt_retained_bytes", b, x -> x.broker().retainedBytes())
                    .description("bytes of retained messages kept (mqtt.maxRetainedBytes)").register(registry);
            Gauge.builder("edgetwin_mqtt_queued_bytes", b, x -> x.broker().queuedBytes())
                    .description("bytes of QoS 1 messages sessions hold for their clients (mqtt.maxQueuedBytes)").register(registry);
            // counts that only grow: counters (Prometheus appends _total)
            FunctionCounter.builder("edgetwin_mqtt_connections_refused", b, x -> x.broker().connectionsRefusedCount())
                    .description("CONNECTs refused as mqtt.maxConnections clients were connected").register(registry);
            FunctionCounter.builder("edgetwin_mqtt_subscriptions_refused", b, x -> x.broker().subscriptionsRefusedCount())
                    .description("topic filters refused as their session held mqtt.maxSubscriptions").register(registry);
            FunctionCounter.builder("edgetwin_mqtt_sessions_evicted", b, x -> x.broker().sessionsEvictedCount())
                    .description("stored MQTT sessions dropped as more than mqtt.maxOfflineSessions clients were away").register(registry);
            FunctionCounter.builder("edgetwin_mqtt_sessions_expired", b, x -> x.broker().sessionsExpiredCount())
                    .description("stored MQTT sessions ended as their client was away mqtt.sessionExpirySeconds (or its MQTT 5 session expiry interval)").register(registry);
            FunctionCounter.builder("edgetwin_mqtt_messages_expired", b, x -> x.broker().messagesExpiredCount())
                    .description("MQTT 5 messages dropped, or retained ones forgotten, as their message expiry interval passed before they were sent").register(registry);
            FunctionCounter.builder("edgetwin_mqtt_retained_refused", b, x -> x.broker().retainedRefusedCount())
                    .description("retained messages not retained as mqtt.maxRetained topics or mqtt.maxRetainedBytes were kept").register(registry);
            FunctionCounter.builder("edgetwin_mqtt_access_reloads", b, EmbeddedBroker::accessReloads)
                    .description("reloads of the users and ACL files put in force (SIGHUP)").register(registry);
            FunctionCounter.builder("edgetwin_mqtt_access_reload_failures", b, EmbeddedBroker::accessReloadFailures)
                    .description("reloads of the users and ACL files refused (a file could not be read or parsed; the old ones stayed)").register(registry);
            FunctionCounter.builder("edgetwin_mqtt_denied", b, x -> x.broker().deniedCount())
                    .description("PUBLISHes and topic filters the ACL (--mqtt-acl) refused").register(registry);
            FunctionCounter.builder("edgetwin_mqtt_dropped", b, x -> x.broker().droppedCount())
                    .description("QoS 1 messages dropped as a session queue was full (mqtt.maxQueued) or sessions held mqtt.maxQueuedBytes")
                    .register(registry);
        } else if (verticle instanceof ExternalBrokerClient c) {
            Gauge.builder("edgetwin_mqtt_queued_bytes", c, ExternalBrokerClient::queuedBytes)
                    .description("bytes of messages waiting for the external broker (mqtt.maxQueuedBytes)").register(registry);
            FunctionCounter.builder("edgetwin_mqtt_dropped", c, ExternalBrokerClient::droppedCount)
                    .description("messages dropped as mqtt.maxQueued or mqtt.maxQueuedBytes were waiting for the external broker")
                    .register(registry);
        }
    }

    /** The event loop context the MQTT side runs on. */
    public Context context() {
        return verticle.loop();
    }

    /** The embedded broker's port, or -1 in external-broker mode. */
    public int port() {
        return verticle instanceof EmbeddedBroker b ? b.port() : -1;
    }

    /** {@link EmbeddedBroker#reloadAccess}; fails for an external broker (whose access is its own). */
    public Future<String> reloadAccess() {
        return verticle instanceof EmbeddedBroker b ? b.reloadAccess()
                : Future.failedFuture(new IllegalStateException("an external MQTT broker has its own users and ACL"));
    }

    /** The embedded broker's MQTT-over-WebSocket port, -1 when it has none (or the broker is external). */
    public int webSocketPort() {
        return verticle instanceof EmbeddedBroker b ? b.webSocketPort() : -1;
    }

    /** Whether the twin topics are reachable: always for the embedded broker, while connected for an external one. */
    public boolean connected() {
        return !(verticle instanceof ExternalBrokerClient c) || c.connected();
    }

    @Override
    public void close() {
        NodeCore.await(core.vertx().undeploy(deploymentId));
    }

    @Override
    public String toString() {
        return "mqtt " + (verticle instanceof EmbeddedBroker ? "embedded broker" : "external broker client");
    }
}
