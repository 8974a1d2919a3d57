package dev.edgetwin.cloud.kube;

import dev.edgetwin.log.model.PropertyDef;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SpecEditTest {
    static final Map<String, PropertyDef> DEFS = Map.of("brightness", new PropertyDef("int", false));

    static Map<String, Object> property(String name, String desired) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", name);
        if (desired != null) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("value", desired);
            d.put("metadata", new LinkedHashMap<>(Map.of("type", "string")));
            p.put("desired", d);
        }
        p.put("visitors", Map.of("protocolName", "gpio"));
        return p;
    }

    static Map<String, Object> spec() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("nodeName", "edge-a");
        spec.put("properties", new ArrayList<>(List.of(property("powerstatus", "ON"), property("brightness", "80"))));
        return spec;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> prop(Map<String, Object> spec, int i) {
        return (Map<String, Object>) ((List<Object>) spec.get("properties")).get(i);
    }

    @Test
    void changedValueKeepsItsMetadataAndTheOtherFields() {
        Map<String, Object> spec = spec();
        assertThat(SpecEdit.apply(spec, Map.of("powerstatus", "OFF", "brightness", "80"), DEFS)).isTrue();
        assertThat(prop(spec, 0)).containsEntry("desired", Map.of("value", "OFF", "metadata", Map.of("type", "string")))
                .containsKey("visitors");
        assertThat(prop(spec, 1).get("desired")).isEqualTo(Map.of("value", "80", "metadata", Map.of("type", "string")));
        assertThat(spec).containsEntry("nodeName", "edge-a");
    }

    @Test
    void absentValueRemovesDesiredAndNewPropertyIsAppended() {
        Map<String, Object> spec = spec();
        assertThat(SpecEdit.apply(spec, Map.of("powerstatus", "ON", "colour", "red"), DEFS)).isTrue();
        assertThat(prop(spec, 1)).doesNotContainKey("desired").containsKey("visitors");
        assertThat(prop(spec, 2)).isEqualTo(Map.of("name", "colour", "desired", Map.of("value", "red")));
    }

    @Test
    void sameValuesInAnotherSpellingChangeNothing() {
        Map<String, Object> spec = spec();
        prop(spec, 1).put("desired", new LinkedHashMap<>(Map.of("value", "080")));
        assertThat(SpecEdit.apply(spec, Map.of("powerstatus", "ON", "brightness", "80"), DEFS)).isFalse();
        assertThat(prop(spec, 1).get("desired")).isEqualTo(Map.of("value", "080"));
    }

    @Test
    void specWithoutPropertiesGetsThem() {
        Map<String, Object> spec = new LinkedHashMap<>();
        assertThat(SpecEdit.apply(spec, Map.of("powerstatus", "ON"), DEFS)).isTrue();
        assertThat(spec.get("properties")).isEqualTo(List.of(Map.of("name", "powerstatus", "desired", Map.of("value", "ON"))));
        assertThat(SpecEdit.apply(new LinkedHashMap<>(), Map.of(), DEFS)).isFalse();
    }
}
