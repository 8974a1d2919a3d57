package dev.edgetwin.log.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.CharacterCodingException;
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

    String str() {
        int n = i32();
        need(n);
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(in, pos, n)).toString();
            pos += n;
            return s;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("invalid UTF-8 at offset " + pos, e);
        }
    }

    JsonNode json() {
        return JsonValues.parse(str());
    }

    void end() {
        if (pos != in.length) throw new IllegalArgumentException((in.length - pos) + " trailing bytes after offset " + pos);
    }
}
