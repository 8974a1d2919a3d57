package dev.edgetwin.log.chronicle;

import dev.edgetwin.log.EntryCodec;
import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.JournalException;
import net.openhft.chronicle.queue.ExcerptTailer;

/**
 * Reads every stream in append order: the segments one after the other, each sealed one up
 * to its recorded end (never past it, where a cut tail lies), then tails the active one.
 * Entries below their stream's first seq (superseded by its snapshot, FORMAT.md §6) are skipped,
 * so a cursor positioned after any entry ({@link ChronicleJournal#readAllAfter}) never returns them.
 * Owns one Chronicle tailer; use from one thread at a time.
 */
final class AppendOrderCursor implements JournalCursor {
    private final ChronicleJournal journal;
    private int ordinal;
    private ExcerptTailer tailer;
    private boolean segmentDone;

    AppendOrderCursor(ChronicleJournal journal) {
        this.journal = journal;
        open(0);
    }

    /**
     * A cursor positioned just after the document at Chronicle index {@code index} of segment
     * {@code ordinal}, which must hold {@code stream:seq} (checked: a mismatch is corruption).
     */
    AppendOrderCursor(ChronicleJournal journal, int ordinal, long index, String stream, long seq) {
        this.journal = journal;
        open(ordinal);
        try {
            skipTo(journal.segments.get(ordinal), index, stream, seq);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void skipTo(Segment seg, long index, String stream, long seq) {
        if (!tailer.moveToIndex(index)) throw corrupt(index, "chronicle cannot move to the index of " + stream + ":" + seq);
        Segment.Doc d = read();
        if (d == null || d.index() != index) throw corrupt(index, "document of " + stream + ":" + seq + " missing");
        JournalEntry e = decode(seg, d);
        if (!e.stream().equals(stream) || e.seq() != seq) {
            throw corrupt(index, "expected " + stream + ":" + seq + ", holds " + e.stream() + ":" + e.seq());
        }
        if (seg.sealed() && index == seg.meta.lastIndex()) segmentDone = true;
    }

    private JournalException corrupt(long index, String why) {
        return new JournalException("journal:corrupt", "segment " + journal.segments.get(ordinal).meta.id()
                + " chronicle index 0x" + Long.toHexString(index) + ": " + why);
    }

    private void open(int ord) {
        if (tailer != null) tailer.close();
        ordinal = ord;
        Segment seg = journal.segments.get(ord);
        tailer = seg.tailer();
        segmentDone = seg.sealed() && seg.meta.lastIndex() < 0;
    }

    @Override
    public JournalEntry next() {
        journal.ensureOpen();
        while (true) {
            Segment seg = journal.segments.get(ordinal);
            Segment.Doc d = segmentDone ? null : read();
            if (d != null) {
                if (seg.sealed() && d.index() == seg.meta.lastIndex()) segmentDone = true;
                JournalEntry e = decode(seg, d);
                if (e.seq() < journal.firstSeq(e.stream())) continue; // superseded by the stream's snapshot
                return e;
            }
            if (seg.sealed() && ordinal + 1 < journal.segments.size()) {
                open(ordinal + 1);
                continue;
            }
            return null;
        }
    }

    private static JournalEntry decode(Segment seg, Segment.Doc d) {
        try {
            return EntryCodec.decode(d.bytes());
        } catch (JournalException e) {
            throw new JournalException("journal:corrupt", "segment " + seg.meta.id() + " chronicle index 0x"
                    + Long.toHexString(d.index()) + ": " + e.getMessage());
        }
    }

    private Segment.Doc read() {
        try {
            return Segment.next(tailer);
        } catch (RuntimeException e) {
            throw new JournalException("journal:corrupt", "segment " + journal.segments.get(ordinal).meta.id() + ": " + e, e);
        }
    }

    @Override
    public void close() {
        if (tailer != null) tailer.close();
        tailer = null;
    }
}
