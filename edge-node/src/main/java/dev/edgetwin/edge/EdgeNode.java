package dev.edgetwin.edge;

import dev.edgetwin.edge.mqtt.MqttTransport;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.node.NodeCore;
import dev.edgetwin.node.NodeMain;
import dev.edgetwin.node.http.RestApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running edge node: the twin store, the edge REST API, MQTT twin topics and the sync client. */
public final class EdgeNode implements NodeMain.Running, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeNode.class);

    private final EdgeConfig config;
    private final NodeCore core;
    private final MqttTransport mqtt;

    private EdgeNode(EdgeConfig config, NodeCore core, MqttTransport mqtt) {
        this.config = config;
        this.core = core;
        this.mqtt = mqtt;
    }

    /** Opens the store and starts every server; returns once they listen. */
    public static EdgeNode start(EdgeConfig config) {
        NodeCore core = NodeCore.open(config.nodeId(), config.dataDir(), StoreOptions.edge(), config.fsync());
        try {
            // MQTT works from the first start, with or without a cloud (offline autonomy)
            MqttTransport mqtt = MqttTransport.start(core, config.mqtt());
            core.onClose(mqtt);
            EdgeNode node = new EdgeNode(config, core, mqtt);
            RestApi.mount(core, config.api(), null); // the edge's own devices; no /api/v1/nodes
            int http = core.listen(config.bind(), config.httpPort(), "edge " + config.nodeId() + " http");
            LOG.info("edge {} ready: http={}:{} mqtt={} data={}", config.nodeId(), config.bind(), http,
                    config.mqtt().external() == null ? config.mqtt().bind() + ":" + mqtt.port() : config.mqtt().external(),
                    config.dataDir());
            return node;
        } catch (RuntimeException e) {
            core.close();
            throw e;
        }
    }

    public EdgeConfig config() {
        return config;
    }

    public NodeCore core() {
        return core;
    }

    public int httpPort() {
        return core.httpPort();
    }

    /** The embedded broker's port, or -1 in external-broker mode. */
    public int mqttPort() {
        return mqtt.port();
    }

    public MqttTransport mqtt() {
        return mqtt;
    }

    @Override
    public void stop() {
        core.close();
    }

    @Override
    public void close() {
        stop();
    }
}
