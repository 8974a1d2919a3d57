package dev.edgetwin.sync.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Control frames as JSON text (PROTOCOL.md §3.1). Decoding is strict about what it needs
 * (types, ranges, size) and ignores unknown fields; every refusal is a {@link SyncException}
 * with {@link SyncCode#FRAME_INVALID}. Pure and thread-safe.
 */
public final class ControlCodec {
    /** Default limit on one control frame, in UTF-8 bytes. */
    public static final int DEFAULT_MAX_BYTES = 4096;
    // one JSON value per frame, no duplicate keys: a frame means exactly one thing
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ControlCodec() {
    }

    public static String encode(Frame frame) {
        // the frame a receiver sends for every append: its text written at once, the tree's exactly (FrameCodecTest)
        if (frame instanceof Frame.Ack a && plain(a.stream())) {
            Frame.Credit c = a.credit();
            return new StringBuilder(160).append("{\"type\":\"ack\",\"stream\":\"").append(a.stream()).append("\",\"next\":").append(a.next())
                    .append(",\"credit\":{\"untilSeq\":").append(c.untilSeq()).append(",\"untilBytes\":").append(c.untilBytes()).append("}}")
                    .toString();
        }
        ObjectNode o = JSON.createObjectNode();
        if (frame instanceof Frame.Handshake h) {
            o.put("type", h.welcome() ? "welcome" : "hello").put("version", h.version()).put("node", h.node());
            if (h.welcome()) o.put("session", h.session());
            ObjectNode r = o.putObject("receives");
            r.put("stream", h.receives().stream()).put("next", h.receives().next()).put("hash", hex(h.receives().hash()));
            o.putObject("sends").put("stream", h.sends()).put("head", h.head());
            credit(o, h.credit());
            o.put("maxBatchBytes", h.maxBatchBytes()).put("heartbeatMs", h.heartbeatMs());
        } else if (frame instanceof Frame.Ack a) {
            o.put("type", "ack").put("stream", a.stream()).put("next", a.next());
            credit(o, a.credit());
        } else if (frame instanceof Frame.Ping p) {
            o.put("type", "ping").put("head", p.head()).put("sent", p.sent());
            ObjectNode a = o.putObject("ack");
            a.put("stream", p.ack().stream()).put("next", p.ack().next());
            credit(a, p.ack().credit());
        } else if (frame instanceof Frame.SnapshotHeader s) {
            o.put("type", "snapshot").put("stream", s.stream()).put("upTo", s.upTo()).put("hash", hex(s.hash()))
                    .put("entries", s.entries()).put("bytes", s.bytes());
        } else if (frame instanceof Frame.ErrorFrame e) {
            o.put("type", "error").put("code", e.code().code()).put("message", e.message());
        } else {
            throw new IllegalArgumentException("not a control frame: " + frame);
        }
        return o.toString();
    }

    /** True when JSON writes {@code s} as it is between quotes: printable ASCII without quote or backslash. */
    static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch > 0x7e || ch == '"' || ch == '\\') return false;
        }
        return true;
    }

    private static void credit(ObjectNode o, Frame.Credit c) {
        o.putObject("credit").put("untilSeq", c.untilSeq()).put("untilBytes", c.untilBytes());
    }

    /** Decodes one text message; throws {@link SyncCode#FRAME_INVALID} for anything else. */
    public static Frame decode(String text, int maxBytes) {
        checkSize(text, maxBytes);
        // the frame received for every append, in the shape encode writes it, read in place (FrameCodecTest)
        Frame.Ack ack = AckText.read(text);
        return ack != null ? ack : tree(text);
    }

    /** {@link #decode} through the JSON tree only: every frame's reference reading. */
    static Frame decodeTree(String text, int maxBytes) {
        checkSize(text, maxBytes);
        return tree(text);
    }

    private static void checkSize(String text, int maxBytes) {
        if (text == null) throw invalid("null text frame");
        // a UTF-8 byte count is at most 3x the char count: check cheaply before encoding
        if (text.length() > maxBytes || (text.length() * 3L > maxBytes && text.getBytes(StandardCharsets.UTF_8).length > maxBytes)) {
            throw invalid("control frame over " + maxBytes + " bytes");
        }
    }

    private static Frame tree(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw invalid("control frame is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw invalid("control frame is not a JSON object");
        String type = text(root, "type");
        try {
            return switch (type) {
                case "hello", "welcome" -> handshake(root, type.equals("welcome"));
                case "ack" -> ack(root);
                case "ping" -> new Frame.Ping(nonNegative(root, "head"), nonNegative(root, "sent"), ack(object(root, "ack")));
                case "snapshot" -> new Frame.SnapshotHeader(text(root, "stream"), nonNegative(root, "upTo"), hash(root, "hash"),
                        intField(root, "entries", 0, Integer.MAX_VALUE), nonNegative(root, "bytes"));
                case "error" -> errorFrame(root);
                default -> throw invalid("unknown control frame type '" + type + "'");
            };
        } catch (IllegalArgumentException e) {
            throw invalid(type + " frame: " + e.getMessage());
        }
    }

    private static Frame handshake(JsonNode o, boolean welcome) {
        JsonNode receives = object(o, "receives");
        JsonNode sends = object(o, "sends");
        return new Frame.Handshake(welcome, intField(o, "version", 0, Integer.MAX_VALUE), text(o, "node"),
                welcome ? text(o, "session") : null,
                new Frame.StreamPosition(text(receives, "stream"), nonNegative(receives, "next"), hash(receives, "hash")),
                text(sends, "stream"), nonNegative(sends, "head"), credit(o),
                intField(o, "maxBatchBytes", 1, Integer.MAX_VALUE), intField(o, "heartbeatMs", 100, 600_000));
    }

    private static Frame.Ack ack(JsonNode o) {
        return new Frame.Ack(text(o, "stream"), nonNegative(o, "next"), credit(o));
    }

    private static Frame errorFrame(JsonNode o) {
        String code = text(o, "code");
        SyncCode c = SyncCode.of(code).orElseThrow(() -> invalid("unknown error code '" + code + "'"));
        JsonNode m = o.get("message");
        return new Frame.ErrorFrame(c, m != null && m.isTextual() ? m.asText() : "");
    }

    private static Frame.Credit credit(JsonNode o) {
        JsonNode c = object(o, "credit");
        return new Frame.Credit(nonNegative(c, "untilSeq"), nonNegative(c, "untilBytes"));
    }

    private static JsonNode object(JsonNode o, String name) {
        JsonNode v = o.get(name);
        if (v == null || !v.isObject()) throw invalid("'" + name + "' must be an object");
        return v;
    }

    private static String text(JsonNode o, String name) {
        JsonNode v = o.get(name);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) throw invalid("'" + name + "' must be a non-empty string");
        return v.asText();
    }

    private static long nonNegative(JsonNode o, String name) {
        JsonNode v = o.get(name);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw invalid("'" + name + "' must be an integer 0..2^63-1");
        }
        return v.asLong();
    }

    private static int intField(JsonNode o, String name, int min, int max) {
        JsonNode v = o.get(name);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
            throw invalid("'" + name + "' must be an integer " + min + ".." + max);
        }
        return v.asInt();
    }

    private static long hash(JsonNode o, String name) {
        String h = text(o, name);
        if (h.length() != 16) throw invalid("'" + name + "' must be 16 hex digits");
        try {
            return HexFormat.fromHexDigitsToLong(h);
        } catch (NumberFormatException e) {
            throw invalid("'" + name + "' must be 16 hex digits");
        }
    }

    private static String hex(long v) {
        return HexFormat.of().toHexDigits(v);
    }

    private static SyncException invalid(String message) {
        return new SyncException(SyncCode.FRAME_INVALID, message);
    }
}
