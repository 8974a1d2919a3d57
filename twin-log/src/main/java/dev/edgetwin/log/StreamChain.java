package dev.edgetwin.log;

import java.util.ArrayList;
import java.util.List;

/**
 * The validation every {@link Journal} implementation shares: turning drafts into chained
 * entries, and checking a peer's encoded entries against a stream's tail. Pure; each method
 * either returns every entry of the batch or throws and returns nothing.
 */
public final class StreamChain {
    /** Default limit on one encoded entry (1 MiB). */
    public static final int DEFAULT_MAX_ENTRY_BYTES = 1 << 20;

    private StreamChain() {
    }

    /**
     * Builds local entries for {@code stream} after {@code (nextSeq, lastHash)}.
     * Throws {@code journal:entry.invalid} or {@code journal:entry.too_large}.
     */
    public static List<JournalEntry> fromDrafts(String stream, long nextSeq, long lastHash,
                                                List<EntryDraft> drafts, int maxEntryBytes) {
        checkStream(stream);
        if (drafts == null) throw new JournalException("journal:entry.invalid", "drafts is null");
        List<JournalEntry> out = new ArrayList<>(drafts.size());
        long seq = nextSeq;
        long prev = lastHash;
        DraftEncoder encoder = new DraftEncoder(stream);
        for (EntryDraft d : drafts) {
            if (d == null) throw new JournalException("journal:entry.invalid", "null draft in batch for " + stream);
            JournalEntry e = encoder.create(seq, prev, d);
            checkSize(e.bytes(), maxEntryBytes, stream, seq);
            out.add(e);
            prev = e.hash();
            seq++;
        }
        return out;
    }

    /**
     * Decodes and checks a peer's entries of {@code stream}: the first must have seq
     * {@code nextSeq} and prevHash {@code lastHash}, the rest follow contiguously. Codes:
     * {@code journal:format}, {@code journal:crc}, {@code journal:stream.mismatch},
     * {@code journal:duplicate} (seq already held), {@code journal:gap} (seq beyond the next),
     * {@code journal:chain}, {@code journal:entry.too_large}.
     */
    public static List<JournalEntry> verifyReplica(String stream, long nextSeq, long lastHash,
                                                   List<byte[]> encoded, int maxEntryBytes) {
        checkStream(stream);
        if (encoded == null) throw new JournalException("journal:entry.invalid", "entries is null");
        List<JournalEntry> out = new ArrayList<>(encoded.size());
        long expected = nextSeq;
        long prev = lastHash;
        for (byte[] bytes : encoded) {
            if (bytes == null) throw new JournalException("journal:format", "null entry in batch for " + stream);
            checkSize(bytes, maxEntryBytes, stream, expected);
            JournalEntry e = EntryCodec.decode(bytes.clone());
            check(e, stream, expected, prev);
            out.add(e);
            prev = e.hash();
            expected++;
        }
        return out;
    }

    /**
     * Checks entries that {@link EntryCodec#decode} already produced (a sync receiver verifies a
     * frame on its event loop before the writer appends it) against {@code stream}'s tail, the
     * way {@link #verifyReplica} does, on their bytes and without decoding or allocating: length,
     * CRC32C, stream, contiguous seq, prevHash equal to the chain head, and each entry's decoded
     * seq, prevHash and hash equal to what its bytes say (so the journal's index can never
     * disagree with what it stores). Same codes as {@link #verifyReplica}.
     */
    public static void verifyDecoded(String stream, long nextSeq, long lastHash, List<JournalEntry> entries, int maxEntryBytes) {
        checkStream(stream);
        if (entries == null) throw new JournalException("journal:entry.invalid", "entries is null");
        byte[] streamUtf8 = stream.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long expected = nextSeq;
        long prev = lastHash;
        for (JournalEntry e : entries) {
            if (e == null || e.bytes() == null) throw new JournalException("journal:format", "null entry in batch for " + stream);
            byte[] bytes = e.bytes();
            checkSize(bytes, maxEntryBytes, stream, expected);
            EntryCodec.checkIntact(bytes, streamUtf8, stream);
            check(e, stream, expected, prev);
            long hash = EntryCodec.hash(prev, bytes);
            if (EntryCodec.seqOf(bytes) != e.seq() || EntryCodec.prevHashOf(bytes) != e.prevHash() || hash != e.hash()) {
                throw new JournalException("journal:format", stream + "@" + expected + ": the decoded entry does not match its bytes");
            }
            prev = hash;
            expected++;
        }
    }

    /** Checks that a decoded entry continues {@code stream} at {@code expectedSeq} after {@code prevHash}. */
    public static void check(JournalEntry e, String stream, long expectedSeq, long prevHash) {
        if (!e.stream().equals(stream)) {
            throw new JournalException("journal:stream.mismatch", "entry of " + e.stream() + "@" + e.seq() + " offered for " + stream);
        }
        if (e.seq() < expectedSeq) {
            throw new JournalException("journal:duplicate", stream + " already holds seq " + e.seq() + ", next is " + expectedSeq);
        }
        if (e.seq() > expectedSeq) {
            throw new JournalException("journal:gap", stream + " expects seq " + expectedSeq + ", got " + e.seq());
        }
        if (e.prevHash() != prevHash) {
            throw new JournalException("journal:chain", stream + "@" + e.seq() + " has prevHash " + Long.toHexString(e.prevHash())
                    + ", chain head is " + Long.toHexString(prevHash));
        }
    }

    private static void checkStream(String stream) {
        if (stream == null || stream.isEmpty()) throw new JournalException("journal:entry.invalid", "stream is empty");
    }

    private static void checkSize(byte[] bytes, int max, String stream, long seq) {
        if (bytes.length > max) {
            throw new JournalException("journal:entry.too_large", stream + "@" + seq + " is " + bytes.length + " bytes, limit " + max);
        }
    }
}
