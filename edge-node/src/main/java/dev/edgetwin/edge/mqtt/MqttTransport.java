package dev.edgetwin.edge.mqtt;

import dev.edgetwin.node.NodeCore;
import io.vertx.core.DeploymentOptions;

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

    /** Deploys the MQTT side on the node's Vert.x; returns once the broker listens (or the client has started connecting). */
    public static MqttTransport start(NodeCore core, MqttSettings settings) {
        String node = core.store().nodeId();
        TwinTransport v = settings.external() == null
                ? new EmbeddedBroker(node, core.store(), core.writer(), settings)
                : new ExternalBrokerClient(node, core.store(), core.writer(), settings);
        String id = NodeCore.await(core.vertx().deployVerticle(v, new DeploymentOptions()));
        return new MqttTransport(core, v, id);
    }

    /** The embedded broker's port, or -1 in external-broker mode. */
    public int port() {
        return verticle instanceof EmbeddedBroker b ? b.port() : -1;
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
