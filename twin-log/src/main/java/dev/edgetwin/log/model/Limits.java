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

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9\\-_.,:/@#]+");

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
        return s != null && !s.isEmpty() && s.length() <= maxNameBytes && NAME.matcher(s).matches();
    }

    public TwinError checkNode(String node) {
        return validName(node) ? null : TwinError.badRequest(TwinError.NODE_INVALID, "node '" + node + "' " + NAME_RULE);
    }

    public boolean validKey(String key) {
        return key != null && !key.isEmpty() && key.getBytes(StandardCharsets.UTF_8).length < maxKeyBytes
                && KEY.matcher(key).matches();
    }

    public String keyRule() {
        return "must only include letters, digits and - _ . , : / @ #, and be shorter than " + maxKeyBytes + " bytes";
    }

    /** Null if the value fits, else a {@code twin:value.toolarge} error naming {@code what}. */
    public TwinError checkValueSize(String what, JsonNode value) {
        int bytes = JsonValues.write(value).getBytes(StandardCharsets.UTF_8).length;
        if (bytes <= maxValueBytes) return null;
        return new TwinError(TwinError.VALUE_TOO_LARGE, 413,
                what + " is " + bytes + " bytes of JSON; the limit is " + maxValueBytes);
    }
}
