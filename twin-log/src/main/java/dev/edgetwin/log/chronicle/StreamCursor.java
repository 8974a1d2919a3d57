package dev.edgetwin.log.chronicle;

import dev.edgetwin.log.EntryCodec;
import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.JournalException;
import net.openhft.chronicle.queue.ExcerptTailer;

/**
 * Reads one stream from a seq: each entry is located through the stream's index, so the
 * entries of other streams in between are never read. Owns one Chronicle tailer; use from
 * one thread at a time.
 */
final class StreamCursor implements JournalCursor {
    private final ChronicleJournal journal;
    private final String stream;
    private long next;
    private ExcerptTailer tailer;
    private int tailerSegment = -1;

    StreamCursor(ChronicleJournal journal, String stream, long fromSeq) {
        this.journal = journal;
        this.stream = stream;
        this.next = fromSeq;
    }

    @Override
    public JournalEntry next() {
        journal.ensureOpen();
        StreamIndex s = journal.index(stream);
        if (s == null || next >= s.nextSeq()) return null;
        if (next < s.firstSeq()) {
            throw new JournalException("journal:trimmed", stream + "@" + next + " was trimmed by retention; the stream starts at " + s.firstSeq());
        }
        long pos = s.position(next);
        int seg = s.segment(next);
        if (seg != tailerSegment) {
            if (tailer != null) tailer.close();
            tailer = journal.segments.get(seg).tailer();
            tailerSegment = seg;
        }
        // consecutive entries of one stream are often adjacent: skip the seek then
        if (tailer.index() != pos && !tailer.moveToIndex(pos)) {
            throw corrupt(pos, "chronicle cannot move to the index");
        }
        Segment.Doc d;
        try {
            d = Segment.next(tailer);
        } catch (RuntimeException e) {
            throw corrupt(pos, e.toString());
        }
        if (d == null || d.index() != pos) throw corrupt(pos, "document missing");
        JournalEntry e;
        try {
            e = EntryCodec.decode(d.bytes());
        } catch (JournalException ex) {
            throw corrupt(pos, ex.getMessage());
        }
        if (!e.stream().equals(stream) || e.seq() != next) throw corrupt(pos, "holds " + e.stream() + "@" + e.seq());
        next++;
        return e;
    }

    private JournalException corrupt(long pos, String why) {
        return new JournalException("journal:corrupt", stream + "@" + next + " at chronicle index 0x" + Long.toHexString(pos) + ": " + why);
    }

    @Override
    public void close() {
        if (tailer != null) tailer.close();
        tailer = null;
    }
}
