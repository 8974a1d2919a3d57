package dev.edgetwin.edge.kubeedge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A parsed and syntax-checked {@code twin/update} body (KUBEEDGE-COMPAT.md 4.1 step 1).
 *
 * @param twin property → update, in the order of the message; a null update deletes the property
 */
public record TwinUpdateRequest(String eventId, Map<String, PropertyUpdate> twin) {

    /**
     * One MsgTwin of a request. {@code expected}/{@code actual} are null when the half is not
     * sent (or sent as JSON null, which KubeEdge treats alike); {@code …WithoutValue} marks a
     * half sent without a {@code value}, which KubeEdge crashes on and EdgeTwin answers with 400.
     */
    public record PropertyUpdate(String expected, String actual, Boolean optional, String type,
                                 boolean expectedWithoutValue, boolean actualWithoutValue) {
    }

    /** Thrown with the error result to send. */
    public static final class Rejected extends RuntimeException {
        private final KubeEdgeError error;

        public Rejected(KubeEdgeError error) {
            super(error.reason(), null, false, false);
            this.error = error;
        }

        public KubeEdgeError error() {
            return error;
        }
    }

    private static final Pattern CHARS = Pattern.compile("[A-Za-z0-9\\-_.,:/@#]+");
    static final String UNMARSHAL = "Unmarshal update request body failed, please check the request";
    static final String NO_TWIN = "Update twin error, key:twin does not exist";

    /** Parses and checks a body: JSON shape, {@code twin} present, key and value syntax, sizes. */
    public static TwinUpdateRequest parse(byte[] payload, KubeEdgeSettings settings) {
        if (payload.length > settings.maxPayloadBytes()) {
            throw new Rejected(KubeEdgeError.body(KubeEdgeError.PAYLOAD_TOO_LARGE,
                    "the update is " + payload.length + " bytes; the limit is " + settings.maxPayloadBytes()));
        }
        ObjectNode body;
        String eventId;
        ObjectNode twin;
        try {
            body = KubeEdgeJson.parseObject(payload);
            eventId = KubeEdgeJson.string(body, "event_id");
            KubeEdgeJson.int64(body, "timestamp");
            twin = KubeEdgeJson.object(body, "twin");
        } catch (KubeEdgeJson.Malformed e) {
            throw new Rejected(KubeEdgeError.body(KubeEdgeError.PAYLOAD_INVALID, UNMARSHAL));
        }
        if (twin == null) throw new Rejected(KubeEdgeError.body(KubeEdgeError.TWIN_MISSING, NO_TWIN));
        if (twin.size() > settings.maxProperties()) {
            throw new Rejected(KubeEdgeError.body(KubeEdgeError.LIMIT_PROPERTIES,
                    "the update names " + twin.size() + " properties; the limit is " + settings.maxProperties()));
        }
        Map<String, PropertyUpdate> updates = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = twin.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            updates.put(e.getKey(), property(e.getValue()));
        }
        for (Map.Entry<String, PropertyUpdate> e : updates.entrySet()) {
            if (!valid(e.getKey(), settings.maxKeyBytes())) {
                throw new Rejected(KubeEdgeError.body(KubeEdgeError.KEY_INVALID, rule("key", settings.maxKeyBytes())));
            }
            PropertyUpdate u = e.getValue();
            if (u == null) continue;
            for (String v : new String[]{u.expected(), u.actual()}) {
                if (v != null && !v.isEmpty() && !valid(v, settings.maxValueBytes())) {
                    throw new Rejected(KubeEdgeError.body(KubeEdgeError.VALUE_INVALID, rule("value", settings.maxValueBytes())));
                }
            }
        }
        return new TwinUpdateRequest(eventId == null ? "" : eventId, Collections.unmodifiableMap(updates));
    }

    private static PropertyUpdate property(JsonNode node) {
        if (node.isNull()) return null;
        try {
            if (!node.isObject()) throw new KubeEdgeJson.Malformed("a twin property must be an object");
            ObjectNode metadata = KubeEdgeJson.object(node, "metadata");
            String type = metadata == null ? null : KubeEdgeJson.string(metadata, "type");
            KubeEdgeJson.object(node, "expected_version");
            KubeEdgeJson.object(node, "actual_version");
            ObjectNode expected = KubeEdgeJson.object(node, "expected");
            ObjectNode actual = KubeEdgeJson.object(node, "actual");
            return new PropertyUpdate(value(expected), value(actual), KubeEdgeJson.bool(node, "optional"), type,
                    expected != null && value(expected) == null, actual != null && value(actual) == null);
        } catch (KubeEdgeJson.Malformed e) {
            throw new Rejected(KubeEdgeError.body(KubeEdgeError.PAYLOAD_INVALID, UNMARSHAL));
        }
    }

    /** A TwinValue's {@code value}. Numbers and booleans are taken as their text (KubeEdge itself wants strings). */
    private static String value(ObjectNode half) {
        if (half == null) return null;
        ObjectNode metadata = KubeEdgeJson.object(half, "metadata");
        if (metadata != null) KubeEdgeJson.int64(metadata, "timestamp");   // parsed for its type, then ignored
        JsonNode v = KubeEdgeJson.field(half, "value");
        if (v == null || v.isNull()) return null;
        if (v.isTextual()) return v.textValue();
        if (v.isNumber() || v.isBoolean()) return KubeEdgeValues.toWire(v);
        throw new KubeEdgeJson.Malformed("a twin value must be a string");
    }

    private static boolean valid(String s, int maxBytes) {
        return !s.isEmpty() && s.length() <= maxBytes && s.getBytes(StandardCharsets.UTF_8).length <= maxBytes
                && CHARS.matcher(s).matches();
    }

    static String rule(String what, int maxBytes) {
        return "The " + what + " of twin must only include upper or lowercase letters, number, english, and special letter"
                + " - _ . , : / @ # and the length of " + what + " should be less than " + maxBytes + " bytes";
    }
}
