package dev.edgetwin.edge.kubeedge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.Field;
import dev.edgetwin.log.model.Hlc;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Set;

/**
 * The mapping between EdgeTwin's typed JSON values and KubeEdge's string values with a
 * {@code metadata.type} (see edge-node/KUBEEDGE.md, "Values and types").
 *
 * <p><b>Out</b> (EdgeTwin → KubeEdge): a string is sent as is; a number as its decimal text
 * ({@code 42}, {@code 21.5}); a boolean as {@code true}/{@code false}; an object or array as
 * its compact JSON text. <b>Type</b> of a property: the type declared by the device model
 * ({@code int}, {@code float}, {@code boolean}, {@code string}; {@code object}/{@code array}
 * are sent as {@code string}); a property the model does not declare takes the type of its
 * stored value (integer → {@code int}, other number → {@code float}, boolean → {@code boolean},
 * anything else → {@code string}). <b>In</b>: a KubeEdge string is checked against the type
 * with KubeEdge's rules and stored typed: {@code int} as a JSON integer, {@code float} as a
 * JSON number ({@code NaN}/{@code Inf} stay strings: JSON has no such numbers), {@code boolean}
 * as a JSON boolean, anything else as the string.
 */
public final class KubeEdgeValues {
    /** The types KubeEdge accepts in {@code metadata.type}. */
    public static final Set<String> TYPES = Set.of("", "string", "deleted", "int", "integer", "float", "boolean");

    private KubeEdgeValues() {
    }

    /** The KubeEdge string of a stored value. */
    public static String toWire(JsonNode v) {
        if (v == null || v.isNull()) return "";
        if (v.isTextual()) return v.textValue();
        if (v.isBoolean()) return v.booleanValue() ? "true" : "false";
        if (v.isIntegralNumber()) return v.bigIntegerValue().toString();
        if (v.isNumber()) {
            BigDecimal d = v.decimalValue();
            // plain digits unless that would be long (1E-400): Go's ParseFloat reads either form
            return d.scale() <= 30 ? d.toPlainString() : d.toString();
        }
        return JsonValues.write(v);
    }

    /** The KubeEdge type of {@code property} of {@code twin} (see the class comment). */
    public static String typeOf(DeviceTwin twin, String property) {
        PropertyDef def = twin.properties().get(property);
        if (def != null) {
            switch (def.type()) {
                case "int", "float", "boolean", "string" -> {
                    return def.type();
                }
                case "object", "array" -> {
                    return "string";
                }
                default -> {
                    // an untyped declaration: the stored value decides, as for undeclared properties
                }
            }
        }
        return typeOfValue(twin.desired(property).orElseGet(() -> twin.reported(property).orElse(null)));
    }

    static String typeOfValue(JsonNode v) {
        if (v == null) return "string";
        if (v.isIntegralNumber()) return "int";
        if (v.isNumber()) return "float";
        if (v.isBoolean()) return "boolean";
        return "string";
    }

    /** Whether the device model declares the type of {@code property} (then it is checked strictly). */
    static boolean declaredType(DeviceTwin twin, String property) {
        PropertyDef def = twin.properties().get(property);
        return def != null && !def.type().isEmpty();
    }

    /** KubeEdge's {@code optional}: only properties the device model does not declare may be deleted over MQTT. */
    public static boolean optional(DeviceTwin twin, String property) {
        return !twin.properties().containsKey(property);
    }

    /** Null when {@code value} is acceptable for {@code type}, else KubeEdge's reason text. */
    public static String mismatch(String type, String value) {
        return switch (type) {
            case "", "string", "deleted" -> null;
            case "int", "integer" -> isInt64(value) ? null : "the value is not int or integer";
            case "float" -> isGoFloat(value) ? null : "the value is not float";
            case "boolean" -> value.equals("true") || value.equals("false") ? null : "the bool value must be true or false";
            default -> "the value type is not allowed";
        };
    }

    /**
     * The typed value to store for KubeEdge string {@code text} of a property of {@code type}.
     * Call after {@link #mismatch} accepted it.
     */
    public static JsonNode toValue(String type, String text) {
        switch (type) {
            case "int", "integer" -> {
                if (isInt64(text)) return KubeEdgeJson.NODES.numberNode(Long.parseLong(text));
            }
            case "float" -> {
                BigDecimal d = decimal(text);
                if (d != null) return KubeEdgeJson.NODES.numberNode(d);
            }
            case "boolean" -> {
                if (text.equals("true") || text.equals("false")) return KubeEdgeJson.NODES.booleanNode(text.equals("true"));
            }
            default -> {
            }
        }
        return KubeEdgeJson.NODES.textNode(text);
    }

    /**
     * The storing type for a value sent to an existing property whose type was derived from its
     * value (not declared): numbers stay numbers whether or not they are integral (a float
     * property may hold 20 and then 20.5), so int and float accept any number.
     */
    static String relaxedType(String derived, String text) {
        if (derived.equals("int") || derived.equals("float")) return isInt64(text) ? "int" : "float";
        return derived;
    }

    static String relaxedMismatch(String derived, String text) {
        if (derived.equals("int") || derived.equals("float")) {
            return isGoFloat(text) ? null : mismatch(derived, text);
        }
        return mismatch(derived, text);
    }

    /** The {@code {value, metadata:{timestamp}}} of a stored half, or null when the half is not set. */
    static com.fasterxml.jackson.databind.node.ObjectNode half(Field f) {
        if (f == null || !f.isSet()) return null;
        var o = KubeEdgeJson.object();
        o.put("value", toWire(f.value()));
        o.putObject("metadata").put("timestamp", Hlc.millis(f.stamp().hlc()));
        return o;
    }

    static boolean isInt64(String s) {
        if (s.isEmpty() || s.length() > 20) return false;
        try {
            Long.parseLong(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** What Go's {@code strconv.ParseFloat(s, 64)} accepts without error (decimal, exponent, hex, NaN, Inf). */
    static boolean isGoFloat(String s) {
        if (s.isEmpty()) return false;
        String lower = s.toLowerCase(Locale.ROOT);
        String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
        if (unsigned.equals("inf") || unsigned.equals("infinity") || lower.equals("nan")) return true;
        char last = lower.charAt(lower.length() - 1);
        if (last == 'd' || last == 'f' || unsigned.startsWith("nan") || unsigned.startsWith("inf")) return false;
        try {
            return Double.isFinite(Double.parseDouble(s));   // out of range is an error for Go too
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static BigDecimal decimal(String s) {
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
