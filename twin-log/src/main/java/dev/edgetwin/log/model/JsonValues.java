package dev.edgetwin.log.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Canonical JSON values. Two values that mean the same JSON produce the same canonical
 * node and the same bytes: object keys sorted, numbers normalised (integers as integers,
 * other numbers as plain BigDecimal without trailing zeros). Canonical bytes are what
 * documents and ETags are derived from, so byte-identity across nodes rests on this class.
 *
 * <p>Parsing keeps every number exact (no detour through {@code double}), refuses trailing
 * content and empty input. An integral value written with an exponent so large that its
 * plain digits would not fit Jackson's number length limit stays in exponent form
 * ({@code 1E+5000}): expanding it would cost memory and time unbounded by the input size,
 * and the plain text could not be read back.
 */
public final class JsonValues {
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** Jackson's default maximum number length: integral values up to this many digits are written plain. */
    static final int MAX_PLAIN_DIGITS = 1000;
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private JsonValues() {
    }

    /** A canonical deep copy of {@code value} (immutable by convention: never mutate it). */
    public static JsonNode canonical(JsonNode value) {
        if (value == null || value.isMissingNode()) return NODES.nullNode();
        if (value.isObject()) {
            List<String> names = new ArrayList<>();
            value.fieldNames().forEachRemaining(names::add);
            // visit names in a fixed order so that two names made equal by wellFormed resolve alike everywhere
            Collections.sort(names);
            TreeMap<String, JsonNode> members = new TreeMap<>();
            for (String n : names) members.put(wellFormed(n), canonical(value.get(n)));
            ObjectNode out = NODES.objectNode();
            out.setAll(members);
            return out;
        }
        if (value.isArray()) {
            ArrayNode out = NODES.arrayNode(value.size());
            for (JsonNode v : value) out.add(canonical(v));
            return out;
        }
        if (value.isNumber()) return canonicalNumber(value);
        if (value.isTextual()) {
            String text = value.textValue();
            String clean = wellFormed(text);
            return clean == text ? value : NODES.textNode(clean);
        }
        return value;
    }

    /**
     * {@code s} with every unpaired surrogate replaced by U+FFFD. JSON text may spell one
     * ({@code "\\ud800"}), but UTF-8 cannot carry it: left alone, the writer's copy would differ
     * from every replica's after the codec (the JDK encodes it as {@code ?}).
     */
    static String wellFormed(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            if (paired) {
                if (out != null) out.append(c).append(s.charAt(i + 1));
                i++;
            } else if (Character.isSurrogate(c)) {
                if (out == null) out = new StringBuilder(s.length()).append(s, 0, i);
                out.append('\uFFFD');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    private static JsonNode canonicalNumber(JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? NODES.numberNode(n.longValue()) : NODES.numberNode(n.bigIntegerValue());
        }
        BigDecimal d = n.decimalValue().stripTrailingZeros();
        if (d.scale() <= 0 && (long) d.precision() - d.scale() <= MAX_PLAIN_DIGITS) {
            try {
                return NODES.numberNode(d.longValueExact());
            } catch (ArithmeticException tooBig) {
                return NODES.numberNode(d.toBigIntegerExact());
            }
        }
        return NODES.numberNode(d);
    }

    /** A sorted, canonical, unmodifiable copy of a name → value map (null map → empty). */
    public static Map<String, JsonNode> sortedCopy(Map<String, JsonNode> values) {
        if (values == null || values.isEmpty()) return Map.of();
        TreeMap<String, JsonNode> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(k, canonical(v)));
        return Collections.unmodifiableMap(out);
    }

    /** Canonical compact JSON text. */
    public static String write(JsonNode value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses JSON text into a canonical node; throws {@link IllegalArgumentException} on bad JSON. */
    public static JsonNode parse(String text) {
        try {
            JsonNode tree = MAPPER.readTree(text);
            if (tree == null || tree.isMissingNode()) throw new IllegalArgumentException("invalid JSON: no content");
            return canonical(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static JsonNode text(String s) {
        return NODES.textNode(s);
    }
}
