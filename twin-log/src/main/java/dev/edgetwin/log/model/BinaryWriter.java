package dev.edgetwin.log.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Big-endian writer for the model's binary codecs. Strings are u32-length-prefixed UTF-8. */
final class BinaryWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

    BinaryWriter u8(int v) {
        out.write(v);
        return this;
    }

    BinaryWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    BinaryWriter i32(int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    BinaryWriter i64(long v) {
        i32((int) (v >>> 32));
        return i32((int) v);
    }

    /** Writes {@code s}; throws {@link IllegalArgumentException} if it holds an unpaired surrogate. */
    BinaryWriter str(String s) {
        // getBytes would silently write '?' for it: the bytes would not decode to s
        if (!JsonValues.wellFormed(s).equals(s)) throw new IllegalArgumentException("string holds an unpaired surrogate");
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        i32(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    BinaryWriter json(JsonNode value) {
        return str(JsonValues.write(value));
    }

    byte[] toBytes() {
        return out.toByteArray();
    }
}
