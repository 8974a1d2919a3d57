package dev.edgetwin.log.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** EventCodec: every kind round-trips, bytes are canonical, and damaged input is refused with IllegalArgumentException only. */
class EventCodecTest {
    private static final DeviceId PUMP = new DeviceId("plant-ü", "pump-🚰");
    private static final String NESTED = "{\"z\":[1,2.5,{\"deep\":[true,null,\"ß\"]}],\"a\":{\"b\":{\"c\":-12345678901234567890123}}}";

    static List<TwinEvent> oneOfEachKind() {
        return List.of(
                new TwinEvent.DeviceRegistered(PUMP, "edge-a", "pump-模型",
                        Map.of("serial", JsonValues.text("A1"), "geo", JsonValues.parse(NESTED)),
                        Map.of("power", new PropertyDef("string", false), "temp", new PropertyDef("float", true))),
                new TwinEvent.DeviceRemoved(PUMP),
                new TwinEvent.DesiredSet(PUMP, "power", JsonValues.text("ON ✓ \"quoted\" \\ \n 😀")),
                new TwinEvent.DesiredCleared(PUMP, "power"),
                new TwinEvent.ReportedSet(PUMP, "config", JsonValues.parse(NESTED)),
                new TwinEvent.ReportedCleared(PUMP, "config"),
                new TwinEvent.DeviceStateChanged(PUMP, DeviceState.UNHEALTHY));
    }

    @Test
    void everyKindRoundTrips() {
        List<TwinEvent> events = oneOfEachKind();
        assertThat(events.stream().map(EventCodec::kindName).distinct()).hasSize(7);
        for (TwinEvent e : events) {
            byte[] bytes = EventCodec.encode(e);
            assertThat(EventCodec.decode(bytes)).as(EventCodec.kindName(e)).isEqualTo(e);
            assertThat(EventCodec.encode(EventCodec.decode(bytes))).isEqualTo(bytes);
        }
        for (DeviceState s : DeviceState.values()) {
            TwinEvent e = new TwinEvent.DeviceStateChanged(PUMP, s);
            assertThat(EventCodec.decode(EventCodec.encode(e))).isEqualTo(e);
        }
    }

    @Provide
    Arbitrary<TwinEvent> events() {
        return ModelArbitraries.event(Arbitraries.of(ModelArbitraries.DEVICES));
    }

    @Property(tries = 500)
    void randomEventsRoundTrip(@ForAll("events") TwinEvent e) {
        byte[] bytes = EventCodec.encode(e);
        TwinEvent back = EventCodec.decode(bytes);
        assertThat(back).isEqualTo(e);
        assertThat(EventCodec.encode(back)).isEqualTo(bytes);
    }

    @Property(tries = 300)
    void aHintIsUsedOnlyForItsOwnDevice(@ForAll("events") TwinEvent e) {
        byte[] bytes = EventCodec.encode(e);
        DeviceId same = new DeviceId(e.device().namespace(), e.device().name());
        for (DeviceId hint : List.of(same, DeviceId.of("other"), new DeviceId(e.device().namespace(), e.device().name() + "x"),
                new DeviceId(e.device().namespace() + "x", e.device().name()), PUMP)) {
            TwinEvent back = EventCodec.decode(bytes, hint);
            assertThat(back).isEqualTo(e);
            assertThat(EventCodec.encode(back)).isEqualTo(bytes);
            boolean ascii = StandardCharsets.US_ASCII.newEncoder().canEncode(hint.toString());
            if (hint.equals(e.device()) && ascii) {
                assertThat(back.device()).as("the hint itself").isSameAs(hint);
            } else if (!hint.equals(e.device())) {
                assertThat(back.device()).isNotSameAs(hint);
            }
        }
    }

    @Test
    void aHintOfADeviceWithNonAsciiIdsStillDecodesTheRightDevice() {
        for (TwinEvent e : oneOfEachKind()) {
            TwinEvent back = EventCodec.decode(EventCodec.encode(e), new DeviceId(PUMP.namespace(), PUMP.name()));
            assertThat(back).isEqualTo(e);
        }
        // a hint whose ASCII namespace matches and whose name runs past the payload's end
        byte[] bytes = EventCodec.encode(new TwinEvent.DeviceRemoved(DeviceId.of("a")));
        assertThat(EventCodec.decode(bytes, DeviceId.of("a".repeat(40))).device()).isEqualTo(DeviceId.of("a"));
    }

    @Test
    void layoutIsTheDocumentedOne() {
        byte[] b = EventCodec.encode(new TwinEvent.DesiredSet(DeviceId.of("a"), "p", JsonValues.parse("1.50")));
        ByteBuffer bb = ByteBuffer.wrap(b);
        assertThat(bb.get()).isEqualTo((byte) EventCodec.VERSION);
        assertThat(bb.get()).isEqualTo((byte) 3);
        assertThat(str(bb)).isEqualTo("default");
        assertThat(str(bb)).isEqualTo("a");
        assertThat(str(bb)).isEqualTo("p");
        assertThat(bb.get()).isEqualTo((byte) 6); // value tag: decimal
        assertThat(bb.getLong()).isEqualTo(15L);    // unscaled value of canonical 1.5
        assertThat(bb.getInt()).isEqualTo(1);       // scale
        assertThat(bb.hasRemaining()).isFalse();

        ByteBuffer text = ByteBuffer.wrap(EventCodec.encode(new TwinEvent.ReportedSet(DeviceId.of("a"), "p", JsonValues.text("ON"))));
        text.position(2);
        assertThat(str(text) + str(text) + str(text)).isEqualTo("defaultap");
        assertThat(text.get()).isEqualTo((byte) 1); // value tag: string
        assertThat(str(text)).isEqualTo("ON");
        ByteBuffer object = ByteBuffer.wrap(EventCodec.encode(new TwinEvent.ReportedSet(DeviceId.of("a"), "p", JsonValues.parse("{\"b\":1,\"a\":2}"))));
        object.position(2);
        assertThat(str(object) + str(object) + str(object)).isEqualTo("defaultap");
        assertThat(object.get()).isEqualTo((byte) 0); // value tag: canonical JSON text
        assertThat(str(object)).isEqualTo("{\"a\":2,\"b\":1}");

        byte[] removed = EventCodec.encode(new TwinEvent.DeviceRemoved(DeviceId.of("a")));
        assertThat(HexFormat.of().formatHex(removed)).isEqualTo("0102" + "00000007" + hex("default") + "00000001" + hex("a"));
        byte[] state = EventCodec.encode(new TwinEvent.DeviceStateChanged(DeviceId.of("a"), DeviceState.OFFLINE));
        assertThat(state[state.length - 1]).isEqualTo((byte) DeviceState.OFFLINE.ordinal());
    }

    @Test
    void equalEventsEncodeToEqualBytes_whateverTheInputSpelling() {
        Map<String, JsonNode> attrsA = new LinkedHashMap<>();
        attrsA.put("b", JsonValues.MAPPER.createObjectNode().put("y", 1.0).put("x", "1"));
        attrsA.put("a", JsonNodeFactory.instance.numberNode(new java.math.BigDecimal("2.500")));
        Map<String, JsonNode> attrsB = new TreeMap<>();
        attrsB.put("a", JsonValues.parse("2.5"));
        ObjectNode b = JsonValues.MAPPER.createObjectNode();
        b.put("x", "1");
        b.put("y", 1);
        attrsB.put("b", b);
        Map<String, PropertyDef> propsA = new LinkedHashMap<>();
        propsA.put("z", new PropertyDef("int", false));
        propsA.put("m", new PropertyDef(null, false));
        Map<String, PropertyDef> propsB = Map.of("m", PropertyDef.ANY, "z", new PropertyDef("int", false));
        TwinEvent one = new TwinEvent.DeviceRegistered(PUMP, "edge-a", null, attrsA, propsA);
        TwinEvent two = new TwinEvent.DeviceRegistered(PUMP, "edge-a", "", attrsB, propsB);
        assertThat(one).isEqualTo(two);
        assertThat(EventCodec.encode(one)).isEqualTo(EventCodec.encode(two));
    }

    @Test
    void unpairedSurrogates() {
        // in a JSON value: replaced by U+FFFD, so the writer's event equals every replica's
        TwinEvent e = new TwinEvent.ReportedSet(PUMP, "p", JsonValues.parse("{\"k\\ud800\":\"x\\udc00y\"}"));
        assertThat(JsonValues.write(((TwinEvent.ReportedSet) e).value())).isEqualTo("{\"k\uFFFD\":\"x\uFFFDy\"}");
        assertThat(EventCodec.decode(EventCodec.encode(e))).isEqualTo(e);
        // in a name: refused rather than written as '?'
        assertThatThrownBy(() -> EventCodec.encode(new TwinEvent.DesiredCleared(PUMP, "p\ud800")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyTruncationIsRefused() {
        for (TwinEvent e : oneOfEachKind()) Garbage.everyTruncationRefused(EventCodec::decode, EventCodec.encode(e));
    }

    @Test
    void everyDamagedByteDecodesOrIsRefused() {
        Random random = new Random(42);
        int refused = 0;
        for (TwinEvent e : oneOfEachKind()) refused += Garbage.everyByteDamaged(EventCodec::decode, EventCodec.encode(e), random);
        assertThat(refused).isPositive();
    }

    @Test
    void randomBytesAreRefused() {
        Random random = new Random(7);
        // pure noise, then noise behind a valid version and each kind byte, to reach the field decoders
        int refused = Garbage.randomArraysRefused(EventCodec::decode, new byte[0], 10_000, 64, random);
        for (int kind = 1; kind <= 8; kind++) {
            refused += Garbage.randomArraysRefused(EventCodec::decode, new byte[]{1, (byte) kind}, 1_000, 48, random);
        }
        assertThat(refused).isGreaterThan(15_000);
    }

    @Test
    void codedReasons() {
        byte[] good = EventCodec.encode(new TwinEvent.DeviceStateChanged(DeviceId.of("a"), DeviceState.ONLINE));
        assertRefused(with(good, 0, 2), "unknown event format version 2");
        assertRefused(with(good, 1, 9), "unknown event kind 9");
        assertRefused(with(good, good.length - 1, DeviceState.values().length), "unknown device state");
        // a length prefix far beyond the input: refused before anything is allocated
        byte[] huge = good.clone();
        huge[2] = 0x7F;
        assertRefused(huge, "truncated");
        byte[] negative = good.clone();
        negative[2] = (byte) 0xFF;
        assertRefused(negative, "truncated");

        byte[] set = EventCodec.encode(new TwinEvent.DesiredSet(DeviceId.of("a"), "p", JsonValues.text("é")));
        assertRefused(with(set, set.length - 2, 0x41), "invalid UTF-8");
        assertRefused(withJson("{\"a\":"), "invalid JSON");
        assertRefused(withJson("1 2"), "invalid JSON");
        assertRefused(withJson(""), "invalid JSON");
        // one value, one encoding: scalars and short numbers never come as JSON text
        assertRefused(withJson("\"ON\""), "tag of its own");
        assertRefused(withJson("42"), "tag of its own");
        assertRefused(withJson("1.5"), "tag of its own");
        assertRefused(withJson("true"), "tag of its own");

        byte[] reg = EventCodec.encode(new TwinEvent.DeviceRegistered(DeviceId.of("a"), "n", "m", Map.of(),
                Map.of("p", PropertyDef.ANY)));
        assertRefused(with(reg, reg.length - 1, 2), "bad boolean");
        // attribute count larger than the bytes could hold
        int countAt = 2 + 4 + 7 + 4 + 1 + 4 + 1 + 4 + 1;
        assertRefused(with(reg, countAt, 0x40), "bad count");
    }

    @Test
    void hugeExponentInAJsonFieldDecodesWithoutExpanding() {
        TwinEvent e = EventCodec.decode(rawDesiredSet("1e999999999"));
        assertThat(JsonValues.write(((TwinEvent.DesiredSet) e).value())).isEqualTo("1E+999999999");
        // non-canonical JSON text from elsewhere decodes to the canonical event
        TwinEvent spelled = EventCodec.decode(rawDesiredSet("{\"b\":1.0,\"a\":[2.50]}"));
        assertThat(EventCodec.encode(spelled)).isEqualTo(rawDesiredSet("{\"a\":[2.5],\"b\":1}"));
        // a non-canonical decimal in tagged form is refused
        byte[] decimal = new BinaryWriter().u8(1).u8(3).str("default").str("a").str("p")
                .u8(BinaryWriter.TAG_DECIMAL).i64(150).i32(2).toBytes();
        assertRefused(decimal, "non-canonical decimal");
    }

    private static byte[] withJson(String json) {
        return rawDesiredSet(json);
    }

    private static byte[] rawDesiredSet(String json) {
        BinaryWriter w = new BinaryWriter().u8(1).u8(3).str("default").str("a").str("p");
        return w.u8(BinaryWriter.TAG_JSON).str(json).toBytes();
    }

    private static void assertRefused(byte[] bytes, String reason) {
        assertThatThrownBy(() -> EventCodec.decode(bytes)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
    }

    private static byte[] with(byte[] b, int at, int value) {
        byte[] copy = b.clone();
        copy[at] = (byte) value;
        return copy;
    }

    private static String str(ByteBuffer bb) {
        byte[] s = new byte[bb.getInt()];
        bb.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }
}
