package dev.edgetwin.cloud.kube;

import dev.edgetwin.log.model.PropertyDef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The property definitions of a KubeEdge {@code DeviceModel} (v1beta1 {@code spec.properties[]}):
 * name, {@code type} and {@code accessMode}, as twin {@link PropertyDef}s.
 *
 * <p>Type words: the model's upper-case types become the twin's lower-case ones — {@code INT} →
 * {@code int}, {@code FLOAT} and {@code DOUBLE} → {@code float}, {@code BOOLEAN} → {@code boolean},
 * {@code STRING} and {@code BYTES} (base64 text) → {@code string}; {@code STREAM} and anything
 * unknown → any type. {@code accessMode: ReadOnly} makes the property read-only (no desired value).
 */
public record KubeDeviceModel(Map<String, PropertyDef> properties) {
    public static final KubeDeviceModel NONE = new KubeDeviceModel(Map.of());

    public KubeDeviceModel {
        properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    public static KubeDeviceModel from(GenericKubernetesResource model) {
        Map<String, Object> spec = KubeDevice.map(model.getAdditionalProperties().get("spec"));
        Map<String, PropertyDef> defs = new TreeMap<>();
        for (Object o : KubeDevice.list(spec.get("properties"))) {
            Map<String, Object> p = KubeDevice.map(o);
            String name = KubeDevice.string(p.get("name"));
            if (name == null || name.isEmpty()) continue;
            boolean readOnly = "readonly".equalsIgnoreCase(String.valueOf(p.get("accessMode")));
            defs.put(name, new PropertyDef(modelType(KubeDevice.string(p.get("type"))), readOnly));
        }
        return new KubeDeviceModel(defs);
    }

    /** The twin type of a DeviceModel type word ("" = any). */
    static String modelType(String type) {
        if (type == null) return "";
        return switch (type.toUpperCase(Locale.ROOT)) {
            case "INT" -> "int";
            case "FLOAT", "DOUBLE" -> "float";
            case "BOOLEAN" -> "boolean";
            case "STRING", "BYTES" -> "string";
            default -> "";
        };
    }

    /** The twin type of a twin {@code metadata.type} word as KubeEdge writes it ("" = any). */
    static String twinType(String type) {
        if (type == null) return "";
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "int", "integer" -> "int";
            case "float", "double" -> "float";
            case "boolean" -> "boolean";
            case "string" -> "string";
            default -> "";
        };
    }
}
