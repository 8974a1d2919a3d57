package dev.edgetwin.edge.kubeedge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON as KubeEdge's Go decoder reads it and as its encoder writes it: object keys match
 * case-insensitively (an exact match wins), unknown keys are ignored, and a value of the
 * wrong JSON type fails the whole message ({@link Malformed}). Output keeps the insertion
 * order (KubeEdge's struct field order).
 */
public final class KubeEdgeJson {
    /** The message is not JSON, or a known field has the wrong JSON type. */
    public static final class Malformed extends RuntimeException {
        public Malformed(String message) {
            super(message, null, false, false);
        }
    }

    static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .nodeFactory(NODES)
            .build();
    private static final ObjectWriter WRITER = MAPPER.writer();

    private KubeEdgeJson() {
    }

    /** Parses a message body that must be a JSON object (Go also accepts {@code null}: an empty object). */
    public static ObjectNode parseObject(byte[] payload) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(payload);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString();
            throw new Malformed(why);
        }
        if (tree == null || tree.isMissingNode()) throw new Malformed("unexpected end of JSON input");
        if (tree.isNull()) return NODES.objectNode();
        if (!tree.isObject()) throw new Malformed("cannot unmarshal " + tree.getNodeType().name().toLowerCase() + " into an object");
        return (ObjectNode) tree;
    }

    /** The member named {@code name}, matched like Go: exactly, else ignoring case; null when absent. */
    public static JsonNode field(JsonNode object, String name) {
        JsonNode exact = object.get(name);
        if (exact != null) return exact;
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
        }
        return null;
    }

    /** A string member: null when absent or JSON null. */
    public static String string(JsonNode object, String name) {
        JsonNode v = field(object, name);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw wrongType(name, v, "string");
        return v.textValue();
    }

    /** An int64 member: null when absent or JSON null. */
    public static Long int64(JsonNode object, String name) {
        JsonNode v = field(object, name);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw wrongType(name, v, "int64");
        return v.longValue();
    }

    public static Boolean bool(JsonNode object, String name) {
        JsonNode v = field(object, name);
        if (v == null || v.isNull()) return null;
        if (!v.isBoolean()) throw wrongType(name, v, "bool");
        return v.booleanValue();
    }

    /** An object member: null when absent or JSON null. */
    public static ObjectNode object(JsonNode object, String name) {
        JsonNode v = field(object, name);
        if (v == null || v.isNull()) return null;
        if (!v.isObject()) throw wrongType(name, v, "object");
        return (ObjectNode) v;
    }

    private static Malformed wrongType(String name, JsonNode v, String wanted) {
        return new Malformed("cannot unmarshal " + v.getNodeType().name().toLowerCase() + " into field " + name + " of type " + wanted);
    }

    /** A new message starting with KubeEdge's BaseMessage fields. */
    public static ObjectNode base(String eventId, long timestamp) {
        ObjectNode o = NODES.objectNode();
        o.put("event_id", eventId);
        o.put("timestamp", timestamp);
        return o;
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static byte[] write(JsonNode node) {
        try {
            return WRITER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
