package dev.edgetwin.log.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a value against a property's declared type. KubeEdge sends every twin value as a
 * string, so a string that spells a value of the type is accepted as well ({@code "42"} for
 * {@code int}, {@code "true"} for {@code boolean}).
 */
final class ValueTypes {
    static final Set<String> KNOWN = Set.of("", "string", "int", "float", "boolean", "object", "array");
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,19}");

    private ValueTypes() {
    }

    /** Null when {@code value} fits {@code type}, else the reason. */
    static String mismatch(String type, JsonNode value) {
        boolean ok = switch (type) {
            case "" -> true;
            case "string" -> value.isTextual();
            case "int" -> value.isIntegralNumber() || (value.isTextual() && INTEGER.matcher(value.asText()).matches());
            case "float" -> value.isNumber() || (value.isTextual() && isFloat(value.asText()));
            case "boolean" -> value.isBoolean()
                    || (value.isTextual() && (value.asText().equals("true") || value.asText().equals("false")));
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            default -> false;
        };
        return ok ? null : "the value " + JsonValues.write(value) + " is not of type " + type;
    }

    private static boolean isFloat(String s) {
        try {
            double d = Double.parseDouble(s);
            return !Double.isNaN(d) && !Double.isInfinite(d);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
