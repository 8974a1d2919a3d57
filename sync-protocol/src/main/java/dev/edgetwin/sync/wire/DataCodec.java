package dev.edgetwin.sync.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Binary data frames (PROTOCOL.md §3.2): a 32-byte header, the stream name, then journal
 * entries back to back exactly as stored. Entries are self-delimiting by their own
 * {@code totalLength} (FORMAT.md §1, offset 6): the decoder walks them, checking each length
 * against what is left before copying, so garbage never allocates more than the frame itself.
 * The decoder checks layout only; entry contents (CRC, seq, chain) are the receiver's business.
 * Pure and thread-safe.
 */
public final class DataCodec {
    public static final int MAGIC = 0x45545342; // "ETSB"
    public static final byte VERSION = 1;
    public static final int HEADER = 32;
    /** The smallest possible journal entry (FORMAT.md §1: fixed overhead plus 1-byte stream and origin). */
    static final int MIN_ENTRY = 58;
    private static final int ENTRY_LENGTH_OFFSET = 6;

    private DataCodec() {
    }

    public static byte[] encode(Frame.Data d) {
        byte[] stream = d.stream().getBytes(StandardCharsets.UTF_8);
        if (stream.length > 0xFFFF) throw new IllegalArgumentException("stream name over 65535 bytes");
        byte[] out = new byte[HEADER + stream.length + d.bytes()];
        ByteBuffer b = ByteBuffer.wrap(out);
        b.putInt(MAGIC).put(VERSION).put((byte) d.kind().wire).putShort((short) stream.length)
                .putLong(d.firstSeq()).putLong(d.head()).putInt(d.entries().size()).putInt(d.bytes()).put(stream);
        for (byte[] e : d.entries()) b.put(e);
        return out;
    }

    /**
     * Decodes one binary message. Throws {@link SyncCode#FRAME_INVALID} for a bad layout and
     * {@link SyncCode#BATCH_TOO_LARGE} when the entries section exceeds {@code maxBatchBytes}
     * (checked before any entry is copied).
     */
    public static Frame.Data decode(byte[] frame, int maxBatchBytes) {
        if (frame == null || frame.length < HEADER) throw invalid("data frame shorter than " + HEADER + " bytes");
        ByteBuffer b = ByteBuffer.wrap(frame);
        int magic = b.getInt();
        if (magic != MAGIC) throw invalid("bad magic 0x" + Integer.toHexString(magic));
        byte version = b.get();
        if (version != VERSION) throw invalid("unsupported data frame version " + version);
        byte kindByte = b.get();
        Frame.Data.Kind kind = kindByte == 1 ? Frame.Data.Kind.ENTRIES : kindByte == 2 ? Frame.Data.Kind.SNAPSHOT : null;
        if (kind == null) throw invalid("unknown data frame kind " + kindByte);
        int streamLen = b.getShort() & 0xFFFF;
        long firstSeq = b.getLong();
        long head = b.getLong();
        int count = b.getInt();
        int length = b.getInt();
        if (streamLen == 0) throw invalid("empty stream name");
        if (firstSeq < 0 || head < 0) throw invalid("negative firstSeq or head");
        if (kind == Frame.Data.Kind.SNAPSHOT && firstSeq != 0) throw invalid("snapshot frame with firstSeq " + firstSeq);
        if (count < 1) throw invalid("entry count " + count);
        if (length < 0 || (long) HEADER + streamLen + length != frame.length) {
            throw invalid("lengths " + HEADER + "+" + streamLen + "+" + length + " do not add up to " + frame.length);
        }
        if (length > maxBatchBytes) {
            throw new SyncException(SyncCode.BATCH_TOO_LARGE, "entries section of " + length + " bytes, limit " + maxBatchBytes);
        }
        if ((long) count * MIN_ENTRY > length) throw invalid(count + " entries cannot fit in " + length + " bytes");
        String stream = utf8(frame, HEADER, streamLen);
        List<byte[]> entries = new ArrayList<>(count);
        int p = HEADER + streamLen;
        for (int i = 0; i < count; i++) {
            int left = frame.length - p;
            if (left < ENTRY_LENGTH_OFFSET + 4) throw invalid("entry " + i + " truncated: " + left + " bytes left");
            int total = ByteBuffer.wrap(frame, p + ENTRY_LENGTH_OFFSET, 4).getInt();
            if (total < MIN_ENTRY || total > left) {
                throw invalid("entry " + i + " claims " + total + " bytes, " + left + " left in the frame");
            }
            entries.add(Arrays.copyOfRange(frame, p, p + total));
            p += total;
        }
        if (p != frame.length) throw invalid((frame.length - p) + " bytes after the last of " + count + " entries");
        return new Frame.Data(kind, stream, firstSeq, head, entries, length);
    }

    private static String utf8(byte[] b, int off, int len) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, off, len)).toString();
        } catch (CharacterCodingException e) {
            throw invalid("stream name is not UTF-8");
        }
    }

    private static SyncException invalid(String message) {
        return new SyncException(SyncCode.FRAME_INVALID, message);
    }
}
