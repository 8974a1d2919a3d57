package dev.edgetwin.edge.mqtt;

import dev.edgetwin.edge.kubeedge.KubeEdgeTwinService;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.TwinWriter;
import io.vertx.core.Context;
import io.vertx.core.VerticleBase;

/**
 * What both MQTT modes share: the node's store and writer, the settings, and a KubeEdge twin
 * service whose loop is this verticle's event loop.
 */
abstract class TwinTransport extends VerticleBase {
    protected final String nodeId;
    protected final TwinStore store;
    protected final TwinWriter writer;
    protected final MqttSettings settings;

    TwinTransport(String nodeId, TwinStore store, TwinWriter writer, MqttSettings settings) {
        this.nodeId = nodeId;
        this.store = store;
        this.writer = writer;
        this.settings = settings;
    }

    /** This verticle's context (set once deployed). */
    Context loop() {
        return context;
    }

    /** A twin service on this verticle's event loop, publishing through {@code out}. Call from {@code start()}. */
    protected KubeEdgeTwinService twinService(KubeEdgeTwinService.Publisher out) {
        return new KubeEdgeTwinService(nodeId, store, writer, new LoopExecutor(context, LoopExecutor.DEFAULT_MAX_PER_DRAIN), out,
                settings.twin(), System::currentTimeMillis);
    }
}
