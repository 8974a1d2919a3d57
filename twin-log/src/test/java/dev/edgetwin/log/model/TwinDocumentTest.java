package dev.edgetwin.log.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The twin document of DESIGN.md section 8, its canonical bytes and its ETag. */
class TwinDocumentTest {
    private static final DeviceId LAMP = DeviceId.of("lamp-1");
    private static final long T0 = Hlc.pack(1_700_000_000_123L, 0);

    private static DeviceTwin lamp(TwinEvent... events) {
        DeviceTwin t = DeviceTwin.empty(LAMP);
        long hlc = T0;
        for (TwinEvent e : events) {
            String origin = e instanceof TwinEvent.ReportedSet || e instanceof TwinEvent.DeviceStateChanged ? "edge-a" : "cloud";
            t = t.apply(ModelArbitraries.record(origin, hlc++, e));
        }
        return t;
    }

    private static TwinEvent.DeviceRegistered registration() {
        return new TwinEvent.DeviceRegistered(LAMP, "edge-a", "led-light", Map.of("serial", JsonValues.text("A1")),
                Map.of("powerstatus", new PropertyDef("string", false)));
    }

    @Test
    void shapeMatchesDesignSection8() {
        DeviceTwin t = lamp(registration(),
                new TwinEvent.DesiredSet(LAMP, "powerstatus", JsonValues.text("ON")),
                new TwinEvent.ReportedSet(LAMP, "powerstatus", JsonValues.text("OFF")),
                new TwinEvent.DeviceStateChanged(LAMP, DeviceState.ONLINE));
        JsonNode doc = JsonValues.MAPPER.valueToTree(t.document());

        assertThat(names(doc)).containsExactly("attributes", "id", "model", "namespace", "node", "state", "twin");
        assertThat(doc.get("id").textValue()).isEqualTo("lamp-1");
        assertThat(doc.get("namespace").textValue()).isEqualTo("default");
        assertThat(doc.get("node").textValue()).isEqualTo("edge-a");
        assertThat(doc.get("model").textValue()).isEqualTo("led-light");
        assertThat(doc.get("attributes")).isEqualTo(JsonValues.parse("{\"serial\":\"A1\"}"));
        assertThat(doc.get("state").textValue()).isEqualTo("online");

        JsonNode power = doc.get("twin").get("powerstatus");
        assertThat(names(power)).containsExactly("desired", "inSync", "reported");
        assertThat(names(power.get("desired"))).containsExactly("origin", "updatedAt", "value");
        assertThat(power.get("desired").get("value").textValue()).isEqualTo("ON");
        assertThat(power.get("desired").get("origin").textValue()).isEqualTo("cloud");
        assertThat(power.get("reported").get("value").textValue()).isEqualTo("OFF");
        assertThat(power.get("reported").get("origin").textValue()).isEqualTo("edge-a");
        assertThat(power.get("inSync").booleanValue()).isFalse();

        // ISO-8601 in UTC, the wall-clock part of the writing event's HLC
        String updatedAt = power.get("desired").get("updatedAt").textValue();
        assertThat(updatedAt).isEqualTo("2023-11-14T22:13:20.123Z").endsWith("Z");
        assertThat(Instant.parse(updatedAt)).isEqualTo(Hlc.instant(T0 + 1));
        assertThat(TwinDocument.value(doc, "powerstatus", "reported").textValue()).isEqualTo("OFF");
    }

    @Test
    void documentJsonIsCompactWithSortedKeys() {
        DeviceTwin t = lamp(registration(), new TwinEvent.DesiredSet(LAMP, "powerstatus", JsonValues.text("ON")));
        assertThat(t.documentJson()).isEqualTo("{\"attributes\":{\"serial\":\"A1\"},\"id\":\"lamp-1\",\"model\":\"led-light\","
                + "\"namespace\":\"default\",\"node\":\"edge-a\",\"state\":\"unknown\",\"twin\":{\"powerstatus\":{\"desired\":"
                + "{\"origin\":\"cloud\",\"updatedAt\":\"2023-11-14T22:13:20.123Z\",\"value\":\"ON\"},\"inSync\":false}}}");
    }

    @Test
    void typedValuesSurvive() {
        String object = "{\"a\":[1,2.5,{\"z\":null,\"b\":false}],\"ü\":\"😀\"}";
        DeviceTwin t = lamp(registration(),
                new TwinEvent.DesiredSet(LAMP, "brightness", JsonValues.parse("42")),
                new TwinEvent.DesiredSet(LAMP, "ratio", JsonValues.parse("0.125")),
                new TwinEvent.DesiredSet(LAMP, "enabled", JsonValues.parse("true")),
                new TwinEvent.DesiredSet(LAMP, "config", JsonValues.parse(object)),
                new TwinEvent.ReportedSet(LAMP, "colors", JsonValues.parse("[\"red\",1,null]")),
                new TwinEvent.ReportedSet(LAMP, "huge", JsonValues.parse("123456789012345678901234567890.5")));
        JsonNode doc = JsonValues.parse(t.documentJson());
        assertThat(TwinDocument.value(doc, "brightness", "desired").isIntegralNumber()).isTrue();
        assertThat(TwinDocument.value(doc, "brightness", "desired").longValue()).isEqualTo(42);
        assertThat(TwinDocument.value(doc, "ratio", "desired").decimalValue()).isEqualByComparingTo("0.125");
        assertThat(TwinDocument.value(doc, "enabled", "desired").isBoolean()).isTrue();
        assertThat(TwinDocument.value(doc, "config", "desired")).isEqualTo(JsonValues.parse(object));
        assertThat(TwinDocument.value(doc, "colors", "reported").isArray()).isTrue();
        assertThat(TwinDocument.value(doc, "colors", "reported")).isEqualTo(JsonValues.parse("[\"red\",1,null]"));
        assertThat(TwinDocument.value(doc, "huge", "reported").decimalValue()).isEqualByComparingTo("123456789012345678901234567890.5");
        assertThat(t.documentJson()).contains("\"value\":{\"a\":[1,2.5,{\"b\":false,\"z\":null}],\"ü\":\"😀\"}");
    }

    @Test
    void inSyncComparesJsonValuesNotSpellings() {
        DeviceTwin t = lamp(registration(),
                new TwinEvent.DesiredSet(LAMP, "level", JsonValues.parse("1.50")),
                new TwinEvent.ReportedSet(LAMP, "level", JsonValues.parse("1.5")),
                new TwinEvent.DesiredSet(LAMP, "obj", JsonValues.parse("{\"b\":2,\"a\":1.0}")),
                new TwinEvent.ReportedSet(LAMP, "obj", JsonValues.parse("{\"a\":1,\"b\":2}")),
                new TwinEvent.ReportedSet(LAMP, "powerstatus", JsonValues.text("OFF")));
        JsonNode twin = JsonValues.parse(t.documentJson()).get("twin");
        assertThat(twin.get("level").get("inSync").booleanValue()).isTrue();
        assertThat(twin.get("obj").get("inSync").booleanValue()).isTrue();
        // no desired value: nothing to be out of sync with
        assertThat(twin.get("powerstatus").get("inSync").booleanValue()).isTrue();
        assertThat(twin.get("powerstatus").has("desired")).isFalse();
        assertThat(t.inSync()).isTrue();
        assertThat(lamp(registration(), new TwinEvent.DesiredSet(LAMP, "level", JsonValues.parse("1"))).inSync()).isFalse();
    }

    @Test
    void definedPropertiesAppearWithoutValues_clearedHalvesDisappear() {
        DeviceTwin t = lamp(registration(),
                new TwinEvent.DesiredSet(LAMP, "mode", JsonValues.text("eco")),
                new TwinEvent.DesiredCleared(LAMP, "mode"));
        JsonNode twin = JsonValues.parse(t.documentJson()).get("twin");
        assertThat(names(twin)).containsExactly("powerstatus");
        assertThat(names(twin.get("powerstatus"))).containsExactly("inSync");
    }

    @Test
    void etagIsQuotedHexOfTheDocument_equalDocumentsEqualEtags() {
        DeviceTwin a = lamp(registration(), new TwinEvent.DesiredSet(LAMP, "powerstatus", JsonValues.text("ON")));
        DeviceTwin b = DeviceTwinCodec.decode(DeviceTwinCodec.encode(a));
        DeviceTwin c = lamp(registration(), new TwinEvent.DesiredSet(LAMP, "powerstatus", JsonValues.text("OFF")));
        assertThat(a.etag()).matches("\"[0-9a-f]{16}\"");
        assertThat(b.etag()).isEqualTo(a.etag());
        assertThat(c.etag()).isNotEqualTo(a.etag());
        assertThat(TwinDocument.etag(a.documentJson())).isEqualTo(a.etag());
    }

    @Test
    void documentIsTheCallersCopy() {
        DeviceTwin t = lamp(new TwinEvent.DeviceRegistered(LAMP, "edge-a", "led-light",
                        Map.of("site", JsonValues.parse("{\"room\":1}")), Map.of()),
                new TwinEvent.DesiredSet(LAMP, "cfg", JsonValues.parse("{\"x\":[1]}")));
        String before = t.documentJson();
        ObjectNode doc = t.document();
        ((ObjectNode) doc.get("attributes").get("site")).put("room", 2);
        ((ObjectNode) TwinDocument.value(doc, "cfg", "desired")).putArray("x").add(99);
        assertThat(t.documentJson()).isEqualTo(before);
        assertThat(t.attributes().get("site")).isEqualTo(JsonValues.parse("{\"room\":1}"));
    }

    @Test
    void namespacedDeviceAndStates() {
        DeviceId pump = new DeviceId("plant", "pump-1");
        DeviceTwin t = DeviceTwin.empty(pump)
                .apply(ModelArbitraries.record("cloud", T0, new TwinEvent.DeviceRegistered(pump, "edge-b", "", Map.of(), Map.of())))
                .apply(ModelArbitraries.record("edge-b", T0 + 1, new TwinEvent.DeviceStateChanged(pump, DeviceState.UNHEALTHY)));
        JsonNode doc = JsonValues.parse(t.documentJson());
        assertThat(doc.get("namespace").textValue()).isEqualTo("plant");
        assertThat(doc.get("id").textValue()).isEqualTo("pump-1");
        assertThat(doc.get("model").textValue()).isEmpty();
        assertThat(doc.get("state").textValue()).isEqualTo("unhealthy");
        assertThat(doc.get("attributes").size()).isZero();
        assertThat(doc.get("twin").size()).isZero();
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        out.sort(null);
        return out;
    }
}
