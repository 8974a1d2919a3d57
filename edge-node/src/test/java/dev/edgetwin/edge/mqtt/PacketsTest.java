package dev.edgetwin.edge.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The packets {@link Packets} encodes are byte for byte those of Netty's MQTT encoder (used by Vert.x MQTT). */
class PacketsTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    @Test
    void publishPacketsEqualNettysForEveryFlagTopicAndLengthBoundary() {
        Random rnd = new Random(42);
        String[] topics = {"t", "$hw/events/device/default/lamp-1/twin/update/result", "häuser/küche/温度", "a/😀/b", ""};
        // remaining lengths around the 1-, 2- and 3-byte encodings of MQTT's variable length
        int[] sizes = {0, 1, 100, 120, 121, 122, 123, 124, 125, 126, 127, 128, 16_300, 16_380, 16_383, 16_384, 16_400,
                2_097_100, 2_097_152, 2_100_000};
        for (String topic : topics) {
            for (int size : sizes) {
                byte[] payload = new byte[size];
                rnd.nextBytes(payload);
                for (int qos = 0; qos <= 1; qos++) {
                    for (boolean dup : new boolean[]{false, true}) {
                        for (boolean retain : new boolean[]{false, true}) {
                            int id = qos == 0 ? 0 : 1 + rnd.nextInt(65_535);
                            assertThat(hex(Packets.publish(ALLOC, topic, payload, qos, dup, retain, id)))
                                    .as("%s, %d bytes, qos %d, dup %s, retain %s", topic, size, qos, dup, retain)
                                    .isEqualTo(hex(netty(topic, payload, qos, dup, retain, id)));
                        }
                    }
                }
            }
        }
    }

    @Test
    void pubackPacketsEqualNettys() {
        for (int id : new int[]{1, 2, 255, 256, 4_660, 32_767, 32_768, 65_535}) {
            MqttMessage ack = new MqttMessage(new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 2),
                    MqttMessageIdVariableHeader.from(id));
            assertThat(hex(Packets.puback(ALLOC, id))).as("id %d", id).isEqualTo(hex(encode(ack)));
        }
    }

    private static ByteBuf netty(String topic, byte[] payload, int qos, boolean dup, boolean retain, int id) {
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(qos), retain, 0);
        return encode(new MqttPublishMessage(header, new MqttPublishVariableHeader(topic, qos == 0 ? -1 : id), Unpooled.wrappedBuffer(payload)));
    }

    private static ByteBuf encode(MqttMessage message) {
        EmbeddedChannel channel = new EmbeddedChannel(MqttEncoder.INSTANCE);
        channel.writeOutbound(message);
        ByteBuf out = Unpooled.buffer();
        for (ByteBuf b = channel.readOutbound(); b != null; b = channel.readOutbound()) {
            out.writeBytes(b);
            b.release();
        }
        channel.finishAndReleaseAll();
        return out;
    }

    private static String hex(ByteBuf b) {
        try {
            return ByteBufUtil.hexDump(b);
        } finally {
            b.release();
        }
    }
}
