package dev.edgetwin.cloud.kube;

import dev.edgetwin.log.model.PropertyDef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes desired values into a Device's {@code spec.properties[]} (pure: it edits maps parsed from
 * the resource). Only what differs changes: a property whose value is the same (in the sense of
 * {@link KubeValues#normal}) keeps its spelling; a changed one gets a new {@code desired.value} with
 * its {@code desired.metadata} kept; a property the twin holds no desired value for loses its
 * {@code desired} (the schema requires a value inside it); a property only the twin knows is appended
 * as {@code {name, desired: {value}}}. Visitors, push methods and every other field stay as they are.
 */
final class SpecEdit {
    private SpecEdit() {
    }

    /**
     * Edits {@code spec} (a mutable deep copy of the Device's spec) so its desired values are
     * {@code desired}; returns true if anything changed.
     */
    @SuppressWarnings("unchecked")
    static boolean apply(Map<String, Object> spec, Map<String, String> desired, Map<String, PropertyDef> defs) {
        List<Object> properties = spec.get("properties") instanceof List<?> l ? (List<Object>) l : new ArrayList<>();
        Set<String> missing = new LinkedHashSet<>(desired.keySet());
        boolean changed = false;
        for (Object o : properties) {
            if (!(o instanceof Map<?, ?>)) continue;
            Map<String, Object> property = (Map<String, Object>) o;
            if (!(property.get("name") instanceof String name)) continue;
            missing.remove(name);
            Object desiredObject = property.get("desired");
            String current = desiredObject instanceof Map<?, ?> d && d.get("value") instanceof String v ? v : null;
            String wanted = desired.get(name);
            if (same(defs.getOrDefault(name, PropertyDef.ANY).type(), current, wanted)) continue;
            changed = true;
            if (wanted == null) {
                property.remove("desired");
            } else {
                Map<String, Object> d = desiredObject instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
                d.put("value", wanted);
                property.put("desired", d);
            }
        }
        for (String name : missing) {
            Map<String, Object> property = new LinkedHashMap<>();
            property.put("name", name);
            property.put("desired", new LinkedHashMap<>(Map.of("value", desired.get(name))));
            properties.add(property);
            changed = true;
        }
        if (changed) spec.put("properties", properties);
        return changed;
    }

    /** True when two Kubernetes strings (null: no value) are the same value of a property of {@code type}. */
    static boolean same(String type, String a, String b) {
        if (a == null || b == null) return a == b;
        return KubeValues.normalText(type, a).equals(KubeValues.normalText(type, b));
    }
}
