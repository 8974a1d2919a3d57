package dev.edgetwin.cloud.kube;

import dev.edgetwin.log.model.DeviceId;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the bridge reads from a KubeEdge {@code Device} (v1beta1): its identity, {@code spec.nodeName},
 * {@code spec.deviceModelRef.name}, labels, and per property of {@code spec.properties[]} the name, the
 * {@code desired.value} (a string, or null when the property has no {@code desired}) and
 * {@code desired.metadata.type}. Everything else of the resource (protocol, visitors, push methods…) is
 * the mapper's business and is left as it is. Fields of a wrong JSON type read as absent.
 *
 * @param syncedHlc the {@value #SYNCED_ANNOTATION} annotation: the HLC up to which the twin's desired
 *                  values and this spec were last reconciled (0 when absent); see {@link DevicePlanner}
 */
public record KubeDevice(DeviceId id, String uid, String resourceVersion, String node, String model,
                         Map<String, String> labels, List<SpecProperty> properties, long syncedHlc) {
    /** Annotation the bridge keeps on each Device it reconciles. */
    public static final String SYNCED_ANNOTATION = "twin.edgetwin.dev/desired-hlc";

    /** One entry of {@code spec.properties[]}. */
    public record SpecProperty(String name, String desired, String desiredType) {
    }

    public KubeDevice {
        labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        properties = List.copyOf(properties);
    }

    /** The informer-cache key of a namespaced object: {@code namespace/name}. */
    public static String key(DeviceId id) {
        return id.namespace() + "/" + id.name();
    }

    public String key() {
        return key(id);
    }

    public static KubeDevice from(GenericKubernetesResource device) {
        ObjectMeta meta = device.getMetadata();
        DeviceId id = new DeviceId(meta.getNamespace() == null ? DeviceId.DEFAULT_NAMESPACE : meta.getNamespace(), meta.getName());
        Map<String, Object> spec = map(device.getAdditionalProperties().get("spec"));
        List<SpecProperty> props = new ArrayList<>();
        for (Object o : list(spec.get("properties"))) {
            Map<String, Object> p = map(o);
            String name = string(p.get("name"));
            if (name == null || name.isEmpty()) continue;
            Map<String, Object> desired = map(p.get("desired"));
            props.add(new SpecProperty(name, string(desired.get("value")), string(map(desired.get("metadata")).get("type"))));
        }
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        return new KubeDevice(id, nullToEmpty(meta.getUid()), nullToEmpty(meta.getResourceVersion()),
                nullToEmpty(string(spec.get("nodeName"))), nullToEmpty(string(map(spec.get("deviceModelRef")).get("name"))),
                labels, props, synced(meta));
    }

    private static long synced(ObjectMeta meta) {
        String text = meta.getAnnotations() == null ? null : meta.getAnnotations().get(SYNCED_ANNOTATION);
        if (text == null) return 0;
        try {
            return Math.max(0, Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            return 0;   // a hand-edited annotation counts as "never reconciled": the spec wins
        }
    }

    /** The property names of {@code spec.properties[]}, in spec order. */
    public List<String> propertyNames() {
        List<String> names = new ArrayList<>(properties.size());
        for (SpecProperty p : properties) names.add(p.name());
        return names;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    static List<Object> list(Object o) {
        return o instanceof List<?> l ? Collections.unmodifiableList(l) : List.of();
    }

    static String string(Object o) {
        return o instanceof String s ? s : null;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
