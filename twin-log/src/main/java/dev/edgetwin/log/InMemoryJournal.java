package dev.edgetwin.log;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@link Journal} held in memory, for tests of other modules. Same encoding (EntryCodec),
 * same validation and error codes as the Chronicle journal; no durability: everything is
 * gone with the object. Thread-safe: appends and cursor reads synchronise on the journal.
 */
public final class InMemoryJournal implements Journal {
    private final int maxEntryBytes;
    private final Map<String, List<JournalEntry>> byStream = new HashMap<>();
    private final Map<String, JournalSnapshot> snapshots = new HashMap<>();
    private final List<JournalEntry> all = new ArrayList<>();
    private final Map<String, List<Integer>> placeInAll = new HashMap<>();   // per stream: seq → index in all
    private long maxHlc;
    private boolean closed;

    public InMemoryJournal() {
        this(StreamChain.DEFAULT_MAX_ENTRY_BYTES);
    }

    public InMemoryJournal(int maxEntryBytes) {
        this.maxEntryBytes = maxEntryBytes;
    }

    @Override
    public synchronized List<JournalEntry> append(String stream, List<EntryDraft> drafts) {
        ensureOpen();
        List<JournalEntry> entries = StreamChain.fromDrafts(stream, nextSeq(stream), lastHash(stream), drafts, maxEntryBytes);
        entries.forEach(this::add);
        return entries;
    }

    @Override
    public synchronized List<JournalEntry> appendReplica(String stream, List<byte[]> encodedEntries) {
        ensureOpen();
        List<JournalEntry> entries = StreamChain.verifyReplica(stream, nextSeq(stream), lastHash(stream), encodedEntries, maxEntryBytes);
        entries.forEach(this::add);
        return entries;
    }

    private void add(JournalEntry e) {
        byStream.computeIfAbsent(e.stream(), s -> new ArrayList<>()).add(e);
        placeInAll.computeIfAbsent(e.stream(), s -> new ArrayList<>()).add(all.size());
        all.add(e);
        maxHlc = Math.max(maxHlc, e.hlc());
    }

    @Override
    public synchronized long nextSeq(String stream) {
        List<JournalEntry> l = byStream.get(stream);
        return firstSeq(stream) + (l == null ? 0 : l.size());
    }

    @Override
    public synchronized long lastHash(String stream) {
        List<JournalEntry> l = byStream.get(stream);
        return l == null || l.isEmpty() ? baseHash(stream) : l.get(l.size() - 1).hash();
    }

    @Override
    public synchronized long firstSeq(String stream) {
        JournalSnapshot s = snapshots.get(stream);
        return s == null ? 0 : s.upTo();
    }

    @Override
    public synchronized long baseHash(String stream) {
        JournalSnapshot s = snapshots.get(stream);
        return s == null ? 0 : s.hash();
    }

    @Override
    public synchronized java.util.Optional<JournalSnapshot> snapshot(String stream) {
        return java.util.Optional.ofNullable(snapshots.get(stream));
    }

    /** Same contract as the Chronicle journal's: the replica continues at {@code upTo}; entries held below are dropped. */
    @Override
    public synchronized void installSnapshot(JournalSnapshot snapshot) {
        ensureOpen();
        long next = nextSeq(snapshot.stream());
        if (snapshot.upTo() <= next) {
            throw new JournalException("journal:snapshot.stale", snapshot.stream() + " already holds up to " + next);
        }
        // the entries held below stay in the append order, superseded: cursors skip them (as Chronicle's do)
        snapshots.put(snapshot.stream(), snapshot);
        byStream.put(snapshot.stream(), new ArrayList<>());
        placeInAll.put(snapshot.stream(), new ArrayList<>());
        for (JournalEntry e : snapshot.entries()) maxHlc = Math.max(maxHlc, e.hlc());
    }

    @Override
    public synchronized Set<String> streams() {
        Set<String> out = new TreeSet<>();
        for (String s : byStream.keySet()) if (nextSeq(s) > 0) out.add(s);
        return out;
    }

    @Override
    public synchronized long maxHlc() {
        return maxHlc;
    }

    @Override
    public JournalCursor read(String stream, long fromSeq) {
        if (fromSeq < 0) throw new JournalException("journal:entry.invalid", "fromSeq must be >= 0, got " + fromSeq);
        return new Cursor(stream, fromSeq);
    }

    @Override
    public JournalCursor readAll() {
        return new Cursor(null, 0);
    }

    @Override
    public synchronized JournalCursor readAllAfter(String stream, long seq) {
        List<Integer> places = placeInAll.get(stream);
        if (seq < 0 || places == null || seq >= nextSeq(stream)) {
            throw new JournalException("journal:position.notfound", "no entry " + stream + ":" + seq + " in the journal");
        }
        long base = firstSeq(stream);
        if (seq < base) throw new JournalException("journal:trimmed", stream + ":" + seq + " is below the snapshot at " + base);
        return new Cursor(null, places.get((int) (seq - base)) + 1L);
    }

    @Override
    public void sync() {
        // nothing to force: memory only
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private void ensureOpen() {
        if (closed) throw new JournalException("journal:closed", "journal is closed");
    }

    /** Reads one stream (or all, when stream is null) by position. */
    private final class Cursor implements JournalCursor {
        private final String stream;
        private long next;

        Cursor(String stream, long from) {
            this.stream = stream;
            this.next = from;
        }

        @Override
        public JournalEntry next() {
            synchronized (InMemoryJournal.this) {
                if (stream == null) {
                    while (next < all.size()) {
                        JournalEntry e = all.get((int) next++);
                        if (e.seq() >= firstSeq(e.stream())) return e; // else superseded by its stream's snapshot
                    }
                    return null;
                }
                List<JournalEntry> l = byStream.get(stream);
                long base = firstSeq(stream);
                if (l == null || next - base >= l.size()) return null;
                if (next < base) throw new JournalException("journal:trimmed", stream + "@" + next + " is below the snapshot at " + base);
                return l.get((int) (next++ - base));
            }
        }

        @Override
        public void close() {
            // holds no resources
        }
    }
}
