package dev.edgetwin.log;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Encodes and decodes journal entries, format version 1 (see twin-log/FORMAT.md), and
 * computes the stream hash chain {@code hash = XXH64(seed = prevHash, entry bytes)}.
 *
 * <p>Pure and thread-safe. {@link #decode} checks every length against the buffer before
 * allocating, so garbage input never allocates more than its own size and never loops.
 */
public final class EntryCodec {
    public static final int MAGIC = 0x45544A45; // "ETJE"
    public static final byte VERSION = 1;
    /** Bytes of an entry besides the three strings and the payload. */
    public static final int OVERHEAD = 56;
    static final int HEADER = 52;
    static final int MAX_STRING_BYTES = 0xFFFF;

    private EntryCodec() {
    }

    /**
     * Encodes one entry. Throws {@code journal:entry.invalid} for an empty stream or origin,
     * a negative seq, or a string longer than 65,535 UTF-8 bytes.
     */
    public static byte[] encode(String stream, long seq, long hlc, String origin, long wallTime,
                                String clientToken, long prevHash, byte[] payload) {
        byte[] s = utf8(stream, "stream", 1);
        byte[] o = utf8(origin, "origin", 1);
        byte[] t = utf8(clientToken == null ? "" : clientToken, "clientToken", 0);
        return encode(s, seq, hlc, o, wallTime, t, prevHash, payload);
    }

    /** As {@link #encode(String, long, long, String, long, String, long, byte[])}, the strings already checked by {@link #utf8}. */
    static byte[] encode(byte[] s, long seq, long hlc, byte[] o, long wallTime, byte[] t, long prevHash, byte[] payload) {
        if (seq < 0) throw new JournalException("journal:entry.invalid", "seq must be >= 0, got " + seq);
        if (payload == null) throw new JournalException("journal:entry.invalid", "payload is null");
        long total = (long) OVERHEAD + s.length + o.length + t.length + payload.length;
        if (total > Integer.MAX_VALUE - 16) throw new JournalException("journal:entry.invalid", "entry too large: " + total);
        byte[] out = new byte[(int) total];
        ByteBuffer b = ByteBuffer.wrap(out);
        b.putInt(MAGIC).put(VERSION).put((byte) 0).putInt(out.length)
                .putLong(seq).putLong(hlc).putLong(wallTime).putLong(prevHash)
                .putShort((short) s.length).putShort((short) o.length).putShort((short) t.length).putInt(payload.length)
                .put(s).put(o).put(t).put(payload);
        b.putInt(crc(out, out.length - 4));
        return out;
    }

    /** Encodes an entry and returns it with its decoded view and chain hash. */
    public static JournalEntry create(String stream, long seq, long hlc, String origin, long wallTime,
                                      String clientToken, long prevHash, byte[] payload) {
        byte[] bytes = encode(stream, seq, hlc, origin, wallTime, clientToken, prevHash, payload);
        return new JournalEntry(stream, seq, hlc, origin, wallTime, clientToken == null ? "" : clientToken,
                prevHash, hash(prevHash, bytes), payload.clone(), bytes);
    }

    /**
     * Decodes and verifies one complete entry. The returned entry keeps {@code bytes} (not a
     * copy). Throws {@code journal:format} for anything that is not a well-formed v1 entry of
     * exactly this length, {@code journal:crc} when the checksum does not match.
     */
    public static JournalEntry decode(byte[] bytes) {
        if (bytes == null) throw format("entry shorter than " + OVERHEAD + " bytes: null");
        checkStructure(bytes);
        long seq = getLong(bytes, 10);
        long hlc = getLong(bytes, 18);
        long wallTime = getLong(bytes, 26);
        long prevHash = getLong(bytes, 34);
        int sLen = getShort(bytes, 42);
        int oLen = getShort(bytes, 44);
        int tLen = getShort(bytes, 46);
        int pLen = getInt(bytes, 48);
        if (seq < 0) throw format("negative seq " + seq);
        if (sLen == 0 || oLen == 0) throw format("empty stream or origin");
        int p = HEADER;
        String stream = string(bytes, p, sLen);
        String origin = string(bytes, p += sLen, oLen);
        String token = string(bytes, p += oLen, tLen);
        p += tLen;
        byte[] payload = new byte[pLen];
        System.arraycopy(bytes, p, payload, 0, pLen);
        return new JournalEntry(stream, seq, hlc, origin, wallTime, token, prevHash, hash(prevHash, bytes), payload, bytes);
    }

    /**
     * Checks, without decoding or allocating, that {@code bytes} is an intact v1 entry of
     * {@code stream} (UTF-8 bytes {@code streamUtf8}): the checks of {@link #decode} on the
     * frame ({@link #checkStructure}), plus {@code journal:stream.mismatch}.
     */
    static void checkIntact(byte[] bytes, byte[] streamUtf8, String stream) {
        checkStructure(bytes);
        int sLen = getShort(bytes, 42);
        if (!java.util.Arrays.equals(bytes, HEADER, HEADER + sLen, streamUtf8, 0, streamUtf8.length)) {
            throw new JournalException("journal:stream.mismatch", "entry of another stream offered for " + stream);
        }
    }

    /**
     * The frame of an entry: magic, version, flags, the length field equal to the array's length,
     * field lengths adding up to it, and the CRC32C ({@code journal:format}, {@code journal:crc}).
     */
    private static void checkStructure(byte[] bytes) {
        if (bytes.length < OVERHEAD) throw format("entry shorter than " + OVERHEAD + " bytes: " + bytes.length);
        int magic = getInt(bytes, 0);
        if (magic != MAGIC) throw format("bad magic 0x" + Integer.toHexString(magic));
        if (bytes[4] != VERSION) throw format("unsupported version " + bytes[4]);
        if (bytes[5] != 0) throw format("unknown flags 0x" + Integer.toHexString(bytes[5] & 0xFF));
        int total = getInt(bytes, 6);
        if (total != bytes.length) throw format("length field " + total + " but entry has " + bytes.length + " bytes");
        int sLen = getShort(bytes, 42);
        int oLen = getShort(bytes, 44);
        int tLen = getShort(bytes, 46);
        int pLen = getInt(bytes, 48);
        if (pLen < 0 || (long) OVERHEAD + sLen + oLen + tLen + pLen != total) {
            throw format("field lengths " + sLen + "+" + oLen + "+" + tLen + "+" + pLen + " do not add up to " + total);
        }
        int stored = getInt(bytes, total - 4);
        int actual = crc(bytes, total - 4);
        if (stored != actual) {
            throw new JournalException("journal:crc", "CRC32C mismatch: stored 0x" + Integer.toHexString(stored)
                    + ", computed 0x" + Integer.toHexString(actual));
        }
    }

    /** The seq field of an encoded entry (offset 10). */
    static long seqOf(byte[] bytes) {
        return getLong(bytes, 10);
    }

    /** The prevHash field of an encoded entry (offset 34). */
    static long prevHashOf(byte[] bytes) {
        return getLong(bytes, 34);
    }

    private static int getInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    private static int getShort(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }

    private static long getLong(byte[] b, int off) {
        return (long) getInt(b, off) << 32 | (getInt(b, off + 4) & 0xFFFFFFFFL);
    }

    /** The chain hash of an entry: XXH64 of its bytes seeded with its prevHash. */
    public static long hash(long prevHash, byte[] entryBytes) {
        return XxHash64.hash(entryBytes, 0, entryBytes.length, prevHash);
    }

    private static int crc(byte[] bytes, int len) {
        CRC32C c = new CRC32C();
        c.update(bytes, 0, len);
        return (int) c.getValue();
    }

    /** {@code s} in UTF-8; throws {@code journal:entry.invalid} when null or not {@code min..65,535} bytes long. */
    static byte[] utf8(String s, String what, int min) {
        if (s == null) throw new JournalException("journal:entry.invalid", what + " is null");
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length < min || b.length > MAX_STRING_BYTES) {
            throw new JournalException("journal:entry.invalid", what + " must be " + min + ".." + MAX_STRING_BYTES
                    + " UTF-8 bytes, got " + b.length);
        }
        return b;
    }

    private static String string(byte[] bytes, int off, int len) {
        if (len == 0) return "";
        if (ascii(bytes, off, len)) {
            // every byte < 0x80 is valid UTF-8 that decodes as in Latin-1, without a decoder
            return new String(bytes, off, len, StandardCharsets.ISO_8859_1);
        }
        // strict: a CRC-valid entry with malformed UTF-8 was not written by this codec
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer cb = d.decode(ByteBuffer.wrap(bytes, off, len));
            return cb.toString();
        } catch (CharacterCodingException e) {
            throw format("string at offset " + off + " is not valid UTF-8");
        }
    }

    private static boolean ascii(byte[] bytes, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (bytes[i] < 0) return false;
        }
        return true;
    }

    private static JournalException format(String message) {
        return new JournalException("journal:format", message);
    }
}
