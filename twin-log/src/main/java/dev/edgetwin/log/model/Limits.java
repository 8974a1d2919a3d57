package dev.edgetwin.log.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Input limits, every one a setting. The defaults are at least as generous as KubeEdge's:
 * names follow Kubernetes object names (DNS-1123 subdomain, up to 253 characters); property
 * and attribute keys follow KubeEdge's twin key rule (letters, digits and {@code - _ . , : / @ #},
 * under 128 bytes); a value is any JSON value of up to 64 KiB as canonical JSON (KubeEdge: a
 * string of under 512 bytes).
 *
 * @param maxNameBytes    namespace, device name, node id and model name
 * @param maxKeyBytes     property and attribute keys
 * @param maxValueBytes   one property or attribute value, as canonical JSON
 * @param maxProperties   visible properties per device
 * @param maxAttributes   attributes per device
 */
public record Limits(int maxNameBytes, int maxKeyBytes, int maxValueBytes, int maxProperties, int maxAttributes) {
    public static final Limits DEFAULT = new Limits(253, 128, 64 * 1024, 1024, 256);

    /** The rules as patterns, for reference and tests; {@link #validName} and {@link #validKey} spell them out. */
    static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    static final Pattern KEY = Pattern.compile("[A-Za-z0-9\\-_.,:/@#]+");
    private static final String KEY_PUNCTUATION = "-_.,:/@#";

    public TwinError checkId(DeviceId id) {
        if (!validName(id.namespace())) {
            return TwinError.badRequest(TwinError.ID_INVALID, "namespace '" + id.namespace() + "' " + NAME_RULE);
        }
        if (!validName(id.name())) {
            return TwinError.badRequest(TwinError.ID_INVALID, "device name '" + id.name() + "' " + NAME_RULE);
        }
        return null;
    }

    private static final String NAME_RULE =
            "must be lower-case letters, digits, '-' or '.', start and end with a letter or digit";

    public boolean validName(String s) {
        if (s == null || s.isEmpty() || s.length() > maxNameBytes) return false;
        // NAME, spelled out (it ran on every command): [a-z0-9] at both ends, [-a-z0-9.] between
        int last = s.length() - 1;
        for (int i = 0; i <= last; i++) {
            char c = s.charAt(i);
            boolean alnum = c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
            if (!alnum && (i == 0 || i == last || c != '-' && c != '.')) return false;
        }
        return true;
    }

    public TwinError checkNode(String node) {
        return validName(node) ? null : TwinError.badRequest(TwinError.NODE_INVALID, "node '" + node + "' " + NAME_RULE);
    }

    public boolean validKey(String key) {
        if (key == null || key.isEmpty() || key.length() >= maxKeyBytes) return false;
        // KEY, spelled out: every char ASCII, so its UTF-8 length is its length
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || KEY_PUNCTUATION.indexOf(c) >= 0;
            if (!ok) return false;
        }
        return true;
    }

    public String keyRule() {
        return "must only include letters, digits and - _ . , : / @ #, and be shorter than " + maxKeyBytes + " bytes";
    }

    /**
     * Null if the value fits, else a {@code twin:value.toolarge} error naming it as
     * {@code what 'name'} (the message is built only then: the usual small value costs no string).
     */
    public TwinError checkValueSize(String what, String name, JsonNode value) {
        if (surelyFits(value)) return null;
        int bytes = JsonValues.write(value).getBytes(StandardCharsets.UTF_8).length;
        if (bytes <= maxValueBytes) return null;
        return new TwinError(TwinError.VALUE_TOO_LARGE, 413,
                what + " '" + name + "' is " + bytes + " bytes of JSON; the limit is " + maxValueBytes);
    }

    /**
     * True when {@code value}'s canonical JSON is certainly within {@code maxValueBytes}, judged
     * without writing it: a string of n chars takes at most 6n + 2 bytes (every char escaped as
     * {@code \\uXXXX}), a boolean or null 5, a long 20, a decimal of at most 19 digits and scale
     * within ±99 under 128 in plain or exponent form. Anything else is measured.
     */
    private boolean surelyFits(JsonNode value) {
        if (value.isTextual()) return value.textValue().length() * 6L + 2 <= maxValueBytes;
        if (value.isBoolean() || value.isNull()) return maxValueBytes >= 5;
        if (value.isIntegralNumber() && value.canConvertToLong()) return maxValueBytes >= 20;
        if (value.isBigDecimal()) {
            java.math.BigDecimal d = value.decimalValue();
            return d.precision() <= 19 && Math.abs(d.scale()) <= 99 && maxValueBytes >= 128;
        }
        return false;
    }
}
