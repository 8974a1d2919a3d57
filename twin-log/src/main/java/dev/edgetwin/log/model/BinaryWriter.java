package dev.edgetwin.log.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Big-endian writer for the model's binary codecs. Strings are u32-length-prefixed UTF-8.
 * JSON values are tagged so that the common scalars need no JSON parser to read back (see
 * {@link #json}). Not thread-safe; a plain growable array (ByteArrayOutputStream synchronises
 * every byte, which showed in the codec's profile).
 */
final class BinaryWriter {
    static final int TAG_JSON = 0;
    static final int TAG_STRING = 1;
    static final int TAG_LONG = 2;
    static final int TAG_TRUE = 3;
    static final int TAG_FALSE = 4;
    static final int TAG_NULL = 5;
    static final int TAG_DECIMAL = 6;

    private static final int INITIAL = 128;
    /** Room a thread's writer keeps between uses; beyond it the grown buffer is let go. */
    private static final int KEPT = 64 * 1024;
    private static final ThreadLocal<BinaryWriter> PER_THREAD = ThreadLocal.withInitial(BinaryWriter::new);

    private byte[] buf = new byte[INITIAL];
    private int len;

    /**
     * This thread's writer, empty: an encoding allocates only what {@link #toBytes} returns. For
     * a codec's encode method that uses it start to finish and calls no other encode meanwhile.
     */
    static BinaryWriter reused() {
        BinaryWriter w = PER_THREAD.get();
        if (w.buf.length > KEPT) w.buf = new byte[INITIAL];
        w.len = 0;
        return w;
    }

    private void ensure(int n) {
        if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }

    BinaryWriter u8(int v) {
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    BinaryWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    BinaryWriter i32(int v) {
        ensure(4);
        buf[len] = (byte) (v >>> 24);
        buf[len + 1] = (byte) (v >>> 16);
        buf[len + 2] = (byte) (v >>> 8);
        buf[len + 3] = (byte) v;
        len += 4;
        return this;
    }

    BinaryWriter i64(long v) {
        i32((int) (v >>> 32));
        return i32((int) v);
    }

    /** Writes {@code s}; throws {@link IllegalArgumentException} if it holds an unpaired surrogate. */
    BinaryWriter str(String s) {
        int n = s.length();
        ensure(4 + n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) return strUtf8(s);
            buf[len + 4 + i] = (byte) c; // ASCII is its own UTF-8; committed below only if every char is
        }
        i32(n);
        len += n;
        return this;
    }

    private BinaryWriter strUtf8(String s) {
        // getBytes would silently write '?' for it: the bytes would not decode to s
        if (JsonValues.wellFormed(s) != s) throw new IllegalArgumentException("string holds an unpaired surrogate");
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        i32(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    /**
     * A canonical JSON value (see {@link JsonValues#canonical}): u8 tag, then for
     * {@code TAG_STRING} a str, {@code TAG_LONG} an i64, {@code TAG_DECIMAL} an i64 unscaled value
     * and an i32 scale, {@code TAG_JSON} (objects, arrays, numbers that fit neither) canonical
     * JSON text; true, false and null have no body. Each canonical value has exactly one
     * encoding, so equal values encode to equal bytes.
     */
    BinaryWriter json(JsonNode value) {
        int tag = tagOf(value);
        u8(tag);
        switch (tag) {
            case TAG_STRING:
                return str(value.textValue());
            case TAG_LONG:
                return i64(value.longValue());
            case TAG_DECIMAL:
                return i64(value.decimalValue().unscaledValue().longValue()).i32(value.decimalValue().scale());
            case TAG_JSON:
                return str(JsonValues.write(value));
            default:
                return this;
        }
    }

    /** The one tag a canonical value is written with. */
    static int tagOf(JsonNode value) {
        if (value.isTextual()) return TAG_STRING;
        if (value.isBoolean()) return value.booleanValue() ? TAG_TRUE : TAG_FALSE;
        if (value.isNull()) return TAG_NULL;
        if (value.isIntegralNumber() && value.canConvertToLong()) return TAG_LONG;
        // fractions only: canonical integers are longs, or stay in exponent form when huge
        if (value.isBigDecimal() && value.decimalValue().scale() > 0
                && value.decimalValue().unscaledValue().bitLength() < 64) return TAG_DECIMAL;
        return TAG_JSON;
    }

    byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }
}
