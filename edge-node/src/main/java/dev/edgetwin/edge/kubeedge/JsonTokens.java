package dev.edgetwin.edge.kubeedge;

import com.fasterxml.jackson.core.JsonToken;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A strict reader of the small part of JSON a mapper's {@code twin/update} uses: objects, strings
 * of printable ASCII without escapes, integers that fit in a long, {@code true}, {@code false},
 * {@code null}, and JSON whitespace between them. Anything else — an array, an escape, any other
 * byte in a string, a fraction or exponent, a leading zero, broken syntax, a byte order mark —
 * stops it with {@link GiveUp}, and the caller reads the body the general way (Jackson). So what
 * it does return is exactly what a JSON parser returns for the same bytes.
 *
 * <p>Tokens are Jackson's {@link JsonToken}s, used as a {@code JsonParser}'s client would. It
 * exists because a Jackson parser costs more to set up (its context, buffers, symbol table) than
 * a twin update of 150 bytes costs to read. One body, one thread.
 */
final class JsonTokens {
    /** The body is outside the subset (or not JSON): read it the general way. */
    static final class GiveUp extends RuntimeException {
        static final GiveUp INSTANCE = new GiveUp();

        private GiveUp() {
            super("outside the subset", null, false, false);
        }
    }

    private static final int START = 0, FIRST_NAME = 1, NEXT_NAME = 2, VALUE = 3, AFTER_VALUE = 4, END = 5;
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LONG_MAX = "9223372036854775807".getBytes(StandardCharsets.US_ASCII);
    /**
     * The strings every twin update repeats — its member names and KubeEdge's value types —
     * returned as these constants instead of new strings; indexed by length and first byte.
     */
    private static final String[] KNOWN = {"event_id", "timestamp", "twin", "expected", "actual", "value", "metadata",
            "type", "optional", "expected_version", "actual_version", "string", "int", "integer", "float", "boolean", "deleted"};
    private static final int MAX_KNOWN = 31;
    private static final String[][] KNOWN_BY_SLOT = new String[(MAX_KNOWN + 1) * 32][];

    static {
        for (String k : KNOWN) {
            int slot = slot(k.length(), (byte) k.charAt(0));
            String[] kept = KNOWN_BY_SLOT[slot];
            String[] more = kept == null ? new String[1] : Arrays.copyOf(kept, kept.length + 1);
            more[more.length - 1] = k;
            KNOWN_BY_SLOT[slot] = more;
        }
    }

    private final byte[] b;
    private int at;
    private int state = START;
    private int depth;
    private String name;
    private String text;

    JsonTokens(byte[] body) {
        this.b = body;
    }

    /** The next token; null after the top-level object (and only whitespace after it). */
    JsonToken nextToken() {
        skipWhitespace();
        switch (state) {
            case START -> {
                if (at == b.length || b[at] != '{') throw GiveUp.INSTANCE;
                return startObject();
            }
            case FIRST_NAME -> {
                if (at < b.length && b[at] == '}') return endObject();
                return fieldName();
            }
            case NEXT_NAME -> {
                return fieldName();
            }
            case AFTER_VALUE -> {
                if (at == b.length) throw GiveUp.INSTANCE;
                if (b[at] == '}') return endObject();
                if (b[at] != ',') throw GiveUp.INSTANCE;
                at++;
                skipWhitespace();
                return fieldName();
            }
            case VALUE -> {
                return value();
            }
            default -> {
                if (at != b.length) throw GiveUp.INSTANCE;   // trailing tokens
                return null;
            }
        }
    }

    /** The name of the last FIELD_NAME. */
    String currentName() {
        return name;
    }

    /** The text of the last VALUE_STRING. */
    String getText() {
        return text;
    }

    private JsonToken startObject() {
        at++;
        depth++;
        state = FIRST_NAME;
        return JsonToken.START_OBJECT;
    }

    private JsonToken endObject() {
        at++;
        depth--;
        state = depth == 0 ? END : AFTER_VALUE;
        return JsonToken.END_OBJECT;
    }

    private JsonToken fieldName() {
        if (at == b.length || b[at] != '"') throw GiveUp.INSTANCE;
        name = string();
        skipWhitespace();
        if (at == b.length || b[at] != ':') throw GiveUp.INSTANCE;
        at++;
        state = VALUE;
        return JsonToken.FIELD_NAME;
    }

    private JsonToken value() {
        if (at == b.length) throw GiveUp.INSTANCE;
        byte c = b[at];
        if (c == '{') return startObject();
        state = AFTER_VALUE;
        if (c == '"') {
            text = string();
            return JsonToken.VALUE_STRING;
        }
        if (c == '-' || c >= '0' && c <= '9') {
            integer();
            return JsonToken.VALUE_NUMBER_INT;
        }
        if (literal(TRUE)) return JsonToken.VALUE_TRUE;
        if (literal(FALSE)) return JsonToken.VALUE_FALSE;
        if (literal(NULL)) return JsonToken.VALUE_NULL;
        throw GiveUp.INSTANCE;
    }

    /** A string at its opening quote: printable ASCII up to the closing quote, no escapes. */
    private String string() {
        int start = ++at;
        while (true) {
            if (at == b.length) throw GiveUp.INSTANCE;
            byte c = b[at];
            if (c == '"') break;
            if (c < 0x20 || c == '\\' || c == 0x7f) throw GiveUp.INSTANCE;   // negative: a byte ≥ 0x80
            at++;
        }
        String s = known(start, at - start);
        if (s == null) s = new String(b, start, at - start, StandardCharsets.ISO_8859_1);
        at++;
        return s;
    }

    /** Where strings of {@code length} (1 to {@link #MAX_KNOWN}) starting with {@code first} are kept: one length per row. */
    private static int slot(int length, byte first) {
        return length << 5 | first & 31;
    }

    /** The {@link #KNOWN} string equal to the {@code length} bytes at {@code start}, or null. */
    private String known(int start, int length) {
        if (length == 0 || length > MAX_KNOWN) return null;
        String[] candidates = KNOWN_BY_SLOT[slot(length, b[start])];
        if (candidates == null) return null;
        for (String k : candidates) {
            if (matches(k, start)) return k;
        }
        return null;
    }

    private boolean matches(String k, int start) {
        for (int i = 0; i < k.length(); i++) {
            if (b[start + i] != k.charAt(i)) return false;
        }
        return true;
    }

    /** An integer in JSON's syntax that fits in a long: -?(0|[1-9][0-9]*), not followed by a fraction or exponent. */
    private void integer() {
        if (b[at] == '-') at++;
        int start = at;
        while (at < b.length && b[at] >= '0' && b[at] <= '9') at++;
        int digits = at - start;
        if (digits == 0 || digits > 1 && b[start] == '0') throw GiveUp.INSTANCE;
        if (at < b.length && (b[at] == '.' || b[at] == 'e' || b[at] == 'E')) throw GiveUp.INSTANCE;
        if (digits > 19) throw GiveUp.INSTANCE;
        if (digits == 19) {
            // at most Long.MAX_VALUE, either sign (-9223372036854775808 fits too, but is left to the general way)
            for (int i = 0; i < 19; i++) {
                int d = b[start + i] - LONG_MAX[i];
                if (d < 0) return;
                if (d > 0) throw GiveUp.INSTANCE;
            }
        }
    }

    private boolean literal(byte[] word) {
        if (b.length - at < word.length) return false;
        for (int i = 0; i < word.length; i++) {
            if (b[at + i] != word[i]) return false;
        }
        at += word.length;
        return true;
    }

    private void skipWhitespace() {
        while (at < b.length) {
            byte c = b[at];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            at++;
        }
    }
}
