package dev.edgetwin.gpio.twin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON payloads of KubeEdge's twin topics (KUBEEDGE-COMPAT.md sections 3 and 4), as a mapper
 * sends and reads them. Reading follows Go's decoder: keys match case-insensitively (an exact match
 * wins), unknown keys are ignored, values are strings. Writing produces exactly KubeEdge's shapes,
 * every message starting with {@code event_id} and {@code timestamp}.
 */
public final class TwinMessages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TwinMessages() {
    }

    /** A {@code twin/get/result} or {@code twin/update/result}: {@code code} is 0 on success. */
    public record Result(String eventId, int code, String reason, Map<String, TwinProperty> twin) {
        public boolean ok() {
            return code == 0;
        }
    }

    /** A {@code twin/update/delta}: the whole twin's properties with an expected value, and those out of sync. */
    public record Delta(String eventId, Map<String, TwinProperty> twin, Map<String, String> delta) {
    }

    /** A {@code membership/get/result}: the ids ({@code namespace/name}) of the devices bound to the edge. */
    public record Membership(String eventId, int code, String reason, List<String> deviceIds) {
    }

    /** A {@code membership/updated}: devices added to or removed from the edge. */
    public record MembershipChange(List<String> added, List<String> removed) {
    }

    // ---- reading

    public static Result result(byte[] payload) {
        JsonNode root = object(payload);
        return new Result(eventId(root), code(root), text(field(root, "reason")), twin(field(root, "twin")));
    }

    public static Delta delta(byte[] payload) {
        JsonNode root = object(payload);
        Map<String, String> delta = new LinkedHashMap<>();
        JsonNode d = field(root, "delta");
        if (d != null && !d.isNull()) {
            if (!d.isObject()) throw new PayloadException("delta is not an object");
            for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) throw new PayloadException("delta." + e.getKey() + " is not a string");
                delta.put(e.getKey(), e.getValue().asText());
            }
        }
        return new Delta(eventId(root), twin(field(root, "twin")), delta);
    }

    public static Membership membership(byte[] payload) {
        JsonNode root = object(payload);
        return new Membership(eventId(root), code(root), text(field(root, "reason")), deviceIds(field(root, "devices")));
    }

    public static MembershipChange membershipChange(byte[] payload) {
        JsonNode root = object(payload);
        return new MembershipChange(deviceIds(field(root, "added_devices")), deviceIds(field(root, "removed_devices")));
    }

    private static JsonNode object(byte[] payload) {
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (IOException e) {
            throw new PayloadException("not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) throw new PayloadException("not a JSON object");
        JsonNode timestamp = field(root, "timestamp");
        if (timestamp != null && !timestamp.isNull() && !timestamp.isIntegralNumber()) throw new PayloadException("timestamp is not an integer");
        return root;
    }

    /** Go's rule: the exact key, else the first key equal to it ignoring case. */
    static JsonNode field(JsonNode object, String name) {
        if (object == null || !object.isObject()) return null;
        JsonNode exact = object.get(name);
        if (exact != null) return exact;
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
        }
        return null;
    }

    private static String eventId(JsonNode root) {
        return text(field(root, "event_id"));
    }

    private static int code(JsonNode root) {
        JsonNode code = field(root, "code");
        if (code == null || code.isNull()) return 0;
        if (!code.isIntegralNumber()) throw new PayloadException("code is not an integer");
        return code.intValue();
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull()) return "";
        if (!node.isTextual()) throw new PayloadException("expected a string, got " + node);
        return node.asText();
    }

    private static Map<String, TwinProperty> twin(JsonNode twin) {
        Map<String, TwinProperty> properties = new LinkedHashMap<>();
        if (twin == null || twin.isNull()) return properties;
        if (!twin.isObject()) throw new PayloadException("twin is not an object");
        for (Iterator<Map.Entry<String, JsonNode>> it = twin.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode p = e.getValue();
            if (p.isNull()) continue; // a deleted property
            if (!p.isObject()) throw new PayloadException("twin." + e.getKey() + " is not an object");
            properties.put(e.getKey(), new TwinProperty(value(field(p, "expected")), value(field(p, "actual")),
                    Optional.ofNullable(field(field(p, "metadata"), "type")).filter(JsonNode::isTextual).map(JsonNode::asText)));
        }
        return properties;
    }

    private static Optional<String> value(JsonNode half) {
        if (half == null || half.isNull()) return Optional.empty();
        if (!half.isObject()) throw new PayloadException("a twin value is not an object");
        JsonNode value = field(half, "value");
        if (value == null || value.isNull()) return Optional.empty();
        if (!value.isTextual()) throw new PayloadException("a twin value is not a string: " + value);
        return Optional.of(value.asText());
    }

    private static List<String> deviceIds(JsonNode devices) {
        List<String> ids = new ArrayList<>();
        if (devices == null || devices.isNull()) return ids;
        if (!devices.isArray()) throw new PayloadException("a device list is not an array");
        for (JsonNode d : devices) {
            String id = text(field(d, "id"));
            if (!id.isEmpty()) ids.add(id);
        }
        return ids;
    }

    // ---- writing

    /** {@code {"event_id","timestamp"}}: the body of {@code twin/get} and {@code membership/get}. */
    public static byte[] request(String eventId, long now) {
        return bytes(base(eventId, now));
    }

    /** {@code state/update}: {@code {"event_id","timestamp","state":"online"}}. */
    public static byte[] state(String eventId, long now, String state) {
        ObjectNode root = base(eventId, now);
        root.put("state", state);
        return bytes(root);
    }

    /** A {@code twin/update} reporting one actual value, as KubeEdge's vector twin-update-request.json. */
    public static byte[] reportActual(String eventId, long now, String property, String value, String type) {
        return update(eventId, now, property, "actual", value, type);
    }

    /** A {@code twin/update} setting one expected (desired) value, as twin-update-request-expected.json. */
    public static byte[] desireExpected(String eventId, long now, String property, String value, String type) {
        return update(eventId, now, property, "expected", value, type);
    }

    private static byte[] update(String eventId, long now, String property, String half, String value, String type) {
        ObjectNode root = base(eventId, now);
        ObjectNode p = root.putObject("twin").putObject(property);
        ObjectNode v = p.putObject(half);
        v.put("value", value);
        v.putObject("metadata").put("timestamp", now);
        p.putObject("metadata").put("type", type);
        return bytes(root);
    }

    private static ObjectNode base(String eventId, long now) {
        ObjectNode root = JSON.createObjectNode();
        root.put("event_id", eventId);
        root.put("timestamp", now);
        return root;
    }

    private static byte[] bytes(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
