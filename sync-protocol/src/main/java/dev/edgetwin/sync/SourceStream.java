package dev.edgetwin.sync;

import dev.edgetwin.log.JournalCursor;

/**
 * The stream a sender writes, as the sync session reads it (a port: the nodes back it with the
 * node's journal, the simulation with an in-memory one). Positions may grow between calls as
 * the node appends; {@link #firstSeq()} may grow when retention trims.
 */
public interface SourceStream {
    /** The stream's name, {@code edge/<node>} or {@code cloud/<node>}. */
    String name();

    /** The oldest seq still in the journal: 0 unless retention trimmed the stream. */
    long firstSeq();

    /** The next seq the writer will append (the number of entries ever written). */
    long head();

    /**
     * The chain hash of entry {@code seq - 1}: 0 for seq 0, the snapshot's hash for
     * {@code seq == firstSeq() > 0}. Only asked for {@code firstSeq() <= seq <= head()}.
     */
    long hashBefore(long seq);

    /** A cursor from {@code fromSeq} (>= firstSeq()); it belongs to the session's thread. */
    JournalCursor read(long fromSeq);

    /** The snapshot below {@link #firstSeq()}, or null when the stream was never trimmed. */
    default StreamSnapshot snapshot() {
        return null;
    }
}
