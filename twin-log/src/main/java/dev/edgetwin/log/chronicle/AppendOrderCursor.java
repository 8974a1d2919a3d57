package dev.edgetwin.log.chronicle;

import dev.edgetwin.log.EntryCodec;
import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.JournalException;
import net.openhft.chronicle.queue.ExcerptTailer;

/**
 * Reads every stream in append order: the segments one after the other, each sealed one up
 * to its recorded end (never past it, where a cut tail lies), then tails the active one.
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
                JournalEntry e;
                try {
                    e = EntryCodec.decode(d.bytes());
                } catch (JournalException ex) {
                    throw new JournalException("journal:corrupt", "segment " + seg.meta.id() + " chronicle index 0x"
                            + Long.toHexString(d.index()) + ": " + ex.getMessage());
                }
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
