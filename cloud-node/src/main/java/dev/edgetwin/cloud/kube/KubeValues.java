package dev.edgetwin.cloud.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.edgetwin.log.model.JsonValues;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Twin values and Kubernetes strings. KubeEdge carries every twin value as a string
 * ({@code desired.value}, {@code reported.value}); a twin holds typed JSON values. The property type
 * decides: for {@code int}, {@code float} and {@code boolean} a string that spells a value of the type
 * becomes that JSON number or boolean ({@code "80"} → {@code 80}); everything else stays a JSON string.
 * Back to Kubernetes, a string is itself and any other value is its canonical JSON text
 * ({@code 80} → {@code "80"}, {@code true} → {@code "true"}).
 *
 * <p>Two values are the <em>same</em> when they normalise to the same typed value, so {@code "1.50"}
 * and {@code 1.5} of a {@code float} property, or {@code "80"} and {@code 80} of an {@code int}, are
 * one value: neither side rewrites the other for a spelling.
 */
final class KubeValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,19}");

    private KubeValues() {
    }

    /** The twin value of Kubernetes text {@code s} for a property of {@code type}; null when it is not of the type. */
    static JsonNode toTwin(String type, String s) {
        if (s == null) return null;
        switch (type) {
            case "int":
                if (!INTEGER.matcher(s).matches()) return null;
                try {
                    return NODES.numberNode(Long.parseLong(s));
                } catch (NumberFormatException tooBig) {
                    return null;
                }
            case "float":
                try {
                    return JsonValues.canonical(NODES.numberNode(new BigDecimal(s.trim())));
                } catch (NumberFormatException | ArithmeticException e) {
                    return null;
                }
            case "boolean":
                return s.equals("true") ? NODES.booleanNode(true) : s.equals("false") ? NODES.booleanNode(false) : null;
            default:
                return NODES.textNode(s);
        }
    }

    /** The Kubernetes text of a twin value. */
    static String toKube(JsonNode value) {
        return value.isTextual() ? value.textValue() : JsonValues.write(value);
    }

    /** {@code value} normalised for comparison: its Kubernetes text read back as {@code type}. */
    static JsonNode normal(String type, JsonNode value) {
        return value == null ? null : normalText(type, toKube(value));
    }

    /** Kubernetes text normalised for comparison: the typed value, or the text itself when it is not of the type. */
    static JsonNode normalText(String type, String text) {
        JsonNode typed = toTwin(type, text);
        return typed == null ? NODES.textNode(text) : typed;
    }

    /** The twin type word KubeEdge's DeviceStatus metadata uses for a value, when the property declares none. */
    static String typeOf(JsonNode value) {
        if (value.isIntegralNumber()) return "int";
        if (value.isNumber()) return "float";
        if (value.isBoolean()) return "boolean";
        return "string";
    }
}
