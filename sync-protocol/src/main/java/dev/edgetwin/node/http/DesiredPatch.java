package dev.edgetwin.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.TwinCommand;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code PATCH …/desired}: a JSON merge patch (RFC 7386) of the device's desired values, seen as
 * the object property → desired value. A member set to {@code null} clears that desired value;
 * a member that is an object is merged into the current desired value of that property (when
 * that value is an object) by the same rules, recursively; any other member replaces the
 * value. Property names are checked by the store like any other ({@code twin:property.invalid}).
 */
record DesiredPatch(Map<String, JsonNode> members) {

    static DesiredPatch read(JsonNode body) {
        if (!body.isObject()) {
            throw new ApiException(400, Problem.BODY_INVALID, "a merge patch of desired values must be a JSON object "
                    + "(property → value, null clears)");
        }
        Map<String, JsonNode> members = new LinkedHashMap<>();
        body.fields().forEachRemaining(e -> members.put(e.getKey(), e.getValue().isNull() ? null : e.getValue()));
        return new DesiredPatch(members);
    }

    /** True when some member is an object: applying it needs the current value, so it is decided on the writer thread. */
    boolean mergesObjects() {
        for (JsonNode v : members.values()) {
            if (v != null && v.isObject()) return true;
        }
        return false;
    }

    /** The command for the store: object members merged into {@code current}'s desired values. */
    TwinCommand.PatchDesired command(DeviceId id, DeviceTwin current) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        members.forEach((p, v) -> out.put(p, v != null && v.isObject()
                ? merge(current.desired(p).orElse(null), v) : v));
        return new TwinCommand.PatchDesired(id, out);
    }

    /** RFC 7386 MergePatch(target, patch) for an object patch. */
    static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) return patch;
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            if (m.getValue().isNull()) {
                result.remove(m.getKey());
            } else {
                result.set(m.getKey(), merge(result.get(m.getKey()), m.getValue()));
            }
        }
        return result;
    }
}
