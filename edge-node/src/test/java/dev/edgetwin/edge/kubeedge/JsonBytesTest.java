package dev.edgetwin.edge.kubeedge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JsonBytes writes the bytes KubeEdgeJson's Jackson writer gives for the same tree, escapes and all. */
class JsonBytesTest {

    @Test
    void randomObjectsGiveJacksonsBytes() {
        Random rnd = new Random(42);
        for (int i = 0; i < 5_000; i++) {
            JsonBytes out = new JsonBytes(rnd.nextInt(40));
            ObjectNode tree = KubeEdgeJson.object();
            write(rnd, out, tree, 0);
            byte[] expected = KubeEdgeJson.write(tree);
            byte[] actual = out.toBytes();
            assertThat(new String(actual, StandardCharsets.UTF_8)).isEqualTo(new String(expected, StandardCharsets.UTF_8));
            assertThat(actual).isEqualTo(expected);
        }
    }

    @Test
    void aResetWriterWritesTheNextMessageAsANewOneWould() {
        Random rnd = new Random(7);
        JsonBytes kept = new JsonBytes(64);
        for (int i = 0; i < 2_000; i++) {
            // every few messages one left half written (a failure while building), which reset must forget
            if (i % 7 == 3) kept.reset(64).startObject().field("half").startObject();
            JsonBytes fresh = new JsonBytes(16);
            ObjectNode tree = KubeEdgeJson.object();
            long seed = rnd.nextLong();
            write(new Random(seed), fresh, tree, 0);
            write(new Random(seed), kept.reset(64), KubeEdgeJson.object(), 0);
            assertThat(kept.toBytes()).isEqualTo(fresh.toBytes()).isEqualTo(KubeEdgeJson.write(tree));
        }
    }

    @Test
    void everyAsciiCharSurrogatesAndLongEdgesAreWrittenAsJacksonWritesThem() {
        StringBuilder ascii = new StringBuilder();
        for (char c = 0; c < 0x80; c++) ascii.append(c);
        String[] strings = {ascii.toString(), "é€ü\u07FF\u0800\uFFFF", "\uD83D\uDE00 pair", "lone \uD800 high", "lone \uDC00 low",
                "end \uD83D", "\uDE00\uD83D reversed", ""};
        long[] numbers = {0, -1, 9, 10, -10, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, 1764990000000L};
        for (String s : strings) {
            assertSame(new JsonBytes(1).startObject().field(s).string(s).endObject(), KubeEdgeJson.object().put(s, s));
        }
        for (long n : numbers) {
            assertSame(new JsonBytes(1).startObject().field("n").number(n).endObject(), KubeEdgeJson.object().put("n", n));
        }
        // every digit count, at its edges, both signs
        for (long p = 1; p > 0 && p <= Long.MAX_VALUE / 10 * 10; p = p <= Long.MAX_VALUE / 10 ? p * 10 : -1) {
            for (long n : new long[]{p - 1, p, p + 1, -p, -(p - 1), -(p + 1)}) {
                assertSame(new JsonBytes(1).startObject().field(JsonBytes.name("n")).number(n).endObject(), KubeEdgeJson.object().put("n", n));
            }
        }
        java.util.Random rnd = new java.util.Random(9);
        for (int i = 0; i < 10_000; i++) {
            long n = rnd.nextLong() >> rnd.nextInt(64);
            assertSame(new JsonBytes(1).startObject().field("n").number(n).endObject(), KubeEdgeJson.object().put("n", n));
        }
        assertSame(new JsonBytes(1).startObject().field("t").bool(true).field("f").bool(false).field("z").nul().endObject(),
                KubeEdgeJson.object().put("t", true).put("f", false).putNull("z"));
    }

    @Test
    void unbalancedObjectsAreRefused() {
        assertThatThrownBy(() -> new JsonBytes(8).startObject().toBytes()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonBytes(8).endObject()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonBytes(8).field("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonBytes(8).field(JsonBytes.name("x"))).isInstanceOf(IllegalStateException.class);
    }

    private static void assertSame(JsonBytes out, ObjectNode tree) {
        assertThat(out.toBytes()).isEqualTo(KubeEdgeJson.write(tree));
    }

    /** Fills both with the same random members (nested objects up to depth 4). */
    private static void write(Random rnd, JsonBytes out, ObjectNode tree, int depth) {
        out.startObject();
        int members = rnd.nextInt(5);
        for (int m = 0; m < members; m++) {
            String name = text(rnd);
            if (tree.has(name)) continue;
            if (rnd.nextBoolean()) out.field(name);
            else out.field(JsonBytes.name(name));   // encoded ahead: the same bytes
            switch (rnd.nextInt(depth < 4 ? 5 : 4)) {
                case 0 -> {
                    String v = text(rnd);
                    out.string(v);
                    tree.put(name, v);
                }
                case 1 -> {
                    long v = rnd.nextInt(3) == 0 ? rnd.nextLong() : rnd.nextInt(2000) - 1000;
                    out.number(v);
                    tree.put(name, v);
                }
                case 2 -> {
                    boolean v = rnd.nextBoolean();
                    out.bool(v);
                    tree.put(name, v);
                }
                case 3 -> {
                    out.nul();
                    tree.putNull(name);
                }
                default -> write(rnd, out, tree.putObject(name), depth + 1);
            }
        }
        out.endObject();
    }

    /** Mostly plain ASCII, sometimes escapes, non-ASCII, pairs and lone surrogates; lengths 0..40. */
    private static String text(Random rnd) {
        int n = rnd.nextInt(41);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            switch (rnd.nextInt(12)) {
                case 0 -> sb.append((char) rnd.nextInt(0x80));
                case 1 -> sb.append((char) (0x80 + rnd.nextInt(0x780)));
                case 2 -> sb.append((char) (0x800 + rnd.nextInt(0xD000)));
                case 3 -> sb.append(rnd.nextBoolean() ? "\uD83D\uDE00" : (char) (0xD800 + rnd.nextInt(0x800)));
                case 4 -> sb.append(rnd.nextBoolean() ? '"' : '\\');
                default -> sb.append((char) ('a' + rnd.nextInt(26)));
            }
        }
        return sb.toString();
    }
}
