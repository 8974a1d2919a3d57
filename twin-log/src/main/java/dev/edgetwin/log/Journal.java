package dev.edgetwin.log;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An append-only log of many single-writer streams ({@code edge/<node>}, {@code cloud/<node>}).
 * Each stream's {@code seq} is dense from 0; each entry carries the hash of the previous
 * entry of its stream and a CRC of itself.
 *
 * <p><b>Writers.</b> One thread appends at a time (the implementation serialises callers).
 * {@link #append} writes local entries of a stream this node owns; {@link #appendReplica}
 * writes a peer's entries verbatim. Both are all-or-nothing per call with respect to
 * validation; after a crash a batch may be present as a prefix, never with holes.
 *
 * <p><b>Durability.</b> When a call returns, the entries are in the OS page cache (so they
 * survive the death of this process); they reach the disk according to the {@link FsyncPolicy}.
 *
 * <p><b>Readers.</b> A {@link JournalCursor} belongs to one thread. Many cursors may read
 * while a writer appends; a cursor sees only complete, verified entries.
 */
public interface Journal extends AutoCloseable {

    /** Appends local entries to {@code stream}, assigning seq, prevHash and CRC. Returns them as written. */
    List<JournalEntry> append(String stream, List<EntryDraft> drafts);

    /**
     * Appends a peer's encoded entries verbatim. The first must have seq == {@link #nextSeq(String)},
     * the rest be contiguous, each CRC valid and each prevHash equal to the previous entry's hash.
     * On any violation throws {@link JournalException} with code {@code journal:gap} (seq beyond
     * the next), {@code journal:duplicate} (seq already held), {@code journal:crc},
     * {@code journal:format}, {@code journal:chain}, {@code journal:stream.mismatch} or
     * {@code journal:entry.too_large} and appends nothing.
     */
    List<JournalEntry> appendReplica(String stream, List<byte[]> encodedEntries);

    /**
     * Appends a peer's entries that {@link EntryCodec#decode} already decoded (e.g. a sync
     * receiver verified the frame on its own thread), with the same checks and codes as
     * {@link #appendReplica}, made on the entries' bytes ({@link StreamChain#verifyDecoded}).
     * Returns the entries as appended. Appends nothing when a check fails. The default checks the
     * views and then appends their bytes with {@link #appendReplica}.
     */
    default List<JournalEntry> appendReplicaEntries(String stream, List<JournalEntry> decodedEntries) {
        // the views must match their bytes here too; appendReplica then checks the bytes once more
        StreamChain.verifyDecoded(stream, nextSeq(stream), lastHash(stream), decodedEntries, Integer.MAX_VALUE);
        List<byte[]> bytes = new java.util.ArrayList<>(decodedEntries.size());
        for (JournalEntry e : decodedEntries) bytes.add(e == null ? null : e.bytes());
        return appendReplica(stream, bytes);
    }

    /** The seq the next entry of {@code stream} will get (0 for an unknown stream). */
    long nextSeq(String stream);

    /** The chain hash of the last entry of {@code stream} (0 for an empty stream). */
    long lastHash(String stream);

    /** Every stream that has at least one entry. */
    Set<String> streams();

    /** Highest HLC of any entry present (0 when empty) — the clock's restart high-water mark. */
    long maxHlc();

    /**
     * A cursor over {@code stream} from {@code fromSeq} (O(1) or O(log n) to position, never a
     * scan of the stream). At the end it returns null from {@link JournalCursor#next()} and may
     * be polled again later to tail new entries.
     */
    JournalCursor read(String stream, long fromSeq);

    /**
     * A cursor over every stream in journal (append) order, from the beginning, skipping entries
     * below their stream's {@link #firstSeq} (superseded by the stream's snapshot).
     */
    JournalCursor readAll();

    /**
     * The oldest seq of {@code stream} still held as an entry: 0 unless retention trimmed the
     * stream or a snapshot was installed (then everything below lives on as the {@link #snapshot}).
     */
    default long firstSeq(String stream) {
        return 0;
    }

    /** The chain hash of entry {@code firstSeq(stream) - 1} (0 while the stream starts at 0). */
    default long baseHash(String stream) {
        return 0;
    }

    /** The snapshot of {@code stream} below {@link #firstSeq}, if the stream has one. */
    default Optional<JournalSnapshot> snapshot(String stream) {
        return Optional.empty();
    }

    /**
     * Makes a peer's snapshot the start of the replica of its stream: afterwards the stream
     * continues at {@code snapshot.upTo()} after chain hash {@code snapshot.hash()}, and the
     * entries it held below are superseded. Throws {@code journal:snapshot.stale} when the
     * replica already reaches {@code upTo}, {@code journal:snapshot.unsupported} when this
     * journal keeps no snapshots.
     */
    default void installSnapshot(JournalSnapshot snapshot) {
        throw new JournalException("journal:snapshot.unsupported", getClass().getSimpleName() + " keeps no snapshots");
    }

    /**
     * A cursor over every stream in journal (append) order, starting just after the entry
     * {@code stream:seq} (O(1) or O(log n) to position, like {@link #read}): what a reader that
     * has seen everything up to and including that entry has not seen yet. Like {@link #readAll}
     * it never returns an entry below its stream's {@link #firstSeq} (superseded by a snapshot).
     * Like every cursor it returns null at the end and may be polled again to tail new entries.
     * Throws {@link JournalException} {@code journal:position.notfound} when the journal never
     * held such an entry, {@code journal:trimmed} when it lies below its stream's first seq.
     */
    JournalCursor readAllAfter(String stream, long seq);

    /** Forces everything written so far to disk, whatever the fsync policy. */
    void sync();

    @Override
    void close();
}
