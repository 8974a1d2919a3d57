package dev.edgetwin.edge.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.net.impl.VertxConnection;
import io.vertx.mqtt.MqttEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;

/**
 * Writes a connection's PUBLISH and PUBACK packets already encoded (MQTT 3.1.1 sections 3.3 and
 * 3.4; also MQTT 3.1's, not MQTT 5's, which carry properties) into the connection's own Vert.x
 * write queue, so they keep their order with every other packet Vert.x writes for it. Vert.x MQTT's {@code publish} and {@code publishAcknowledge}
 * build a message object, a future and a buffer copy per packet and run Netty's MQTT encoder:
 * under ingest load (a PUBACK and a result per twin update) that was a sixth of the broker
 * loop's time.
 *
 * <p>Reached through the endpoint's private connection field ({@link #connection}, which
 * {@link Flushes} uses too); when that fails (another Vert.x version), {@link #of} returns null
 * and the caller keeps Vert.x's methods. Confined to the connection's event loop.
 */
final class Packets {
    private static final Logger LOG = LoggerFactory.getLogger(Packets.class);
    private static final int PUBLISH = 0x30;
    private static final int PUBACK = 0x40;
    private static volatile boolean warned;

    private final VertxConnection conn;
    private final ByteBufAllocator alloc;

    private Packets(VertxConnection conn) {
        this.conn = conn;
        this.alloc = conn.channelHandlerContext().alloc();
    }

    /** The packet writer of {@code endpoint}'s connection, or null when it cannot be reached. */
    static Packets of(MqttEndpoint endpoint) {
        try {
            return new Packets((VertxConnection) connection(endpoint));
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.warn("mqtt: cannot reach the connection's channel ({}); packets go through Vert.x's encoder", e.toString());
            }
            return null;
        }
    }

    /** The Vert.x connection behind {@code endpoint} (its private {@code conn} field). */
    static Object connection(MqttEndpoint endpoint) throws ReflectiveOperationException {
        Field conn = endpoint.getClass().getDeclaredField("conn");
        conn.setAccessible(true);
        return conn.get(endpoint);
    }

    void puback(int packetId) {
        conn.writeToChannel(puback(alloc, packetId));
    }

    void publish(String topic, byte[] payload, int qos, boolean dup, boolean retain, int packetId) {
        conn.writeToChannel(publish(alloc, topic, payload, qos, dup, retain, packetId));
    }

    static ByteBuf puback(ByteBufAllocator alloc, int packetId) {
        return alloc.buffer(4).writeByte(PUBACK).writeByte(2).writeShort(packetId);
    }

    /** A PUBLISH packet; {@code packetId} is written only for QoS above 0. */
    static ByteBuf publish(ByteBufAllocator alloc, String topic, byte[] payload, int qos, boolean dup, boolean retain, int packetId) {
        int topicBytes = ByteBufUtil.utf8Bytes(topic);
        int remaining = 2 + topicBytes + (qos > 0 ? 2 : 0) + payload.length;
        ByteBuf b = alloc.buffer(5 + remaining);   // the fixed header: one byte and a length of up to four
        b.writeByte(PUBLISH | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 0x01 : 0));
        for (int n = remaining; ; ) {
            int digit = n & 0x7F;
            n >>>= 7;
            if (n == 0) {
                b.writeByte(digit);
                break;
            }
            b.writeByte(digit | 0x80);
        }
        b.writeShort(topicBytes);
        ByteBufUtil.reserveAndWriteUtf8(b, topic, topicBytes);
        if (qos > 0) b.writeShort(packetId);
        return b.writeBytes(payload);
    }
}
