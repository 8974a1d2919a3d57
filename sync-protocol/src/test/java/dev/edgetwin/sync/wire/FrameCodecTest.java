package dev.edgetwin.sync.wire;

import dev.edgetwin.log.EntryCodec;
import dev.edgetwin.log.JournalEntry;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameCodecTest {
    static List<byte[]> entries(String stream, int n) {
        List<byte[]> out = new ArrayList<>();
        long prev = 0;
        for (int i = 0; i < n; i++) {
            JournalEntry e = EntryCodec.create(stream, i, 100 + i, "edge-a", 0, i % 2 == 0 ? "" : "tok", prev, ("payload " + i).getBytes(StandardCharsets.UTF_8));
            out.add(e.bytes());
            prev = e.hash();
        }
        return out;
    }

    @Test
    void anAckIsWrittenAsItsTreeWouldBeAndReadsBack() {
        Random random = new Random(3);
        String[] streams = {"edge/edge-a", "cloud/edge-a", "edge/n.1_x-Y", "edge/é", "edge/q\"uote", "edge/back\\slash", "edge/tab\t"};
        for (int i = 0; i < 2_000; i++) {
            String stream = streams[random.nextInt(streams.length)];
            long next = random.nextInt(4) == 0 ? Long.MAX_VALUE - random.nextInt(10) : random.nextInt(1 << 20);
            Frame.Ack ack;
            try {
                ack = new Frame.Ack(stream, next, new Frame.Credit(Math.abs(random.nextLong()), random.nextInt(Integer.MAX_VALUE)));
            } catch (IllegalArgumentException e) {
                continue;   // a name the protocol refuses anyway
            }
            com.fasterxml.jackson.databind.node.ObjectNode tree = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            tree.put("type", "ack").put("stream", ack.stream()).put("next", ack.next());
            tree.putObject("credit").put("untilSeq", ack.credit().untilSeq()).put("untilBytes", ack.credit().untilBytes());
            String text = ControlCodec.encode(ack);
            assertThat(text).isEqualTo(tree.toString());
            assertThat(ControlCodec.decode(text, ControlCodec.DEFAULT_MAX_BYTES)).isEqualTo(ack);
            assertThat(ControlCodec.decodeTree(text, ControlCodec.DEFAULT_MAX_BYTES)).isEqualTo(ack);
            // what the encoder writes as text is read back in place, not through the tree
            assertThat(AckText.read(text)).isEqualTo(ControlCodec.plain(ack.stream()) ? ack : null);
        }
        assertThat(ControlCodec.plain("edge/edge-a")).isTrue();
        assertThat(ControlCodec.plain("a\"b")).isFalse();
        assertThat(ControlCodec.plain("é")).isFalse();
    }

    private static final String DAMAGE = "0 \"{}:,-19\\xé";

    @Test
    void anAckReadInPlaceGetsTheTreesAnswerForEveryVariant() {
        String ack = "{\"type\":\"ack\",\"stream\":\"edge/edge-a\",\"next\":1164,\"credit\":{\"untilSeq\":5260,\"untilBytes\":8000000}}";
        List<String> variants = new ArrayList<>(List.of(ack,
                ack.replace("1164", "0"), ack.replace("1164", "01164"), ack.replace("1164", "-1164"), ack.replace("1164", "1164.0"),
                ack.replace("1164", "1e3"), ack.replace("1164", "\"1164\""), ack.replace("1164", String.valueOf(Long.MAX_VALUE)),
                ack.replace("1164", "9223372036854775808"), ack.replace("1164", "99999999999999999999"), ack.replace("5260", "00"),
                ack.replace("8000000", ""), ack.replace("edge/edge-a", ""), ack.replace("edge/edge-a", "edge\\/edge-a"),
                ack.replace("edge/edge-a", "edge/\u00e9"), ack.replace("edge/edge-a", "edge/é"), ack.replace("edge/edge-a", "a b"),
                ack.replace("edge/edge-a", "x".repeat(300)), ack.replace(":1164", ": 1164"), ack + " ", " " + ack, ack + "{}",
                ack.replace("}}", "}, \"extra\":1}"), ack.replace("}}", "}}}"), ack.replace("}}", "}"),
                ack.replace("\"type\":\"ack\",", "") + "", ack.replace("\"ack\"", "\"Ack\""),
                ack.replace(",\"next\":1164", ",\"next\":1164,\"next\":1165"),
                "{\"stream\":\"edge/edge-a\",\"type\":\"ack\",\"next\":1164,\"credit\":{\"untilSeq\":5260,\"untilBytes\":8000000}}",
                "{\"type\":\"ack\",\"stream\":\"edge/edge-a\",\"next\":1164,\"credit\":{\"untilBytes\":8000000,\"untilSeq\":5260}}",
                ack.substring(0, ack.length() - 1), "{\"type\":\"ack\",\"stream\":\""));
        Random random = new Random(11);
        for (int i = 0; i < 2_000; i++) {   // and random damage to the ack's text
            StringBuilder b = new StringBuilder(ack);
            int at = random.nextInt(b.length());
            switch (random.nextInt(3)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.insert(at, DAMAGE.charAt(random.nextInt(DAMAGE.length())));
                default -> b.setCharAt(at, DAMAGE.charAt(random.nextInt(DAMAGE.length())));
            }
            variants.add(b.toString());
        }
        int inPlace = 0;
        for (String text : variants) {
            Object fast = answer(() -> ControlCodec.decode(text, 4096));
            assertThat(fast).as(text).isEqualTo(answer(() -> ControlCodec.decodeTree(text, 4096)));
            if (AckText.read(text) != null) inPlace++;
        }
        assertThat(inPlace).as("variants read in place").isBetween(3, variants.size() / 2);
    }

    /** The frame a decoder gave, or the code and message it refused with. */
    private static Object answer(java.util.function.Supplier<Frame> decode) {
        try {
            return decode.get();
        } catch (SyncException e) {
            return e.code() + ": " + e.getMessage();
        }
    }

    @Test
    void everyControlFrameRoundTrips() {
        Frame.StreamPosition pos = new Frame.StreamPosition("cloud/edge-a", 42, 0x9f3c0a1b2c3d4e5fL);
        List<Frame> frames = List.of(
                new Frame.Handshake(false, 1, "edge-a", null, pos, "edge/edge-a", 1200, new Frame.Credit(4138, 4 << 20), 1 << 20, 5000),
                new Frame.Handshake(true, 1, "cloud", "s-1", new Frame.StreamPosition("edge/edge-a", 0, 0), "cloud/edge-a", 42,
                        new Frame.Credit(4096, 1 << 22), 1 << 20, 5000),
                new Frame.Ack("edge/edge-a", 1164, new Frame.Credit(5260, 8_000_000)),
                new Frame.Ping(1230, 1200, new Frame.Ack("cloud/edge-a", 42, new Frame.Credit(4138, 99))),
                new Frame.SnapshotHeader("edge/edge-a", 5000, -1L, 812, 98112),
                new Frame.ErrorFrame(SyncCode.GAP, "edge/edge-a expects seq 1164, got 1170"));
        for (Frame f : frames) {
            String text = ControlCodec.encode(f);
            assertThat(ControlCodec.decode(text, ControlCodec.DEFAULT_MAX_BYTES)).as(text).isEqualTo(f);
        }
        assertThat(ControlCodec.encode(frames.get(0))).contains("\"hash\":\"9f3c0a1b2c3d4e5f\"").contains("\"type\":\"hello\"");
    }

    @Test
    void controlFramesThatAreNotQuiteRightAreFrameInvalid() {
        String hello = ControlCodec.encode(new Frame.Handshake(false, 1, "edge-a", null, new Frame.StreamPosition("cloud/edge-a", 0, 0),
                "edge/edge-a", 0, new Frame.Credit(1, 1), 1024, 5000));
        List<String> bad = List.of("", "null", "\"text\"", "{}", "{\"type\":7}", "{\"type\":\"hello\"}",
                hello.replace("\"next\":0", "\"next\":-1"), hello.replace("\"next\":0", "\"next\":1.5"),
                hello.replace("\"next\":0", "\"next\":\"0\""), hello.replace("0000000000000000", "00000000000000zz"),
                hello.replace("0000000000000000", "00"), hello.replace("\"heartbeatMs\":5000", "\"heartbeatMs\":50"),
                hello.replace("\"node\":\"edge-a\"", "\"node\":\"\""), hello + "{}",
                "{\"type\":\"ack\",\"stream\":\"s\",\"next\":1,\"next\":2,\"credit\":{\"untilSeq\":1,\"untilBytes\":1}}",
                "{\"type\":\"error\",\"code\":\"sync:nonsense\"}", "{\"type\":\"ping\",\"head\":1,\"sent\":1}",
                "{\"type\":\"ack\",\"stream\":\"s\",\"next\":99999999999999999999,\"credit\":{\"untilSeq\":1,\"untilBytes\":1}}");
        for (String text : bad) {
            assertThatThrownBy(() -> ControlCodec.decode(text, 4096)).as(text).isInstanceOfSatisfying(SyncException.class,
                    e -> assertThat(e.code()).isEqualTo(SyncCode.FRAME_INVALID));
        }
        String big = "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(5000) + "\"}";
        assertThatThrownBy(() -> ControlCodec.decode(big, 4096)).hasMessageContaining("over 4096 bytes");
        assertThat(ControlCodec.decode(hello.replace("{\"type\"", "{\"future\":true,\"type\""), 4096)).isInstanceOf(Frame.Handshake.class);
    }

    @Test
    void dataFramesCarryTheEntriesBytesUnchanged() {
        List<byte[]> e = entries("edge/edge-a", 5);
        Frame.Data d = Frame.Data.entries("edge/edge-a", 0, 7, e);
        byte[] wire = DataCodec.encode(d);
        int entryBytes = e.stream().mapToInt(b -> b.length).sum();
        assertThat(wire.length).isEqualTo(DataCodec.HEADER + "edge/edge-a".length() + entryBytes);
        Frame.Data back = DataCodec.decode(wire, 1 << 20);
        assertThat(back.kind()).isEqualTo(Frame.Data.Kind.ENTRIES);
        assertThat(back.firstSeq()).isZero();
        assertThat(back.head()).isEqualTo(7);
        assertThat(back.bytes()).isEqualTo(entryBytes);
        for (int i = 0; i < 5; i++) assertThat(back.entries().get(i)).isEqualTo(e.get(i));
        // the entries section is the concatenation of the journal's own bytes
        byte[] section = Arrays.copyOfRange(wire, wire.length - entryBytes, wire.length);
        assertThat(Arrays.copyOfRange(section, 0, e.get(0).length)).isEqualTo(e.get(0));
        Frame.Data snap = DataCodec.decode(DataCodec.encode(Frame.Data.snapshot("edge/edge-a", 9, e)), 1 << 20);
        assertThat(snap.kind()).isEqualTo(Frame.Data.Kind.SNAPSHOT);
    }

    @Test
    void everyLayoutErrorIsRefusedBeforeAnythingIsCopied() {
        byte[] good = DataCodec.encode(Frame.Data.entries("edge/edge-a", 0, 3, entries("edge/edge-a", 3)));
        assertInvalid(Arrays.copyOf(good, 20), "shorter");
        assertInvalid(with(good, 0, (byte) 0), "magic");
        assertInvalid(with(good, 4, (byte) 2), "version");
        assertInvalid(with(good, 5, (byte) 3), "kind");
        assertInvalid(withInt(good, 24, 0), "count");
        assertInvalid(withInt(good, 24, 4), "truncated");
        assertInvalid(withInt(good, 24, 1000), "cannot fit");
        assertInvalid(withInt(good, 28, 10), "add up");
        assertInvalid(Arrays.copyOf(good, good.length - 1), "add up");
        byte[] fromSeq5 = DataCodec.encode(Frame.Data.entries("edge/edge-a", 5, 9, entries("edge/edge-a", 3)));
        assertInvalid(with(fromSeq5, 5, (byte) 2), "snapshot frame with firstSeq 5");
        // an entry claiming more bytes than remain
        int firstEntry = DataCodec.HEADER + "edge/edge-a".length();
        assertInvalid(withInt(good, firstEntry + 6, 1 << 30), "claims");
        assertInvalid(withInt(good, firstEntry + 6, 10), "claims");
        assertThatThrownBy(() -> DataCodec.decode(good, 100)).isInstanceOfSatisfying(SyncException.class,
                e -> assertThat(e.code()).isEqualTo(SyncCode.BATCH_TOO_LARGE));
        Random r = new Random(5);
        for (int i = 0; i < 2000; i++) {
            byte[] junk = good.clone();
            junk[r.nextInt(32)] = (byte) r.nextInt();
            try {
                DataCodec.decode(junk, 1 << 20);
            } catch (SyncException e) {
                assertThat(e.code()).isIn(SyncCode.FRAME_INVALID, SyncCode.BATCH_TOO_LARGE);
            }
        }
    }

    private static void assertInvalid(byte[] frame, String message) {
        assertThatThrownBy(() -> DataCodec.decode(frame, 1 << 20)).isInstanceOfSatisfying(SyncException.class, e -> {
            assertThat(e.code()).isEqualTo(SyncCode.FRAME_INVALID);
            assertThat(e.getMessage()).contains(message);
        });
    }

    private static byte[] with(byte[] b, int at, byte v) {
        byte[] c = b.clone();
        c[at] = v;
        return c;
    }

    private static byte[] withInt(byte[] b, int at, int v) {
        byte[] c = b.clone();
        ByteBuffer.wrap(c).putInt(at, v);
        return c;
    }

    @Test
    void closeStatusesAreUniqueAndMapBack() {
        for (SyncCode c : SyncCode.values()) {
            assertThat(SyncCode.ofCloseStatus(c.closeStatus())).contains(c);
            assertThat(SyncCode.of(c.code())).contains(c);
            assertThat(c.code()).startsWith("sync:");
            assertThat(c.code().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123); // a close reason's limit
        }
    }
}
