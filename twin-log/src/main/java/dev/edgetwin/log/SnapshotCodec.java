package dev.edgetwin.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The snapshot file format, version 1 (FORMAT.md §6): a header, the compacted entries back
 * to back exactly as the journal stores them, and a CRC32C of everything before it. Pure;
 * decoding checks every length before allocating and every entry's own CRC.
 */
public final class SnapshotCodec {
    public static final int MAGIC = 0x45545353; // "ETSS"
    public static final byte VERSION = 1;
    static final int HEADER = 36;

    private SnapshotCodec() {
    }

    public static byte[] encode(JournalSnapshot s) {
        byte[] stream = s.stream().getBytes(StandardCharsets.UTF_8);
        long length = HEADER + stream.length + s.bytes() + 4;
        if (length > Integer.MAX_VALUE - 16) throw new JournalException("journal:snapshot.invalid", "snapshot of " + s.stream() + " over 2 GiB");
        byte[] out = new byte[(int) length];
        ByteBuffer b = ByteBuffer.wrap(out);
        b.putInt(MAGIC).put(VERSION).put((byte) 0).putShort((short) stream.length).putLong(s.upTo()).putLong(s.hash())
                .putInt(s.entries().size()).putLong(s.bytes()).put(stream);
        for (JournalEntry e : s.entries()) b.put(e.bytes());
        b.putInt(crc(out, out.length - 4));
        return out;
    }

    /** Decodes a whole snapshot file; throws {@code journal:snapshot.invalid} or {@code journal:crc}. */
    public static JournalSnapshot decode(byte[] bytes) {
        if (bytes.length < HEADER + 4) throw invalid("snapshot file shorter than " + (HEADER + 4) + " bytes");
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.getInt() != MAGIC) throw invalid("bad magic");
        if (b.get() != VERSION) throw invalid("unsupported snapshot version");
        if (b.get() != 0) throw invalid("unknown flags");
        int streamLen = b.getShort() & 0xFFFF;
        long upTo = b.getLong();
        long hash = b.getLong();
        int count = b.getInt();
        long entriesLength = b.getLong();
        if (streamLen == 0 || count < 0 || entriesLength < 0 || (long) HEADER + streamLen + entriesLength + 4 != bytes.length) {
            throw invalid("lengths do not add up to " + bytes.length + " bytes");
        }
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
        if (stored != crc(bytes, bytes.length - 4)) throw new JournalException("journal:crc", "snapshot file CRC32C mismatch");
        String stream = new String(bytes, HEADER, streamLen, StandardCharsets.UTF_8);
        List<JournalEntry> entries = new ArrayList<>(Math.min(count, 1 << 16));
        int p = HEADER + streamLen;
        int end = bytes.length - 4;
        for (int i = 0; i < count; i++) {
            if (end - p < 10) throw invalid("entry " + i + " truncated");
            int total = ByteBuffer.wrap(bytes, p + 6, 4).getInt();
            if (total < EntryCodec.OVERHEAD || total > end - p) throw invalid("entry " + i + " claims " + total + " bytes");
            entries.add(EntryCodec.decode(Arrays.copyOfRange(bytes, p, p + total)));
            p += total;
        }
        if (p != end) throw invalid((end - p) + " bytes after the last entry");
        return new JournalSnapshot(stream, upTo, hash, entries);
    }

    private static int crc(byte[] b, int len) {
        CRC32C c = new CRC32C();
        c.update(b, 0, len);
        return (int) c.getValue();
    }

    private static JournalException invalid(String m) {
        return new JournalException("journal:snapshot.invalid", m);
    }
}
