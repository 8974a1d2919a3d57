package dev.edgetwin.log.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The unmodifiable copies a {@link TwinCommand} keeps of the maps it is given. */
final class PatchMaps {
    private static final Class<?> SINGLETON_MAP = Collections.singletonMap("", null).getClass();

    private PatchMaps() {
    }

    /**
     * {@code m} unmodifiable, in the caller's order (for error messages), null values kept (they
     * clear). One entry, the usual patch, needs no table; a one-entry map from
     * {@link Collections#singletonMap} is immutable already and kept as it is.
     */
    static Map<String, JsonNode> copy(Map<String, JsonNode> m) {
        if (m == null || m.isEmpty()) return Map.of();
        if (m.getClass() == SINGLETON_MAP) return m;
        if (m.size() == 1) {
            Map.Entry<String, JsonNode> only = m.entrySet().iterator().next();
            return Collections.singletonMap(only.getKey(), only.getValue());
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
