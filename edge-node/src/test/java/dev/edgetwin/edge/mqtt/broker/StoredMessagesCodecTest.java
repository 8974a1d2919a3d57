package dev.edgetwin.edge.mqtt.broker;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stored-messages file's bytes: what goes in comes out, and damage is a clear error, never a wrong message. */
class StoredMessagesCodecTest {
    static final MessageProperties ALL = new MessageProperties(0, 30, "application/json", "resp/1", new byte[]{9, 8, 7},
            List.of(Map.entry("a", "1"), Map.entry("a", "2"), Map.entry("ü", "")));

    static StoredMessages sample() {
        Map<String, List<Message>> queued = new LinkedHashMap<>();
        queued.put("mapper-1", List.of(Message.of("cmd/1", "on", 1, false),
                new Message("cmd/2", new byte[]{0, (byte) 0xFF}, 1, true, ALL, 40_000)));
        queued.put("empty", List.of());
        return new StoredMessages(List.of(Message.of("state/ä", "", 0, true), new Message("state/b", "x".getBytes(StandardCharsets.UTF_8), 1, true,
                new MessageProperties(-1, -1, null, null, null, List.of()), 0)), queued, 10_000);
    }

    @Test
    void messagesComeBackAsTheyWentInWithTheirTimeLeft() {
        byte[] bytes = StoredMessagesCodec.encode(sample(), 1_700_000_000_000L);
        StoredMessagesCodec.Decoded d = StoredMessagesCodec.decode(bytes, 1_700_000_000_000L + 5_000);
        assertThat(d.expired()).isZero();
        assertThat(d.messages().clock()).isZero();
        assertThat(d.messages().retained()).isEqualTo(sample().retained());
        assertThat(d.messages().queued().keySet()).containsExactly("mapper-1", "empty");
        List<Message> q = d.messages().queued().get("mapper-1");
        assertThat(q.get(0)).isEqualTo(Message.of("cmd/1", "on", 1, false));
        assertThat(q.get(1)).as("30 s left at the save, 5 s since").isEqualTo(new Message("cmd/2", new byte[]{0, (byte) 0xFF}, 1, true, ALL, 25_000));
    }

    @Test
    void aClockGoingBackDoesNotLengthenAMessagesLife() {
        byte[] bytes = StoredMessagesCodec.encode(sample(), 2_000_000);
        assertThat(StoredMessagesCodec.decode(bytes, 1_000_000).messages().queued().get("mapper-1").get(1).expiresAt()).isEqualTo(30_000);
        assertThat(StoredMessagesCodec.decode(bytes, 2_030_000).expired()).isEqualTo(1);
    }

    @Test
    void damageIsAnErrorSayingWhat() {
        byte[] good = StoredMessagesCodec.encode(sample(), 0);
        byte[] flipped = good.clone();
        flipped[40] ^= 1;
        assertThatThrownBy(() -> StoredMessagesCodec.decode(flipped, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checksum");
        assertThatThrownBy(() -> StoredMessagesCodec.decode(Arrays.copyOf(good, good.length - 9), 0)).hasMessageContaining("checksum");
        assertThatThrownBy(() -> StoredMessagesCodec.decode(new byte[5], 0)).hasMessageContaining("too short");
        assertThatThrownBy(() -> StoredMessagesCodec.decode("{\"format\":\"edgetwin-mqtt-sessions\"}".getBytes(StandardCharsets.UTF_8), 0))
                .hasMessageContaining("ETMM");
        byte[] v2 = good.clone();
        v2[4] = 2;
        assertThatThrownBy(() -> StoredMessagesCodec.decode(sealed(v2), 0)).hasMessageContaining("version 2 is not 1");
        // right checksum, wrong content: a count past the end, bytes after the last session
        byte[] count = good.clone();
        ByteBuffer.wrap(count).putInt(13, 1_000_000);
        assertThatThrownBy(() -> StoredMessagesCodec.decode(sealed(count), 0)).hasMessageContaining("bad count of retained messages");
        byte[] longer = Arrays.copyOf(good, good.length + 3);
        System.arraycopy(good, good.length - 4, longer, good.length - 1, 4);
        assertThatThrownBy(() -> StoredMessagesCodec.decode(sealed(longer), 0)).hasMessageContaining("after the last session");
        byte[] flags = good.clone();
        flags[17] = (byte) 0x80;
        assertThatThrownBy(() -> StoredMessagesCodec.decode(sealed(flags), 0)).hasMessageContaining("unknown message flags");
    }

    /** The bytes with their last four set to the checksum of the others. */
    static byte[] sealed(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
        return b;
    }
}
