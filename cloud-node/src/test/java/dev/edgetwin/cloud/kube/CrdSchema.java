package dev.edgetwin.cloud.kube;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks an object against a CRD version's structural OpenAPI schema the way the API server prunes
 * and validates it, for what the KubeEdge schemas use: types, required fields, unknown fields
 * (refused unless {@code x-kubernetes-preserve-unknown-fields} or {@code additionalProperties}).
 * {@code metadata} is the API server's and is not checked.
 */
final class CrdSchema {
    private CrdSchema() {
    }

    static CustomResourceDefinition load(String classpathResource) {
        try (InputStream in = KubeMock.resource(classpathResource)) {
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static JSONSchemaProps schema(CustomResourceDefinition crd, String version) {
        for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
            if (v.getName().equals(version)) return v.getSchema().getOpenAPIV3Schema();
        }
        throw new IllegalArgumentException(crd.getMetadata().getName() + " has no version " + version);
    }

    /** The violations of {@code object} (a parsed resource) against {@code schema}; empty when it fits. */
    static List<String> violations(JSONSchemaProps schema, Map<String, Object> object) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : object.entrySet()) {
            if (e.getKey().equals("metadata")) continue;
            JSONSchemaProps p = schema.getProperties().get(e.getKey());
            if (p == null) out.add("unknown field " + e.getKey());
            else check(p, e.getValue(), e.getKey(), out);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void check(JSONSchemaProps s, Object value, String path, List<String> out) {
        boolean preserve = Boolean.TRUE.equals(s.getXKubernetesPreserveUnknownFields());
        String type = s.getType();
        if (type == null) {
            if (!preserve) out.add(path + ": schema without type");
            return;
        }
        switch (type) {
            case "object" -> {
                if (!(value instanceof Map<?, ?> map)) {
                    out.add(path + ": expected an object, got " + value);
                    return;
                }
                if (s.getRequired() != null) {
                    for (String r : s.getRequired()) if (!map.containsKey(r)) out.add(path + ": missing required " + r);
                }
                for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
                    JSONSchemaProps p = s.getProperties() == null ? null : s.getProperties().get(e.getKey());
                    if (p == null && s.getAdditionalProperties() != null && s.getAdditionalProperties().getSchema() != null) {
                        p = s.getAdditionalProperties().getSchema();
                    }
                    if (p != null) check(p, e.getValue(), path + "." + e.getKey(), out);
                    else if (!preserve) out.add(path + ": unknown field " + e.getKey());
                }
            }
            case "array" -> {
                if (!(value instanceof List<?> list)) {
                    out.add(path + ": expected an array, got " + value);
                    return;
                }
                for (int i = 0; i < list.size(); i++) check(s.getItems().getSchema(), list.get(i), path + "[" + i + "]", out);
            }
            case "string" -> {
                if (!(value instanceof String)) out.add(path + ": expected a string, got " + value);
            }
            case "integer" -> {
                if (!(value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger)) {
                    out.add(path + ": expected an integer, got " + value);
                }
            }
            case "boolean" -> {
                if (!(value instanceof Boolean)) out.add(path + ": expected a boolean, got " + value);
            }
            case "number" -> {
                if (!(value instanceof Number)) out.add(path + ": expected a number, got " + value);
            }
            default -> out.add(path + ": unhandled schema type " + type);
        }
    }
}
