package dev.edgetwin.edge.kubeedge;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.Envelope;
import dev.edgetwin.log.model.EventRecord;
import dev.edgetwin.log.model.Hlc;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast paths of {@code twin/update} give what the tree paths give: {@link TwinUpdateRequest#parse}
 * (streaming pass, tree fallback) equals {@link TwinUpdateRequest#parseTree} — the same request
 * with the same key order, or the same error code and reason — and {@link TwinUpdatePlan#resultMessage}
 * gives the bytes of serializing {@link TwinUpdatePlan#resultTwin}. Inputs are generated from a
 * fixed seed per run, mixing well-formed bodies with every oddity the tree path has rules for.
 */
class TwinUpdateFastPathTest {
    static final String TYPICAL = "{\"event_id\":\"load-3-123\",\"timestamp\":1764990000000,"
            + "\"twin\":{\"temperature\":{\"actual\":{\"value\":\"21.5\"},\"metadata\":{\"type\":\"float\"}}}}";
    static final KubeEdgeSettings SMALL = new KubeEdgeSettings(600, 4, 12, 16, 1, false);

    // ---------------------------------------------------------------- parsing

    @Test
    void theTypicalMessageTakesTheStreamingPass() {
        byte[] body = TYPICAL.getBytes(StandardCharsets.UTF_8);
        TwinUpdateRequest fast = TwinUpdateRequest.Streaming.read(body);
        assertThat(fast).isNotNull();
        assertThat(fast).isEqualTo(TwinUpdateRequest.parseTree(body, KubeEdgeSettings.DEFAULT));
        assertThat(fast.twin().get("temperature"))
                .isEqualTo(new TwinUpdateRequest.PropertyUpdate(null, "21.5", null, "float", false, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"Event_Id\":\"e\",\"twin\":{}}",                                   // case-insensitive key
            "{\"event_id\":\"e\",\"event_id\":\"f\",\"twin\":{}}",                // duplicate key
            "{\"twin\":{\"a\":{\"actual\":{\"value\":\"1\"}},\"a\":{}}}",         // duplicate property
            "{\"twin\":{\"a\":null}}",                                            // null
            "{\"event_id\":null,\"twin\":{}}",
            "{\"twin\":{\"a\":{\"actual\":{\"value\":1}}}}",                      // number value
            "{\"twin\":{\"a\":{\"actual\":{\"value\":true}}}}",
            "{\"timestamp\":1.5,\"twin\":{}}",
            "{\"timestamp\":99999999999999999999,\"twin\":{}}",
            "{\"twin\":{}} {}",                                                   // trailing tokens
            "{\"twin\":{}",                                                       // truncated
            "{\"extra\":1,\"twin\":{}}",                                          // unknown key
            "{\"twin\":{\"a\":{\"Actual\":{\"value\":\"1\"}}}}",
            "{\"twin\":{\"a\":{\"actual\":{\"Value\":\"1\"}}}}",
            "{\"twin\":{\"a\":{\"expected_version\":{\"edge\":1}}}}",
            "{}", "null", "[]", "", "  ",
            // outside what the streaming pass reads itself (JsonTokens): the tree path answers
            "{\"event_id\":\"a\\\"b\",\"twin\":{}}",                              // an escape
            "{\"event_id\":\"\u00e9\",\"twin\":{}}",                                  // non-ASCII
            "{\"event_id\":\"a\tb\",\"twin\":{}}",                                    // a raw control character
            "{\"timestamp\":01,\"twin\":{}}", "{\"timestamp\":-,\"twin\":{}}", "{\"timestamp\":1.,\"twin\":{}}",
            "{\"timestamp\":1e3,\"twin\":{}}", "{\"timestamp\":-9223372036854775808,\"twin\":{}}",
            "{\"timestamp\":9223372036854775808,\"twin\":{}}", "{\"timestamp\":12a,\"twin\":{}}",
            "{\"twin\":{\"a\":{\"optional\":tru}}}", "{\"twin\":{\"a\":{\"optional\":truex}}}",
            "\ufeff{\"twin\":{}}",                                                    // a byte order mark
            "{\"twin\":{},}", "{,\"twin\":{}}", "{\"twin\" {}}", "{\"twin\":{}}}", "{\"twin\":{}} x",
            "{\"twin\":{\"a\":{\"actual\":{\"value\":\"1\"}}}",                        // one brace short
            "{\"twin\":[]}", "{\"twin\":{\"a\":[]}}"})
    void oddBodiesGoToTheTreePath(String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        assertThat(TwinUpdateRequest.Streaming.read(b)).isNull();
        assertSameOutcome(b, KubeEdgeSettings.DEFAULT);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            " {\n\t\"event_id\" : \"e-1\" ,\r\n \"timestamp\":-0, \"twin\" :{ } } \n",
            "{\"timestamp\":9223372036854775807,\"twin\":{\"a\":{\"optional\":false,\"expected\":{\"value\":\"x y\"}}}}",
            "{\"twin\":{\"a\":{\"actual\":{\"metadata\":{\"timestamp\":0}},\"metadata\":{}}}}"})
    void whitespaceAndEdgeValuesStillTakeTheStreamingPass(String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        assertThat(TwinUpdateRequest.Streaming.read(b)).isNotNull();
        assertSameOutcome(b, KubeEdgeSettings.DEFAULT);
    }

    @Test
    void generatedBodiesParseAlikeOnBothPaths() {
        Random random = new Random(20261206L);
        int streamed = 0;
        for (int i = 0; i < 20_000; i++) {
            String body = i % 2 == 0 ? new BodyGen(random).clean() : new BodyGen(random).body();
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            if (TwinUpdateRequest.Streaming.read(b) != null) streamed++;
            assertSameOutcome(b, KubeEdgeSettings.DEFAULT);
            assertSameOutcome(b, SMALL);
        }
        // both sides of the split must be well exercised (strings with escapes or non-ASCII go to the tree path)
        assertThat(streamed).as("bodies the streaming pass took").isBetween(3_000, 15_000);
    }

    @Test
    void charClassLoopIsTheRegex() {
        Pattern chars = Pattern.compile("[A-Za-z0-9\\-_.,:/@#]+");
        for (char c = 0; c < 0x3000; c++) {
            String s = "a" + c + "b";
            assertThat(TwinUpdateRequest.valid(s, 100)).as("char %04x", (int) c).isEqualTo(chars.matcher(s).matches());
        }
        Random random = new Random(7);
        String alphabet = "aZ09-_.,:/@# \"\\\u00e9\u20ac\ud83d\ude00\n[]^";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder();
            for (int n = random.nextInt(8); n > 0; n--) s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            int max = 1 + random.nextInt(8);
            String v = s.toString();
            boolean regex = !v.isEmpty() && v.length() <= max && v.getBytes(StandardCharsets.UTF_8).length <= max
                    && chars.matcher(v).matches();
            assertThat(TwinUpdateRequest.valid(v, max)).as("'%s' max %d", v, max).isEqualTo(regex);
        }
    }

    static void assertSameOutcome(byte[] body, KubeEdgeSettings settings) {
        Object fast = outcome(() -> TwinUpdateRequest.parse(body, settings));
        Object tree = outcome(() -> TwinUpdateRequest.parseTree(body, settings));
        assertThat(fast).as(new String(body, StandardCharsets.UTF_8)).isEqualTo(tree);
    }

    /** A comparable result: the request and its key order, or the error, or the exception class. */
    static Object outcome(java.util.function.Supplier<TwinUpdateRequest> parse) {
        try {
            TwinUpdateRequest r = parse.get();
            return List.of(r, r.eventId(), new ArrayList<>(r.twin().keySet()), new ArrayList<>(r.twin().values()));
        } catch (TwinUpdateRequest.Rejected e) {
            return e.error();
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    /** Random bodies: mostly KubeEdge's shape, with odd keys, values, nulls, duplicates and broken syntax mixed in. */
    static final class BodyGen {
        static final String[] NAMES = {"temperature", "a", "power-status", "x.y:z/@#", "bad key", "\u00e9t\u00e9",
                "", "ABCDEFGHIJKLMNOP", "emoji\ud83d\ude00", "q\"uote", "back\\slash", "ctl\u0001"};
        static final String[] STRINGS = {"21.5", "", "ON", "-3", "1e5", "true", "a b", "\u00fc", "\ud83d\ude00",
                "x\"y", "tab\there", "0123456789abcdefXYZ", "\\u0041", "ab/cd@ef#gh"};
        final Random r;
        final StringBuilder out = new StringBuilder();
        boolean twist;

        BodyGen(Random r) {
            this.r = r;
        }

        /** KubeEdge's shape with valid or invalid keys and values, members in any order, no JSON oddity. */
        String clean() {
            twist = r.nextInt(3) == 0;
            List<Runnable> members = new ArrayList<>(List.of(() -> member("twin", () -> {
                out.append('{');
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    if (i > 0) out.append(',');
                    member(NAMES[i * 3 + r.nextInt(3)], () -> {
                        List<Runnable> parts = new ArrayList<>();
                        if (r.nextBoolean()) parts.add(() -> member("actual", this::cleanHalf));
                        if (r.nextInt(3) == 0) parts.add(() -> member("expected", this::cleanHalf));
                        if (r.nextBoolean()) parts.add(() -> member("metadata", () -> {
                            out.append('{');
                            if (r.nextInt(4) > 0) member("type", this::typeString);
                            out.append('}');
                        }));
                        if (r.nextInt(4) == 0) parts.add(() -> member("optional", () -> out.append(r.nextBoolean())));
                        if (r.nextInt(8) == 0) parts.add(() -> member(pick("expected_version", "actual_version"), () -> out.append("{}")));
                        java.util.Collections.shuffle(parts, r);
                        out.append('{');
                        for (int j = 0; j < parts.size(); j++) {
                            if (j > 0) out.append(',');
                            parts.get(j).run();
                        }
                        out.append('}');
                    });
                }
                out.append('}');
            })));
            if (r.nextInt(5) > 0) members.add(() -> member("event_id", this::string));
            if (r.nextInt(5) > 0) members.add(() -> member("timestamp", () -> out.append(pick("1764990000000", "0", "-1"))));
            java.util.Collections.shuffle(members, r);
            out.append(r.nextBoolean() ? "{" : " {\n");
            for (int j = 0; j < members.size(); j++) {
                if (j > 0) out.append(',');
                members.get(j).run();
            }
            return out.append(r.nextBoolean() ? "}" : "} \n").toString();
        }

        void cleanHalf() {
            out.append('{');
            boolean value = r.nextInt(8) > 0;
            if (value) member("value", () -> string(STRINGS[r.nextInt(STRINGS.length)]));
            if (r.nextInt(3) == 0) {
                if (value) out.append(',');
                member("metadata", () -> out.append(r.nextBoolean() ? "{}" : "{\"timestamp\":1764990000000}"));
            }
            out.append('}');
        }

        void typeString() {
            out.append(JsonNodeFactory.instance.textNode(pick("float", "int", "string", "boolean", "", "double")));
        }

        String body() {
            int shape = r.nextInt(20);
            if (shape == 0) return pick("null", "[]", "", " ", "\"s\"", "1", "{", "{}", "{\"twin\":{}}");
            object(this::top, 0, 4);
            String s = out.toString();
            if (shape == 1 && !s.isEmpty()) s = s.substring(0, r.nextInt(s.length()));                 // truncated
            if (shape == 2) s = s + pick(" ", "\n", "{}", "x", "null", "]", " 1");                       // trailing
            if (shape == 3 && s.length() > 2) {                                                           // one char gone
                int at = r.nextInt(s.length());
                s = s.substring(0, at) + s.substring(at + 1);
            }
            return s;
        }

        void top() {
            switch (r.nextInt(14)) {
                case 0, 1, 2 -> member(pick("event_id", "event_id", "EVENT_ID", "Event_Id"), this::string);
                case 3, 4 -> member(pick("timestamp", "timestamp", "TimeStamp"), this::int64);
                case 5 -> member("twin", this::anyValue);
                case 6 -> member(pick("extra", "Twin", "TWIN", ""), this::anyValue);
                default -> member(pick("twin", "twin", "twin", "Twin"), () -> object(this::property, 0, 5));
            }
        }

        void property() {
            String name = NAMES[r.nextInt(r.nextInt(4) == 0 ? NAMES.length : 3)];
            int k = r.nextInt(12);
            if (k == 0) member(name, () -> out.append("null"));
            else if (k == 1) member(name, this::anyValue);
            else member(name, () -> object(this::msgTwin, 0, 4));
        }

        void msgTwin() {
            switch (r.nextInt(12)) {
                case 0, 1, 2 -> member(pick("actual", "actual", "Actual"), this::halfOrOdd);
                case 3, 4 -> member(pick("expected", "expected", "EXPECTED"), this::halfOrOdd);
                case 5, 6 -> member(pick("metadata", "metadata", "Metadata"),
                        () -> oddOr(() -> object(() -> member(pick("type", "type", "Type", "other"), this::typeValue), 0, 2)));
                case 7 -> member(pick("optional", "Optional"), () -> out.append(pick("true", "false", "null", "1", "\"true\"")));
                case 8 -> member(pick("expected_version", "actual_version", "Expected_Version"),
                        () -> out.append(pick("{}", "{}", "null", "{\"edge\":1}", "[]", "{ }")));
                default -> member(pick("actual", "expected"), this::half);
            }
        }

        void halfOrOdd() {
            oddOr(this::half);
        }

        void half() {
            object(() -> {
                switch (r.nextInt(8)) {
                    case 0 -> member(pick("metadata", "Metadata"), () -> oddOr(() -> object(
                            () -> member(pick("timestamp", "timestamp", "TIMESTAMP", "x"), this::int64), 0, 2)));
                    case 1 -> member(pick("Value", "VALUE", "other"), this::anyValue);
                    case 2 -> member("value", this::anyValue);
                    default -> member("value", this::string);
                }
            }, r.nextInt(6) == 0 ? 0 : 1, 3);
        }

        void typeValue() {
            if (r.nextInt(6) == 0) anyValue();
            else string(pick("float", "int", "string", "boolean", "", "integer", "deleted", "double", "Float"));
        }

        void oddOr(Runnable normal) {
            if (r.nextInt(10) == 0) anyValue();
            else normal.run();
        }

        void int64() {
            out.append(pick("1764990000000", "0", "-1", "9223372036854775807", "9223372036854775808",
                    "-9223372036854775809", "1.0", "1e3", "null", "\"1\"", "true", "12"));
        }

        void string() {
            string(STRINGS[r.nextInt(STRINGS.length)]);
        }

        void string(String s) {
            out.append(JsonNodeFactory.instance.textNode(s));   // quoted and escaped
            if (r.nextInt(200) == 0) out.append("\\u00");        // broken escape
        }

        void anyValue() {
            switch (r.nextInt(9)) {
                case 0 -> out.append("null");
                case 1 -> out.append(pick("true", "false"));
                case 2 -> out.append(pick("0", "-7", "21.5", "1e400", "123456789012345678901234567890", "-0.0"));
                case 3 -> out.append(pick("[]", "[1,\"a\"]", "[null]"));
                case 4 -> out.append(pick("{}", "{\"value\":\"1\"}", "{\"a\":{\"b\":[]}}"));
                default -> string();
            }
        }

        /** An object of min..max members written by {@code member}, sometimes with a member repeated. */
        void object(Runnable member, int min, int max) {
            out.append('{');
            int n = min + r.nextInt(max - min + 1);
            for (int i = 0; i < n; i++) {
                if (i > 0) out.append(r.nextInt(300) == 0 ? ",," : ",");
                int mark = out.length();
                member.run();
                if (r.nextInt(25) == 0) {   // a duplicate of the member just written
                    String again = out.substring(mark);
                    out.append(',').append(again);
                }
            }
            out.append('}');
        }

        void member(String name, Runnable value) {
            if (twist && !name.isEmpty() && r.nextInt(8) == 0) {
                // the member twice: as is and as a case variant or an exact duplicate, in either order
                String variant = switch (r.nextInt(3)) {
                    case 0 -> name.toUpperCase(java.util.Locale.ROOT);
                    case 1 -> Character.toUpperCase(name.charAt(0)) + name.substring(1);
                    default -> name;
                };
                boolean variantFirst = r.nextBoolean();
                write(variantFirst ? variant : name, value);
                out.append(',');
                write(variantFirst ? name : variant, value);
                return;
            }
            write(name, value);
        }

        void write(String name, Runnable value) {
            out.append(JsonNodeFactory.instance.textNode(name)).append(':');
            value.run();
        }

        String pick(String... options) {
            return options[r.nextInt(options.length)];
        }
    }

    // ---------------------------------------------------------------- result bytes

    static final DeviceId ID = new DeviceId("default", "sensor-1");
    static final String[] PROPS = {"temperature", "power", "level", "ratio", "flag", "blob", "note", "x.y:z/@#"};
    static final String[] DEF_TYPES = {"int", "float", "boolean", "string", "object", "array", ""};

    @Test
    void resultBytesAreTheTreeBytesForGeneratedUpdates() {
        Random random = new Random(1206L);
        int compared = 0;
        for (int i = 0; i < 10_000; i++) {
            DeviceTwin before = twin(random);
            TwinUpdateRequest request = request(random);
            TwinUpdatePlan plan;
            try {
                plan = TwinUpdatePlan.of(before, request, 1 + random.nextInt(10));
            } catch (TwinUpdateRequest.Rejected e) {
                continue;
            }
            DeviceTwin after = applied(before, plan, random);
            String eventId = random.nextInt(5) == 0 ? "odd \"id\" \u00e9\ud83d\ude00\u0007" : "load-3-" + i;
            long now = 1_764_990_000_000L + random.nextInt(1000);
            for (DeviceTwin shown : new DeviceTwin[]{after, before, DeviceTwin.empty(ID)}) {
                assertSameResult(plan, shown, eventId, now);
            }
            compared++;
        }
        assertThat(compared).isGreaterThan(2_000);
    }

    @Test
    void resultBytesOfTheTypicalUpdate() {
        DeviceTwin before = register(Map.of("temperature", new PropertyDef("float", false)), 1);
        TwinUpdateRequest request = TwinUpdateRequest.parse(TYPICAL.getBytes(StandardCharsets.UTF_8), KubeEdgeSettings.DEFAULT);
        TwinUpdatePlan plan = TwinUpdatePlan.of(before, request, 100);
        DeviceTwin after = applied(before, plan, new Random(1));
        byte[] bytes = assertSameResult(plan, after, "load-3-123", 1764990000000L);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).matches(Pattern.quote("{\"event_id\":\"load-3-123\",\"timestamp\":1764990000000,"
                + "\"twin\":{\"temperature\":{\"actual\":{\"value\":\"21.5\",\"metadata\":{\"timestamp\":") + "\\d+"
                + Pattern.quote("}},\"optional\":false,\"metadata\":{\"type\":\"float\"}}}}"));
    }

    /** Old: the tree, serialized by a mapper as KubeEdgeJson's was; new: the message written in one pass. */
    static byte[] assertSameResult(TwinUpdatePlan plan, DeviceTwin after, String eventId, long now) {
        ObjectNode tree = KubeEdgeJson.base(eventId, now);
        tree.set("twin", plan.resultTwin(after));
        byte[] expected;
        try {
            expected = REFERENCE.writeValueAsBytes(tree);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(KubeEdgeJson.write(tree)).as("reused writer").isEqualTo(expected);
        byte[] actual = plan.resultMessage(eventId, now, after);
        assertThat(new String(actual, StandardCharsets.UTF_8)).isEqualTo(new String(expected, StandardCharsets.UTF_8));
        assertThat(actual).as("one pass").isEqualTo(expected);
        return actual;
    }

    /** A mapper configured as KubeEdgeJson's, used the way KubeEdgeJson.write used it before. */
    static final JsonMapper REFERENCE = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    static long hlc = Hlc.pack(1_764_000_000_000L, 0);

    static EventRecord record(TwinEvent e) {
        hlc += Hlc.pack(1, 0) + 1;
        return new EventRecord(new Envelope("edge/edge-a", 0, hlc, "edge-a", Hlc.millis(hlc), ""), e);
    }

    static DeviceTwin register(Map<String, PropertyDef> defs, int ignored) {
        return DeviceTwin.empty(ID).apply(record(new TwinEvent.DeviceRegistered(ID, "edge-a", "", Map.of(), defs)));
    }

    static DeviceTwin twin(Random r) {
        Map<String, PropertyDef> defs = new TreeMap<>();
        for (String p : PROPS) {
            if (r.nextInt(3) == 0) defs.put(p, new PropertyDef(DEF_TYPES[r.nextInt(DEF_TYPES.length)], false));
        }
        DeviceTwin t = register(defs, 0);
        for (String p : PROPS) {
            int d = r.nextInt(5);
            if (d == 1) t = t.apply(record(new TwinEvent.DesiredSet(ID, p, value(r))));
            if (d == 2) t = t.apply(record(new TwinEvent.DesiredCleared(ID, p)));
            int a = r.nextInt(5);
            if (a == 1 || a == 3) t = t.apply(record(new TwinEvent.ReportedSet(ID, p, value(r))));
            if (a == 2) t = t.apply(record(new TwinEvent.ReportedCleared(ID, p)));
        }
        return t;
    }

    static JsonNode value(Random r) {
        return switch (r.nextInt(10)) {
            case 0 -> JsonValues.parse(String.valueOf(r.nextInt(2000) - 1000));
            case 1 -> JsonNodeFactory.instance.numberNode(new BigDecimal(r.nextInt(100000)).movePointLeft(r.nextInt(5)));
            case 2 -> JsonValues.parse(r.nextBoolean() ? "true" : "false");
            case 3 -> JsonValues.parse("{\"b\":[1,\"\u00e9\"],\"a\":null}");
            case 4 -> JsonValues.parse("1e-400");
            case 5 -> JsonValues.text(ODD[r.nextInt(ODD.length)]);
            default -> JsonValues.text(r.nextBoolean() ? "ON" : String.valueOf(r.nextInt(100)));
        };
    }

    static final String[] ODD = {"", "q\"uote", "back\\slash", "tab\tnl\n", "ctl\u0001\u001f\u007f", "\u00e9t\u00e9 \u20ac",
            "\ud83d\ude00 emoji", "lone \ud800 surrogate", "</script>", "\u2028\u2029"};

    static TwinUpdateRequest request(Random r) {
        Map<String, TwinUpdateRequest.PropertyUpdate> twin = new LinkedHashMap<>();
        for (int n = 1 + r.nextInt(4); n > 0; n--) {
            String p = r.nextInt(8) == 0 ? "new-" + r.nextInt(3) : PROPS[r.nextInt(PROPS.length)];
            if (r.nextInt(6) == 0) {
                twin.put(p, null);
                continue;
            }
            String expected = r.nextInt(3) == 0 ? text(r) : null;
            String actual = r.nextInt(3) > 0 ? text(r) : null;
            String type = r.nextInt(3) == 0 ? null : new String[]{"int", "float", "boolean", "string", ""}[r.nextInt(5)];
            Boolean optional = r.nextInt(3) == 0 ? null : r.nextBoolean();
            twin.put(p, new TwinUpdateRequest.PropertyUpdate(expected, actual, optional, type, false, false));
        }
        return new TwinUpdateRequest("e", twin);
    }

    static String text(Random r) {
        return switch (r.nextInt(7)) {
            case 0 -> String.valueOf(r.nextInt(200) - 100);
            case 1 -> r.nextInt(100) + "." + r.nextInt(100);
            case 2 -> r.nextBoolean() ? "true" : "false";
            case 3 -> ODD[r.nextInt(ODD.length)];
            default -> r.nextBoolean() ? "ON" : "OFF";
        };
    }

    /** The twin after the plan's patches (or only some of them: a write may land partly or not at all). */
    static DeviceTwin applied(DeviceTwin before, TwinUpdatePlan plan, Random r) {
        DeviceTwin t = before;
        boolean desired = r.nextInt(10) > 0;
        boolean reported = r.nextInt(10) > 0;
        if (desired) {
            for (Map.Entry<String, JsonNode> e : plan.desired().entrySet()) {
                t = t.apply(record(e.getValue() == null ? new TwinEvent.DesiredCleared(ID, e.getKey())
                        : new TwinEvent.DesiredSet(ID, e.getKey(), e.getValue())));
            }
        }
        if (reported) {
            for (Map.Entry<String, JsonNode> e : plan.reported().entrySet()) {
                t = t.apply(record(e.getValue() == null ? new TwinEvent.ReportedCleared(ID, e.getKey())
                        : new TwinEvent.ReportedSet(ID, e.getKey(), e.getValue())));
            }
        }
        return t;
    }
}
