package dev.edgetwin.log.model;

import com.fasterxml.jackson.databind.JsonNode;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked reader for the model's binary codecs: every length is checked against the
 * bytes left before anything is allocated, so garbage fails fast with
 * {@link IllegalArgumentException} and never allocates more than the input size.
 */
final class BinaryReader {
    private final byte[] in;
    private int pos;
    private CharsetDecoder decoder;
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    BinaryReader(byte[] in) {
        this.in = in;
    }

    private void need(int n) {
        if (n < 0 || in.length - pos < n) {
            throw new IllegalArgumentException("truncated input: need " + n + " bytes at offset " + pos + " of " + in.length);
        }
    }

    int u8() {
        need(1);
        return in[pos++] & 0xFF;
    }

    boolean bool() {
        int b = u8();
        if (b > 1) throw new IllegalArgumentException("bad boolean " + b + " at offset " + (pos - 1));
        return b == 1;
    }

    int i32() {
        need(4);
        int v = ((in[pos] & 0xFF) << 24) | ((in[pos + 1] & 0xFF) << 16) | ((in[pos + 2] & 0xFF) << 8) | (in[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    long i64() {
        return ((long) i32() << 32) | (i32() & 0xFFFFFFFFL);
    }

    /** A count of following items, each at least {@code minItemBytes} long: bounded by what is left. */
    int count(int minItemBytes) {
        int n = i32();
        if (n < 0 || (long) n * minItemBytes > in.length - pos) {
            throw new IllegalArgumentException("bad count " + n + " at offset " + (pos - 4));
        }
        return n;
    }

    /**
     * True, having read it, when the next string is {@code expected} (compared as bytes, without
     * making a String); false, having read nothing, when it is not or is not plain ASCII.
     */
    boolean strEquals(String expected) {
        int mark = pos;
        int n = i32();
        boolean same = n == expected.length() && n <= in.length - pos;
        for (int i = 0; same && i < n; i++) {
            char c = expected.charAt(i);
            same = c < 0x80 && in[pos + i] == (byte) c;
        }
        pos = same ? pos + n : mark;
        return same;
    }

    String str() {
        int n = i32();
        need(n);
        int end = pos + n;
        boolean ascii = true;
        for (int i = pos; i < end; i++) {
            if (in[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            // every byte < 0x80: valid UTF-8, and Latin-1 decoding of it is the same text, without a decoder
            String s = new String(in, pos, n, StandardCharsets.ISO_8859_1);
            pos = end;
            return s;
        }
        try {
            String s = utf8().decode(java.nio.ByteBuffer.wrap(in, pos, n)).toString();
            pos = end;
            return s;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("invalid UTF-8 at offset " + pos, e);
        }
    }

    private CharsetDecoder utf8() {
        if (decoder == null) {
            decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
        }
        return decoder;
    }

    /** A JSON value as {@link BinaryWriter#json} wrote it; the result is canonical. */
    JsonNode json() {
        int tag = u8();
        switch (tag) {
            case BinaryWriter.TAG_STRING:
                return NODES.textNode(str());
            case BinaryWriter.TAG_LONG:
                return NODES.numberNode(i64());
            case BinaryWriter.TAG_TRUE:
                return NODES.booleanNode(true);
            case BinaryWriter.TAG_FALSE:
                return NODES.booleanNode(false);
            case BinaryWriter.TAG_NULL:
                return NODES.nullNode();
            case BinaryWriter.TAG_DECIMAL: {
                long unscaled = i64();
                int scale = i32();
                BigDecimal value = BigDecimal.valueOf(unscaled, scale);
                // the canonical form of a fraction, decided without building and stripping a copy:
                // a positive scale and no trailing zero digit always passes the check below
                if (scale > 0 && unscaled % 10 != 0) return NODES.numberNode(value);
                // only the writer's canonical form is accepted: one value, one encoding
                // (DecimalNode.equals ignores scale, so compare the BigDecimals themselves)
                JsonNode canonical = JsonValues.canonical(NODES.numberNode(value));
                if (!canonical.isBigDecimal() || !canonical.decimalValue().equals(value)) {
                    throw new IllegalArgumentException("non-canonical decimal at offset " + pos);
                }
                return canonical;
            }
            case BinaryWriter.TAG_JSON: {
                JsonNode v = JsonValues.parse(str());
                if (BinaryWriter.tagOf(v) != BinaryWriter.TAG_JSON) {
                    throw new IllegalArgumentException("value in JSON text form that has a tag of its own, at offset " + pos);
                }
                return v;
            }
            default:
                throw new IllegalArgumentException("unknown value tag " + tag + " at offset " + (pos - 1));
        }
    }

    void end() {
        if (pos != in.length) throw new IllegalArgumentException((in.length - pos) + " trailing bytes after offset " + pos);
    }
}
