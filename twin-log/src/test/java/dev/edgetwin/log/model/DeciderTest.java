package dev.edgetwin.log.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Decider: one test per command kind and per coded rejection; a rejection never carries events. */
class DeciderTest {
    private static final DeviceId LAMP = DeviceId.of("lamp-1");
    private static final Decider DECIDER = new Decider(Limits.DEFAULT);
    private static final Map<String, PropertyDef> PROPS = Map.of(
            "power", new PropertyDef("string", false),
            "brightness", new PropertyDef("int", false),
            "ratio", new PropertyDef("float", false),
            "enabled", new PropertyDef("boolean", false),
            "config", new PropertyDef("object", false),
            "colors", new PropertyDef("array", false),
            "temperature", new PropertyDef("float", true),
            "note", PropertyDef.ANY);

    private long clock = Hlc.pack(1_700_000_000_000L, 0);

    private static JsonNode json(String text) {
        return JsonValues.parse(text);
    }

    private static Map<String, JsonNode> map(Object... keyValues) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], (JsonNode) keyValues[i + 1]);
        return m;
    }

    private static TwinCommand.RegisterDevice register(Map<String, JsonNode> desired) {
        return new TwinCommand.RegisterDevice(LAMP, "edge-a", "led-light", Map.of("serial", JsonValues.text("A1")), PROPS, desired);
    }

    private static List<TwinEvent> accepted(Decision d) {
        assertThat(d).isInstanceOf(Decision.Accepted.class);
        return ((Decision.Accepted) d).events();
    }

    private static TwinError rejected(Decision d, String code) {
        assertThat(d).isInstanceOf(Decision.Rejected.class);
        TwinError e = ((Decision.Rejected) d).error();
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.message()).isNotBlank();
        return e;
    }

    /** Decides against {@code twin} and applies the accepted events, as a node would. */
    private DeviceTwin run(DeviceTwin twin, TwinCommand command) {
        for (TwinEvent e : accepted(DECIDER.decide(twin, command))) twin = twin.apply(ModelArbitraries.record("cloud", clock++, e));
        return twin;
    }

    private DeviceTwin registered() {
        return run(DeviceTwin.empty(LAMP), register(map("power", JsonValues.text("ON"), "brightness", json("10"))));
    }

    // ---- one test per command kind

    @Test
    void register_emitsRegistrationThenDesiredValues() {
        List<TwinEvent> events = accepted(DECIDER.decide(DeviceTwin.empty(LAMP),
                register(map("power", JsonValues.text("ON"), "ratio", json("0.50"), "note", NullNode.getInstance()))));
        assertThat(events).containsExactly(
                new TwinEvent.DeviceRegistered(LAMP, "edge-a", "led-light", Map.of("serial", JsonValues.text("A1")), PROPS),
                new TwinEvent.DesiredSet(LAMP, "power", JsonValues.text("ON")),
                new TwinEvent.DesiredSet(LAMP, "ratio", json("0.5")));
    }

    @Test
    void registerReplace_clearsDesiredValuesAbsentFromTheNewRegistration_keepsReported() {
        DeviceTwin t = registered();
        t = run(t, new TwinCommand.PatchReported(LAMP, map("power", JsonValues.text("OFF"))));
        List<TwinEvent> events = accepted(DECIDER.decide(t, register(map("brightness", json("20")))));
        assertThat(events).containsExactly(
                new TwinEvent.DeviceRegistered(LAMP, "edge-a", "led-light", Map.of("serial", JsonValues.text("A1")), PROPS),
                new TwinEvent.DesiredSet(LAMP, "brightness", json("20")),
                new TwinEvent.DesiredCleared(LAMP, "power"));
        t = run(t, register(map("brightness", json("20"))));
        assertThat(t.desired("power")).isEmpty();
        assertThat(t.desired("brightness")).contains(json("20"));
        assertThat(t.reported("power")).contains(JsonValues.text("OFF"));
        // an explicit null in the registration clears too
        assertThat(accepted(DECIDER.decide(t, register(map("brightness", NullNode.getInstance())))))
                .contains(new TwinEvent.DesiredCleared(LAMP, "brightness"));
    }

    @Test
    void registerOverAnAbsentTwin_clearsDesiredValuesThatSurvivedTheRemoval() {
        DeviceTwin t = run(registered(), new TwinCommand.RemoveDevice(LAMP));
        // a desired value written after the removal (e.g. at an edge that had not seen it yet)
        t = t.apply(ModelArbitraries.record("edge-a", clock++, new TwinEvent.DesiredSet(LAMP, "mode", JsonValues.text("eco"))));
        assertThat(t.exists()).isFalse();
        t = run(t, register(map()));
        assertThat(t.exists()).isTrue();
        assertThat(t.desired("mode")).isEmpty();
    }

    @Test
    void registerOnAnotherNode_isAMove_removalFirstThenTheNewRegistrationWithItsDesiredValuesOnly() {
        DeviceTwin t = run(registered(), new TwinCommand.PatchReported(LAMP, map("power", JsonValues.text("OFF"))));
        TwinCommand.RegisterDevice toB = new TwinCommand.RegisterDevice(LAMP, "edge-b", "led-light", Map.of(), PROPS,
                map("power", JsonValues.text("ON")));
        assertThat(Decider.isMove(t, toB)).isTrue();
        assertThat(Decider.isMove(t, register(map()))).isFalse();
        assertThat(Decider.isMove(DeviceTwin.empty(LAMP), toB)).isFalse();
        assertThat(accepted(DECIDER.decide(t, toB))).containsExactly(
                new TwinEvent.DeviceRemoved(LAMP),
                new TwinEvent.DeviceRegistered(LAMP, "edge-b", "led-light", Map.of(), PROPS),
                new TwinEvent.DesiredSet(LAMP, "power", JsonValues.text("ON")));
        t = run(t, toB);
        assertThat(t.node()).isEqualTo("edge-b");
        assertThat(t.desired("power")).contains(JsonValues.text("ON"));
        assertThat(t.desired("brightness")).isEmpty();
        assertThat(t.reported("power")).isEmpty(); // the old node's report is hidden by the removal
    }

    @Test
    void remove_emitsDeviceRemoved() {
        DeviceTwin t = registered();
        assertThat(accepted(DECIDER.decide(t, new TwinCommand.RemoveDevice(LAMP)))).containsExactly(new TwinEvent.DeviceRemoved(LAMP));
        assertThat(run(t, new TwinCommand.RemoveDevice(LAMP)).exists()).isFalse();
    }

    @Test
    void patchDesired_setsAndNullClearsOnlySetValues() {
        DeviceTwin t = registered();
        List<TwinEvent> events = accepted(DECIDER.decide(t, new TwinCommand.PatchDesired(LAMP,
                map("power", NullNode.getInstance(), "ratio", NullNode.getInstance(), "brightness", json("11")))));
        // power was set: cleared; ratio was not set: nothing to clear (RFC 7386)
        assertThat(events).containsExactly(
                new TwinEvent.DesiredCleared(LAMP, "power"),
                new TwinEvent.DesiredSet(LAMP, "brightness", json("11")));
        Map<String, JsonNode> javaNull = new HashMap<>();
        javaNull.put("brightness", null);
        assertThat(accepted(DECIDER.decide(t, new TwinCommand.PatchDesired(LAMP, javaNull))))
                .containsExactly(new TwinEvent.DesiredCleared(LAMP, "brightness"));
        // an equal value is still an event (KubeEdge re-stamps it)
        assertThat(accepted(DECIDER.decide(t, new TwinCommand.PatchDesired(LAMP, map("power", JsonValues.text("ON"))))))
                .containsExactly(new TwinEvent.DesiredSet(LAMP, "power", JsonValues.text("ON")));
        assertThat(accepted(DECIDER.decide(t, new TwinCommand.PatchDesired(LAMP, map())))).isEmpty();
    }

    @Test
    void patchReported_setsAndClears_readOnlyIsFine() {
        DeviceTwin t = registered();
        t = run(t, new TwinCommand.PatchReported(LAMP, map("temperature", json("21.5"), "power", JsonValues.text("ON"))));
        assertThat(t.reported("temperature")).contains(json("21.5"));
        List<TwinEvent> events = accepted(DECIDER.decide(t, new TwinCommand.PatchReported(LAMP,
                map("temperature", NullNode.getInstance(), "brightness", NullNode.getInstance()))));
        assertThat(events).containsExactly(new TwinEvent.ReportedCleared(LAMP, "temperature"));
    }

    @Test
    void changeState_emitsStateChanged() {
        DeviceTwin t = registered();
        assertThat(accepted(DECIDER.decide(t, new TwinCommand.ChangeState(LAMP, DeviceState.OFFLINE))))
                .containsExactly(new TwinEvent.DeviceStateChanged(LAMP, DeviceState.OFFLINE));
        assertThat(run(t, new TwinCommand.ChangeState(LAMP, DeviceState.OK)).state()).isEqualTo(DeviceState.OK);
    }

    // ---- coded rejections

    @Test
    void idInvalid() {
        for (DeviceId bad : List.of(DeviceId.of("Lamp"), DeviceId.of(""), DeviceId.of("-lamp"), DeviceId.of("a/b"),
                new DeviceId("Default", "lamp"), DeviceId.of("x".repeat(254)))) {
            rejected(DECIDER.decide(DeviceTwin.empty(bad), new TwinCommand.RegisterDevice(bad, "edge-a", "", null, null, null)),
                    TwinError.ID_INVALID);
            rejected(DECIDER.decide(DeviceTwin.empty(bad), new TwinCommand.RemoveDevice(bad)), TwinError.ID_INVALID);
        }
        assertThat(accepted(DECIDER.decide(DeviceTwin.empty(DeviceId.of("x".repeat(253))),
                new TwinCommand.RegisterDevice(DeviceId.of("x".repeat(253)), "edge-a", "", null, null, null)))).hasSize(1);
    }

    @Test
    void nodeInvalid() {
        for (String node : new String[]{null, "", "Edge-A", "edge_a", "edge-"}) {
            rejected(DECIDER.decide(DeviceTwin.empty(LAMP), new TwinCommand.RegisterDevice(LAMP, node, "", null, null, null)),
                    TwinError.NODE_INVALID);
        }
    }

    @Test
    void modelInvalid() {
        rejected(DECIDER.decide(DeviceTwin.empty(LAMP), new TwinCommand.RegisterDevice(LAMP, "edge-a", "LED Light", null, null, null)),
                TwinError.MODEL_INVALID);
        assertThat(accepted(DECIDER.decide(DeviceTwin.empty(LAMP), new TwinCommand.RegisterDevice(LAMP, "edge-a", null, null, null, null))))
                .hasSize(1);
    }

    @Test
    void attributeInvalid() {
        rejected(DECIDER.decide(DeviceTwin.empty(LAMP),
                new TwinCommand.RegisterDevice(LAMP, "edge-a", "", map("bad key", JsonValues.text("x")), null, null)), TwinError.ATTRIBUTE_INVALID);
        rejected(DECIDER.decide(DeviceTwin.empty(LAMP),
                new TwinCommand.RegisterDevice(LAMP, "edge-a", "", map("serial", NullNode.getInstance()), null, null)), TwinError.ATTRIBUTE_INVALID);
        Map<String, JsonNode> javaNull = new HashMap<>();
        javaNull.put("serial", null);
        rejected(DECIDER.decide(DeviceTwin.empty(LAMP), new TwinCommand.RegisterDevice(LAMP, "edge-a", "", javaNull, null, null)),
                TwinError.ATTRIBUTE_INVALID);
        TwinError tooBig = rejected(DECIDER.decide(DeviceTwin.empty(LAMP), new TwinCommand.RegisterDevice(LAMP, "edge-a", "",
                map("blob", JsonValues.text("x".repeat(Limits.DEFAULT.maxValueBytes()))), null, null)), TwinError.VALUE_TOO_LARGE);
        assertThat(tooBig.status()).isEqualTo(413);
    }

    @Test
    void tooManyAttributes() {
        Decider small = new Decider(new Limits(253, 128, 1024, 4, 2));
        Map<String, JsonNode> three = map("a", json("1"), "b", json("2"), "c", json("3"));
        rejected(small.decide(DeviceTwin.empty(LAMP), new TwinCommand.RegisterDevice(LAMP, "edge-a", "", three, null, null)),
                TwinError.LIMIT_ATTRIBUTES);
        three.remove("c");
        assertThat(accepted(small.decide(DeviceTwin.empty(LAMP), new TwinCommand.RegisterDevice(LAMP, "edge-a", "", three, null, null))))
                .hasSize(1);
    }

    @Test
    void propertyKeyInvalid() {
        String longKey = "k".repeat(Limits.DEFAULT.maxKeyBytes());
        for (String bad : new String[]{"", "has space", "ümlaut", "a+b", longKey}) {
            rejected(DECIDER.decide(DeviceTwin.empty(LAMP), new TwinCommand.RegisterDevice(LAMP, "edge-a", "",
                    null, Map.of(bad, PropertyDef.ANY), null)), TwinError.PROPERTY_INVALID);
            rejected(DECIDER.decide(DeviceTwin.empty(LAMP), new TwinCommand.RegisterDevice(LAMP, "edge-a", "",
                    null, null, map(bad, json("1")))), TwinError.PROPERTY_INVALID);
            rejected(DECIDER.decide(registered(), new TwinCommand.PatchDesired(LAMP, map(bad, json("1")))), TwinError.PROPERTY_INVALID);
            rejected(DECIDER.decide(registered(), new TwinCommand.PatchReported(LAMP, map(bad, json("1")))), TwinError.PROPERTY_INVALID);
        }
        // KubeEdge's key alphabet
        assertThat(accepted(DECIDER.decide(registered(), new TwinCommand.PatchReported(LAMP,
                map("a-b_c.d,e:f/g@h#1", json("1")))))).hasSize(1);
    }

    @Test
    void unknownType() {
        rejected(DECIDER.decide(DeviceTwin.empty(LAMP), new TwinCommand.RegisterDevice(LAMP, "edge-a", "", null,
                Map.of("p", new PropertyDef("double", false)), null)), TwinError.PROPERTY_INVALID);
        Map<String, PropertyDef> nullDef = new HashMap<>();
        nullDef.put("p", null);
        rejected(DECIDER.decide(DeviceTwin.empty(LAMP), new TwinCommand.RegisterDevice(LAMP, "edge-a", "", null, nullDef, null)),
                TwinError.PROPERTY_INVALID);
    }

    @Test
    void valueTooLarge_is413() {
        int max = Limits.DEFAULT.maxValueBytes();
        JsonNode justFits = JsonValues.text("x".repeat(max - 2)); // two quotes
        JsonNode oneOver = JsonValues.text("x".repeat(max - 1));
        assertThat(accepted(DECIDER.decide(registered(), new TwinCommand.PatchDesired(LAMP, map("note", justFits))))).hasSize(1);
        assertThat(rejected(DECIDER.decide(registered(), new TwinCommand.PatchDesired(LAMP, map("note", oneOver))),
                TwinError.VALUE_TOO_LARGE).status()).isEqualTo(413);
        rejected(DECIDER.decide(registered(), new TwinCommand.PatchReported(LAMP, map("note", oneOver))), TwinError.VALUE_TOO_LARGE);
        rejected(DECIDER.decide(DeviceTwin.empty(LAMP), register(map("note", oneOver))), TwinError.VALUE_TOO_LARGE);
        // measured on canonical JSON: trailing zeros do not count
        Decider tiny = new Decider(new Limits(253, 128, 3, 16, 16));
        assertThat(accepted(tiny.decide(registered(), new TwinCommand.PatchDesired(LAMP, map("note", DoubleNode.valueOf(1.5)))))).hasSize(1);
        assertThat(accepted(tiny.decide(registered(), new TwinCommand.PatchDesired(LAMP, map("note", DecimalNode.valueOf(new BigDecimal("1.5000000"))))))).hasSize(1);
    }

    @Test
    void typeMismatch_int() {
        accept("brightness", "42", "-7", "\"42\"", "\"-42\"", "123456789012345678901234567890");
        // a double that is a whole number is an int once canonical
        assertThat(accepted(DECIDER.decide(registered(), new TwinCommand.PatchDesired(LAMP, map("brightness", DoubleNode.valueOf(42.0))))))
                .containsExactly(new TwinEvent.DesiredSet(LAMP, "brightness", json("42")));
        refuse("brightness", "4.5", "\"4.5\"", "\"42a\"", "\"\"", "true", "\"true\"", "{}", "[1]", "\"1e3\"");
    }

    @Test
    void typeMismatch_float() {
        accept("ratio", "1.5", "2", "-0.25", "\"1.5\"", "\"42\"", "\"-1e-3\"");
        refuse("ratio", "\"abc\"", "\"NaN\"", "\"Infinity\"", "true", "\"\"", "{}", "[1.5]");
    }

    @Test
    void typeMismatch_boolean() {
        accept("enabled", "true", "false", "\"true\"", "\"false\"");
        refuse("enabled", "1", "0", "\"yes\"", "\"TRUE\"", "\"\"", "{}", "[true]");
    }

    @Test
    void typeMismatch_string() {
        accept("power", "\"ON\"", "\"\"", "\"42\"");
        refuse("power", "42", "true", "{\"a\":1}", "[\"ON\"]");
    }

    @Test
    void typeMismatch_object() {
        accept("config", "{}", "{\"a\":{\"b\":[1]}}");
        refuse("config", "[]", "\"{}\"", "1", "true");
    }

    @Test
    void typeMismatch_array() {
        accept("colors", "[]", "[\"red\",1,{\"x\":null}]");
        refuse("colors", "{}", "\"[]\"", "1", "false");
    }

    @Test
    void typeMismatch_inRegistrationDesired() {
        rejected(DECIDER.decide(DeviceTwin.empty(LAMP), register(map("brightness", JsonValues.text("bright")))), TwinError.VALUE_INVALID);
    }

    @Test
    void readOnlyDesired() {
        rejected(DECIDER.decide(registered(), new TwinCommand.PatchDesired(LAMP, map("temperature", json("20")))),
                TwinError.PROPERTY_READONLY);
        rejected(DECIDER.decide(registered(), new TwinCommand.PatchDesired(LAMP, map("temperature", NullNode.getInstance()))),
                TwinError.PROPERTY_READONLY);
        rejected(DECIDER.decide(DeviceTwin.empty(LAMP), register(map("temperature", json("20")))), TwinError.PROPERTY_READONLY);
        // null for a read-only property in a registration states "no desired value": fine
        assertThat(accepted(DECIDER.decide(DeviceTwin.empty(LAMP), register(map("temperature", NullNode.getInstance()))))).hasSize(1);
    }

    @Test
    void tooManyProperties() {
        Decider small = new Decider(new Limits(253, 128, 1024, 3, 16));
        DeviceTwin t = DeviceTwin.empty(LAMP);
        Map<String, PropertyDef> two = Map.of("a", PropertyDef.ANY, "b", PropertyDef.ANY);
        rejected(small.decide(t, new TwinCommand.RegisterDevice(LAMP, "edge-a", "", null, two, map("c", json("1"), "d", json("2")))),
                TwinError.LIMIT_PROPERTIES);
        for (TwinEvent e : accepted(small.decide(t, new TwinCommand.RegisterDevice(LAMP, "edge-a", "", null, two, map("c", json("1")))))) {
            t = t.apply(ModelArbitraries.record("cloud", clock++, e));
        }
        rejected(small.decide(t, new TwinCommand.PatchDesired(LAMP, map("d", json("1")))), TwinError.LIMIT_PROPERTIES);
        rejected(small.decide(t, new TwinCommand.PatchReported(LAMP, map("d", json("1")))), TwinError.LIMIT_PROPERTIES);
        assertThat(accepted(small.decide(t, new TwinCommand.PatchReported(LAMP, map("a", json("1"), "c", json("2")))))).hasSize(2);

        // reported values stay through a re-registration, so they count against it
        t = t.apply(ModelArbitraries.record("edge-a", clock++, new TwinEvent.ReportedSet(LAMP, "x", json("1"))));
        rejected(small.decide(t, new TwinCommand.RegisterDevice(LAMP, "edge-a", "", null, two, map("c", json("1")))),
                TwinError.LIMIT_PROPERTIES);
    }

    @Test
    void deviceNotFound() {
        DeviceTwin never = DeviceTwin.empty(LAMP);
        DeviceTwin removed = run(registered(), new TwinCommand.RemoveDevice(LAMP));
        for (DeviceTwin t : List.of(never, removed)) {
            for (TwinCommand c : List.<TwinCommand>of(
                    new TwinCommand.PatchDesired(LAMP, map("power", JsonValues.text("ON"))),
                    new TwinCommand.PatchReported(LAMP, map("power", JsonValues.text("ON"))),
                    new TwinCommand.RemoveDevice(LAMP),
                    new TwinCommand.ChangeState(LAMP, DeviceState.ONLINE))) {
                assertThat(rejected(DECIDER.decide(t, c), TwinError.DEVICE_NOT_FOUND).status()).isEqualTo(404);
            }
        }
    }

    @Test
    void oneBadPropertyRejectsTheWholePatch() {
        Decision d = DECIDER.decide(registered(), new TwinCommand.PatchDesired(LAMP,
                map("power", JsonValues.text("OFF"), "ratio", json("0.5"), "brightness", JsonValues.text("bright"))));
        assertThat(rejected(d, TwinError.VALUE_INVALID).status()).isEqualTo(400);
        assertThat(d).isNotInstanceOf(Decision.Accepted.class);
    }

    private void accept(String property, String... values) {
        for (String v : values) {
            assertThat(accepted(DECIDER.decide(registered(), new TwinCommand.PatchDesired(LAMP, map(property, json(v))))))
                    .as("%s = %s", property, v)
                    .containsExactly(new TwinEvent.DesiredSet(LAMP, property, json(v)));
        }
    }

    private void refuse(String property, String... values) {
        for (String v : values) {
            TwinError e = rejected(DECIDER.decide(registered(), new TwinCommand.PatchDesired(LAMP, map(property, json(v)))),
                    TwinError.VALUE_INVALID);
            assertThat(e.message()).as("%s = %s", property, v).contains(property);
        }
    }
}
