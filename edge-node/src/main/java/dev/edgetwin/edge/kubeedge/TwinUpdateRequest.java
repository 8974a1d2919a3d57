package dev.edgetwin.edge.kubeedge;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

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

    static final String UNMARSHAL = "Unmarshal update request body failed, please check the request";
    static final String NO_TWIN = "Update twin error, key:twin does not exist";

    /**
     * Parses and checks a body: JSON shape, {@code twin} present, key and value syntax, sizes.
     * The common well-formed shape is read by a streaming pass ({@link Streaming}); any
     * body it does not take exactly as it is goes to the tree path ({@link #parseTree}), whose
     * rules (Go-like key matching, null, duplicates, errors) therefore decide every other case.
     */
    public static TwinUpdateRequest parse(byte[] payload, KubeEdgeSettings settings) {
        checkSize(payload, settings);
        TwinUpdateRequest read = Streaming.read(payload);
        if (read == null) return tree(payload, settings);
        // the tree path would have read the same properties without error: same checks, same order
        checkCount(read.twin().size(), settings);
        checkSyntax(read.twin(), settings);
        return read;
    }

    /** {@link #parse} through the JSON tree only: the reference the streaming pass must agree with. */
    public static TwinUpdateRequest parseTree(byte[] payload, KubeEdgeSettings settings) {
        checkSize(payload, settings);
        return tree(payload, settings);
    }

    private static void checkSize(byte[] payload, KubeEdgeSettings settings) {
        if (payload.length > settings.maxPayloadBytes()) {
            throw new Rejected(KubeEdgeError.body(KubeEdgeError.PAYLOAD_TOO_LARGE,
                    "the update is " + payload.length + " bytes; the limit is " + settings.maxPayloadBytes()));
        }
    }

    private static void checkCount(int properties, KubeEdgeSettings settings) {
        if (properties > settings.maxProperties()) {
            throw new Rejected(KubeEdgeError.body(KubeEdgeError.LIMIT_PROPERTIES,
                    "the update names " + properties + " properties; the limit is " + settings.maxProperties()));
        }
    }

    private static TwinUpdateRequest tree(byte[] payload, KubeEdgeSettings settings) {
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
        checkCount(twin.size(), settings);
        Map<String, PropertyUpdate> updates = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = twin.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            updates.put(e.getKey(), property(e.getValue()));
        }
        checkSyntax(updates, settings);
        return new TwinUpdateRequest(eventId == null ? "" : eventId, Collections.unmodifiableMap(updates));
    }

    /** Key and value syntax, in the order of the message: the first bad one is the answer. */
    private static void checkSyntax(Map<String, PropertyUpdate> updates, KubeEdgeSettings settings) {
        for (Map.Entry<String, PropertyUpdate> e : updates.entrySet()) {
            if (!valid(e.getKey(), settings.maxKeyBytes())) {
                throw new Rejected(KubeEdgeError.body(KubeEdgeError.KEY_INVALID, rule("key", settings.maxKeyBytes())));
            }
            PropertyUpdate u = e.getValue();
            if (u == null) continue;
            if (invalidValue(u.expected(), settings) || invalidValue(u.actual(), settings)) {
                throw new Rejected(KubeEdgeError.body(KubeEdgeError.VALUE_INVALID, rule("value", settings.maxValueBytes())));
            }
        }
    }

    private static boolean invalidValue(String v, KubeEdgeSettings settings) {
        return v != null && !v.isEmpty() && !valid(v, settings.maxValueBytes());
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

    /**
     * Non-empty, at most {@code maxBytes} UTF-8 bytes, and only KubeEdge's characters
     * {@code [A-Za-z0-9\-_.,:/@#]}. Those are all ASCII, so a string of them has as many bytes as chars.
     */
    static boolean valid(String s, int maxBytes) {
        int n = s.length();
        if (n == 0 || n > maxBytes) return false;
        for (int i = 0; i < n; i++) {
            if (!allowed(s.charAt(i))) return false;
        }
        return true;
    }

    static boolean allowed(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '_' || c == '.' || c == ',' || c == ':' || c == '/' || c == '@' || c == '#';
    }

    static String rule(String what, int maxBytes) {
        return "The " + what + " of twin must only include upper or lowercase letters, number, english, and special letter"
                + " - _ . , : / @ # and the length of " + what + " should be less than " + maxBytes + " bytes";
    }

    /**
     * The streaming pass of {@link #parse}: reads, without building a tree and without a Jackson
     * parser ({@link JsonTokens}: plain ASCII strings without escapes, no arrays), bodies that use
     * only exact-case known keys, each once, with the JSON types KubeEdge sends (strings,
     * int64 timestamps, objects, booleans for {@code optional}) and no null; returns null for
     * anything else (wrong JSON, another key or token, a duplicate, a number or boolean value,
     * trailing tokens…), which the tree path then answers. What it returns equals what the tree
     * path reads from the same body, before the key/value checks.
     */
    static final class Streaming {
        private static final String NO_VALUE = new String("(no value)");   // a half without value: compared by identity
        private static final int EVENT_ID = 1, TIMESTAMP = 2, TWIN = 4;
        private static final int METADATA = 1, EXPECTED_VERSION = 2, ACTUAL_VERSION = 4, EXPECTED = 8, ACTUAL = 16, OPTIONAL = 32;

        private Streaming() {
        }

        static TwinUpdateRequest read(byte[] payload) {
            try {
                JsonTokens p = new JsonTokens(payload);
                if (p.nextToken() != JsonToken.START_OBJECT) return null;
                String eventId = "";
                Map<String, PropertyUpdate> twin = null;
                int seen = 0;
                JsonToken t;
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    int bit = switch (name) {
                        case "event_id" -> EVENT_ID;
                        case "timestamp" -> TIMESTAMP;
                        case "twin" -> TWIN;
                        default -> 0;
                    };
                    if (bit == 0 || (seen & bit) != 0) return null;
                    seen |= bit;
                    if (bit == EVENT_ID) {
                        if (v != JsonToken.VALUE_STRING) return null;
                        eventId = p.getText();
                    } else if (bit == TIMESTAMP) {
                        if (!int64(v)) return null;
                    } else {
                        if (v != JsonToken.START_OBJECT || (twin = twin(p)) == null) return null;
                    }
                }
                if (t != JsonToken.END_OBJECT || twin == null || p.nextToken() != null) return null;
                return new TwinUpdateRequest(eventId, twin);
            } catch (RuntimeException e) {   // JsonTokens.GiveUp, and anything unforeseen: the tree path decides
                return null;
            }
        }

        /** JsonTokens reads only integers that fit in a long. */
        private static boolean int64(JsonToken v) {
            return v == JsonToken.VALUE_NUMBER_INT;
        }

        /**
         * The properties of a {@code twin} object (at its START_OBJECT), unmodifiable, or null. The
         * usual single property needs no table: it is kept aside until a second one comes.
         */
        private static Map<String, PropertyUpdate> twin(JsonTokens p) {
            String firstName = null;
            PropertyUpdate first = null;
            Map<String, PropertyUpdate> more = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken() != JsonToken.START_OBJECT) return null;
                PropertyUpdate u = property(p);
                if (u == null) return null;
                if (first == null) {
                    firstName = name;
                    first = u;
                    continue;
                }
                if (more == null) {
                    more = new LinkedHashMap<>(8);
                    more.put(firstName, first);
                }
                if (more.put(name, u) != null) return null;
            }
            if (t != JsonToken.END_OBJECT) return null;
            if (more != null) return Collections.unmodifiableMap(more);
            return first == null ? Map.of() : Collections.singletonMap(firstName, first);
        }

        /** One MsgTwin (at its START_OBJECT), or null. */
        private static PropertyUpdate property(JsonTokens p) {
            String type = null;
            String expected = null;
            String actual = null;
            Boolean optional = null;
            int seen = 0;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                int bit = switch (name) {
                    case "metadata" -> METADATA;
                    case "expected_version" -> EXPECTED_VERSION;
                    case "actual_version" -> ACTUAL_VERSION;
                    case "expected" -> EXPECTED;
                    case "actual" -> ACTUAL;
                    case "optional" -> OPTIONAL;
                    default -> 0;
                };
                if (bit == 0 || (seen & bit) != 0) return null;
                seen |= bit;
                switch (bit) {
                    case METADATA -> {
                        if (v != JsonToken.START_OBJECT || (type = type(p)) == null) return null;
                    }
                    case EXPECTED_VERSION, ACTUAL_VERSION -> {
                        // the tree path only checks that a version is an object; take the empty one only
                        if (v != JsonToken.START_OBJECT || p.nextToken() != JsonToken.END_OBJECT) return null;
                    }
                    case EXPECTED -> {
                        if (v != JsonToken.START_OBJECT || (expected = half(p)) == null) return null;
                    }
                    case ACTUAL -> {
                        if (v != JsonToken.START_OBJECT || (actual = half(p)) == null) return null;
                    }
                    default -> {
                        if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) return null;
                        optional = v == JsonToken.VALUE_TRUE;
                    }
                }
            }
            if (t != JsonToken.END_OBJECT) return null;
            boolean expectedWithoutValue = expected == NO_VALUE;
            boolean actualWithoutValue = actual == NO_VALUE;
            return new PropertyUpdate(expectedWithoutValue ? null : expected, actualWithoutValue ? null : actual, optional,
                    type == NO_VALUE ? null : type, expectedWithoutValue, actualWithoutValue);
        }

        /** {@code metadata.type} (at the metadata's START_OBJECT); NO_VALUE when absent; null to give up. */
        private static String type(JsonTokens p) {
            String type = NO_VALUE;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                if (type != NO_VALUE || !p.currentName().equals("type") || p.nextToken() != JsonToken.VALUE_STRING) return null;
                type = p.getText();
            }
            return t == JsonToken.END_OBJECT ? type : null;
        }

        /** A TwinValue's string {@code value} (at its START_OBJECT); NO_VALUE when absent; null to give up. */
        private static String half(JsonTokens p) {
            String value = NO_VALUE;
            boolean metadata = false;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals("value")) {
                    if (value != NO_VALUE || v != JsonToken.VALUE_STRING) return null;
                    value = p.getText();
                } else if (name.equals("metadata")) {
                    if (metadata || v != JsonToken.START_OBJECT || !timestamp(p)) return null;
                    metadata = true;
                } else {
                    return null;
                }
            }
            return t == JsonToken.END_OBJECT ? value : null;
        }

        /** A value's {@code metadata} (at its START_OBJECT): nothing or an int64 {@code timestamp}. */
        private static boolean timestamp(JsonTokens p) {
            boolean seen = false;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                if (seen || !p.currentName().equals("timestamp") || !int64(p.nextToken())) return false;
                seen = true;
            }
            return t == JsonToken.END_OBJECT;
        }
    }
}
