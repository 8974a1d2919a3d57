package dev.edgetwin.edge.kubeedge;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A JSON writer straight into a byte array, for the message the MQTT path writes for every
 * twin update (its result): objects, strings, longs, booleans and null, with exactly the bytes
 * {@link KubeEdgeJson}'s Jackson generator gives — UTF-8, {@code "} and {@code \} escaped,
 * control characters as {@code \b \t \n \f \r} or <code>&#92;u00XX</code>, surrogates (paired or
 * not) as <code>&#92;uXXXX</code> (upper-case hex, as Jackson 2.22 writes them), nothing else escaped —
 * but without a generator, stream and buffer recycler per message. The equivalence is tested
 * against Jackson (JsonBytesTest), so a Jackson upgrade that writes differently shows there.
 * One thread; {@link #reset} makes it ready for the next message.
 */
final class JsonBytes {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_DEPTH = 62;
    private static final byte[] TENS = new byte[100];
    private static final byte[] ONES = new byte[100];

    static {
        for (int i = 0; i < 100; i++) {
            TENS[i] = (byte) ('0' + i / 10);
            ONES[i] = (byte) ('0' + i % 10);
        }
    }

    /** A member name written once: its quoted, escaped bytes and the colon, copied as they are. */
    static final class Name {
        private final byte[] bytes;

        private Name(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    /** {@code name} encoded for {@link #field(Name)}: for the names every message repeats. */
    static Name name(String name) {
        JsonBytes out = new JsonBytes(name.length() * 3 + 3);
        out.string(name);
        out.put((byte) ':');
        return new Name(Arrays.copyOf(out.buf, out.len));
    }

    private byte[] buf;
    private int len;
    /** Bit d set: the object open at depth d has a member already (the next one needs a comma). */
    private long members;
    private int depth;

    JsonBytes(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    JsonBytes startObject() {
        if (depth == MAX_DEPTH) throw new IllegalStateException("nested too deep");
        put((byte) '{');
        depth++;
        members &= ~(1L << depth);
        return this;
    }

    JsonBytes endObject() {
        if (depth == 0) throw new IllegalStateException("no object open");
        depth--;
        put((byte) '}');
        return this;
    }

    /** A member's name and its colon; its value follows. */
    JsonBytes field(String name) {
        member();
        string(name);
        put((byte) ':');
        return this;
    }

    /** {@link #field(String)} with a name encoded ahead. */
    JsonBytes field(Name name) {
        member();
        byte[] b = name.bytes;
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    /** Starts a member of the open object: a comma unless it is the first. */
    private void member() {
        if (depth == 0) throw new IllegalStateException("no object open");
        long bit = 1L << depth;
        if ((members & bit) != 0) put((byte) ',');
        members |= bit;
    }

    JsonBytes string(String s) {
        int n = s.length();
        ensure(n * 3 + 2);   // a char takes at most 3 bytes unescaped; an escape (6) grows the buffer itself
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    buf[len++] = (byte) c;
                } else {
                    escape(c, n - i);
                }
            } else if (c < 0x800) {
                buf[len++] = (byte) (0xC0 | (c >> 6));
                buf[len++] = (byte) (0x80 | (c & 0x3F));
            } else if (!Character.isSurrogate(c)) {
                buf[len++] = (byte) (0xE0 | (c >> 12));
                buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[len++] = (byte) (0x80 | (c & 0x3F));
            } else {
                escape(c, n - i);
            }
        }
        ensure(1);
        buf[len++] = '"';
        return this;
    }

    /** Writes the escape of {@code c} (ASCII or a surrogate); {@code left} chars of the string remain, this one included. */
    private void escape(char c, int left) {
        ensure(6 + left * 3);
        buf[len++] = '\\';
        switch (c) {
            case '"', '\\' -> buf[len++] = (byte) c;
            case '\b' -> buf[len++] = 'b';
            case '\t' -> buf[len++] = 't';
            case '\n' -> buf[len++] = 'n';
            case '\f' -> buf[len++] = 'f';
            case '\r' -> buf[len++] = 'r';
            default -> {
                buf[len++] = 'u';
                buf[len++] = HEX[c >> 12];
                buf[len++] = HEX[(c >> 8) & 0xF];
                buf[len++] = HEX[(c >> 4) & 0xF];
                buf[len++] = HEX[c & 0xF];
            }
        }
    }

    JsonBytes number(long v) {
        if (v == Long.MIN_VALUE) return ascii(Long.toString(v));
        ensure(20);
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long p = 10; digits < 19 && v >= p; p *= 10) digits++;
        int pos = len + digits;
        // two digits per division, from the right
        while (v >= 100) {
            int r = (int) (v % 100);
            v /= 100;
            buf[--pos] = ONES[r];
            buf[--pos] = TENS[r];
        }
        if (v >= 10) {
            buf[--pos] = ONES[(int) v];
            buf[--pos] = TENS[(int) v];
        } else {
            buf[--pos] = (byte) ('0' + v);
        }
        len += digits;
        return this;
    }

    JsonBytes bool(boolean b) {
        return ascii(b ? "true" : "false");
    }

    JsonBytes nul() {
        return ascii("null");
    }

    private JsonBytes ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) buf[len++] = (byte) s.charAt(i);
        return this;
    }

    private void put(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    private void ensure(int more) {
        if (len + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }

    /** The bytes written (every object must be closed). */
    byte[] toBytes() {
        if (depth != 0) throw new IllegalStateException(depth + " objects open");
        return Arrays.copyOf(buf, len);
    }

    /**
     * Empty again, keeping its buffer (unless that grew beyond {@code keepCapacity}), for the next
     * message: a writer kept per thread allocates only what {@link #toBytes} returns.
     */
    JsonBytes reset(int keepCapacity) {
        if (buf.length > Math.max(16, keepCapacity)) buf = new byte[Math.max(16, keepCapacity)];
        len = 0;
        members = 0;
        depth = 0;
        return this;
    }
}
