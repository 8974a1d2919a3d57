package dev.edgetwin.log.cli;

import dev.edgetwin.log.EntryDraft;
import dev.edgetwin.log.Journal;
import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;

import java.util.List;
import java.util.Set;

/**
 * A journal that counts the entries its cursors hand out into a {@link Progress}: how twinctl
 * shows the progress of a replay it does not drive itself ({@code RocksProjection.rebuild}).
 * Every call is delegated; the cursors must be used from one thread (as any journal cursor).
 */
final class CountingJournal implements Journal {
    private final Journal delegate;
    private final Progress progress;

    CountingJournal(Journal delegate, Progress progress) {
        this.delegate = delegate;
        this.progress = progress;
    }

    @Override
    public List<JournalEntry> append(String stream, List<EntryDraft> drafts) {
        return delegate.append(stream, drafts);
    }

    @Override
    public List<JournalEntry> appendReplica(String stream, List<byte[]> encodedEntries) {
        return delegate.appendReplica(stream, encodedEntries);
    }

    @Override
    public long nextSeq(String stream) {
        return delegate.nextSeq(stream);
    }

    @Override
    public long lastHash(String stream) {
        return delegate.lastHash(stream);
    }

    @Override
    public Set<String> streams() {
        return delegate.streams();
    }

    @Override
    public long maxHlc() {
        return delegate.maxHlc();
    }

    @Override
    public JournalCursor read(String stream, long fromSeq) {
        return counting(delegate.read(stream, fromSeq));
    }

    @Override
    public JournalCursor readAll() {
        return counting(delegate.readAll());
    }

    private JournalCursor counting(JournalCursor c) {
        return new JournalCursor() {
            @Override
            public JournalEntry next() {
                JournalEntry e = c.next();
                if (e != null) progress.add(1);
                return e;
            }

            @Override
            public void close() {
                c.close();
            }
        };
    }

    @Override
    public void sync() {
        delegate.sync();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
