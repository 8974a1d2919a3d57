package dev.edgetwin.edge.mqtt;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.internal.net.StreamChannelInternal;
import io.vertx.mqtt.MqttEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a connection's packets in fewer system calls. Vert.x flushes every packet written
 * outside a read at once; the embedded broker writes most of its packets exactly there (a
 * PUBACK once the writer has journaled the update, the result after it), so under load each
 * costs a {@code write(2)} of its own. Netty's {@link FlushConsolidationHandler} at the head of
 * the connection's pipeline holds such flushes until the event loop has run the tasks it had
 * queued (or {@code flushAfterWrites} of them came), then sends everything at once; during a
 * read it flushes at the read's end, as Vert.x does.
 *
 * <p>Vert.x MQTT does not expose its channel, so it is reached through the endpoint's private
 * connection field; if that ever fails (another Vert.x version), packets are flushed one by
 * one as before and one line says so.
 */
final class Flushes {
    private static final Logger LOG = LoggerFactory.getLogger(Flushes.class);
    private static volatile boolean warned;

    private Flushes() {
    }

    /** Installs the consolidation on {@code endpoint}'s channel; {@code flushAfterWrites} 0 leaves it alone. Call on its loop. */
    static boolean consolidate(MqttEndpoint endpoint, int flushAfterWrites) {
        if (flushAfterWrites <= 0) return false;
        try {
            ChannelHandlerContext ctx = ((StreamChannelInternal) Packets.connection(endpoint)).channelHandlerContext();
            ctx.pipeline().addFirst("edgetwin-flush-consolidation", new FlushConsolidationHandler(flushAfterWrites, true));
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.warn("mqtt: cannot reach the connection's channel ({}); packets are flushed one by one", e.toString());
            }
            return false;
        }
    }
}
