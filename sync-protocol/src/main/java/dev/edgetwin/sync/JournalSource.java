package dev.edgetwin.sync;

import dev.edgetwin.log.Journal;
import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;

/**
 * The {@link SourceStream} of a node: one stream of its journal, with its retention base and
 * snapshot (twin-log FORMAT.md §6). Thread-safe as the journal is;
 * each cursor it opens belongs to the caller's thread.
 */
public final class JournalSource implements SourceStream {
    private final Journal journal;
    private final String stream;

    public JournalSource(Journal journal, String stream) {
        this.journal = journal;
        this.stream = stream;
    }

    @Override
    public String name() {
        return stream;
    }

    @Override
    public long firstSeq() {
        return journal.firstSeq(stream);
    }

    @Override
    public long head() {
        return journal.nextSeq(stream);
    }

    @Override
    public long hashBefore(long seq) {
        if (seq == journal.firstSeq(stream)) return journal.baseHash(stream);
        try (JournalCursor c = journal.read(stream, seq - 1)) {
            JournalEntry e = c.next();
            if (e == null) throw new IllegalStateException(stream + " has no entry " + (seq - 1));
            return e.hash();
        }
    }

    @Override
    public JournalCursor read(long fromSeq) {
        return journal.read(stream, fromSeq);
    }

    @Override
    public StreamSnapshot snapshot() {
        return journal.snapshot(stream).map(s -> new StreamSnapshot(s.stream(), s.upTo(), s.hash(), s.entries().size(), s.bytes(),
                () -> s.entries().stream().map(JournalEntry::bytes).iterator())).orElse(null);
    }
}
