package dev.edgetwin.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads the body of {@code PUT …/devices/{name}}: the twin document shape of DESIGN.md section 8.
 * <pre>
 * {"node": "edge-a", "model": "led-light", "attributes": {"serial": "A1"},
 *  "twin": {"powerstatus": {"type": "string", "readOnly": false, "desired": {"value": "ON"}}}}
 * </pre>
 *
 * <p><b>Unknown fields are rejected</b> ({@code http:field.unknown}, 400, naming the field as a JSON
 * pointer), so a misspelt {@code "atributes"} is an error and not a silent no-op. The
 * document's read-only members are accepted and ignored, so a document read with GET can be
 * sent back as it is: {@code state}, {@code twin.*.reported}, {@code twin.*.inSync},
 * {@code desired.updatedAt}, {@code desired.origin}; {@code id} and {@code namespace} may be
 * present but must name the device of the path. Property definitions ({@code type}: one of
 * string, int, float, boolean, object, array; {@code readOnly}) are read here; the document
 * does not show them. A property listed with no {@code desired} (or a null one) is defined
 * without a desired value.
 */
final class RegistrationReader {
    private static final Set<String> TOP = Set.of("node", "model", "attributes", "twin", "id", "namespace", "state");
    private static final Set<String> PROPERTY = Set.of("type", "readOnly", "desired", "reported", "inSync");
    private static final Set<String> HALF = Set.of("value", "updatedAt", "origin");

    private RegistrationReader() {
    }

    static TwinCommand.RegisterDevice read(DeviceId id, JsonNode body, DeviceScope scope) {
        if (!body.isObject()) throw new ApiException(400, Problem.BODY_INVALID, "the body must be a JSON object (a twin document)");
        known(body, TOP, "");
        sameAs(body, "id", id.name());
        sameAs(body, "namespace", id.namespace());
        String node = text(body, "node", "/node");
        if (node == null) node = scope.defaultNode();
        if (node == null) {
            throw new ApiException(400, "twin:node.invalid", "'node' is required: the node the device is bound to");
        }
        String model = text(body, "model", "/model");
        Map<String, JsonNode> attributes = new LinkedHashMap<>();
        JsonNode attrs = body.get("attributes");
        if (attrs != null && !attrs.isNull()) {
            if (!attrs.isObject()) throw invalid("/attributes", "must be an object of attribute name → value");
            attrs.fields().forEachRemaining(a -> attributes.put(a.getKey(), a.getValue()));
        }
        Map<String, PropertyDef> properties = new LinkedHashMap<>();
        Map<String, JsonNode> desired = new LinkedHashMap<>();
        JsonNode twin = body.get("twin");
        if (twin != null && !twin.isNull()) {
            if (!twin.isObject()) throw invalid("/twin", "must be an object of property name → property");
            for (Iterator<Map.Entry<String, JsonNode>> it = twin.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                readProperty(p.getKey(), p.getValue(), properties, desired);
            }
        }
        return new TwinCommand.RegisterDevice(id, node, model == null ? "" : model, attributes, properties, desired);
    }

    private static void readProperty(String name, JsonNode prop, Map<String, PropertyDef> properties, Map<String, JsonNode> desired) {
        String at = "/twin/" + pointer(name);
        if (!prop.isObject()) throw invalid(at, "must be an object (type, readOnly, desired)");
        known(prop, PROPERTY, at);
        String type = text(prop, "type", at + "/type");
        JsonNode ro = prop.get("readOnly");
        if (ro != null && !ro.isNull() && !ro.isBoolean()) throw invalid(at + "/readOnly", "must be true or false");
        properties.put(name, new PropertyDef(type, ro != null && ro.asBoolean(false)));
        JsonNode half = prop.get("desired");
        if (half == null || half.isNull()) return;
        if (!half.isObject()) throw invalid(at + "/desired", "must be an object with a 'value'");
        known(half, HALF, at + "/desired");
        JsonNode value = half.get("value");
        if (value == null) throw invalid(at + "/desired", "has no 'value'");
        if (!value.isNull()) desired.put(name, value);
    }

    private static void known(JsonNode object, Set<String> allowed, String at) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new ApiException(400, Problem.FIELD_UNKNOWN, "unknown field " + at + "/" + pointer(f)
                        + "; allowed here: " + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
    }

    private static void sameAs(JsonNode body, String field, String expected) {
        JsonNode v = body.get(field);
        if (v != null && !v.isNull() && !(v.isTextual() && v.textValue().equals(expected))) {
            throw invalid("/" + field, "is " + v + " but the path names '" + expected + "'");
        }
    }

    private static String text(JsonNode object, String field, String at) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw invalid(at, "must be a string");
        return v.textValue();
    }

    static ApiException invalid(String at, String why) {
        return new ApiException(400, Problem.FIELD_INVALID, at + " " + why);
    }

    /** RFC 6901 escaping of one reference token. */
    static String pointer(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
