package dev.edgetwin.log.chronicle;

import dev.edgetwin.log.EntryDraft;
import dev.edgetwin.log.FsyncPolicy;
import dev.edgetwin.log.Journal;
import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.JournalException;
import dev.edgetwin.log.JournalSnapshot;
import dev.edgetwin.log.StreamChain;
import dev.edgetwin.log.TrimResult;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.StoreFileListener;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Journal} on Chronicle Queue: all streams interleaved in one queue, one entry per
 * Chronicle document, a dense in-memory index stream+seq → Chronicle index, segments and a
 * manifest to cut a torn tail. Layout and guarantees: twin-log/FORMAT.md §3–4.
 *
 * <p>Appends are serialised on this object. Cursors are independent, each owns one Chronicle
 * tailer and belongs to one thread at a time. {@link #open} verifies the whole journal and
 * fails with {@code journal:corrupt} when a damaged entry is followed by valid ones.
 */
public final class ChronicleJournal implements Journal {
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleJournal.class);

    private final Path dir;
    private final JournalOptions options;
    final List<Segment> segments;
    private final Segment active;
    private final ExcerptAppender appender;
    private final Fsyncer fsyncer;
    private final PageWarmer warmer;
    final Map<String, StreamIndex> streams;
    final SnapshotStore snapshots;
    private volatile long maxHlc;
    private volatile boolean closed;
    private final String uncutTail;

    private ChronicleJournal(Path dir, JournalOptions options, List<Segment> segments, Fsyncer fsyncer, PageWarmer warmer,
                             Map<String, StreamIndex> streams, long maxHlc, SnapshotStore snapshots, boolean readOnly,
                             String uncutTail) {
        this.dir = dir;
        this.snapshots = snapshots;
        this.options = options;
        this.segments = List.copyOf(segments);
        this.active = segments.get(segments.size() - 1);
        this.fsyncer = fsyncer;
        this.warmer = warmer;
        this.streams = new ConcurrentHashMap<>(streams);
        this.maxHlc = maxHlc;
        this.uncutTail = uncutTail;
        this.appender = readOnly ? null : active.queue.createAppender();
        if (warmer != null) {
            // the queue's own roll cycle, epoch and clock: Chronicle keeps the roll cycle an existing queue was made with
            SingleChronicleQueue q = active.queue;
            warmer.prepareNextCycles(new NextCycleFile(q.rollCycle(), q.epoch(), q.time()::currentTimeMillis));
        }
        if (appender != null) appender.singleThreadedCheckDisabled(true); // callers differ; appends are serialised by this object
    }

    public static ChronicleJournal open(Path dir) {
        return open(dir, JournalOptions.DEFAULT);
    }

    /**
     * Opens (creating if needed) the journal in {@code dir}, verifies it and cuts a torn tail.
     * Throws {@code journal:corrupt} when damage is followed by valid entries.
     */
    public static ChronicleJournal open(Path dir, JournalOptions options) {
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new JournalException("journal:io", "cannot create " + dir + ": " + e, e);
        }
        Manifest manifest = Manifest.read(dir);
        if (manifest == null) {
            manifest = Manifest.initial();
            manifest.write(dir);
        }
        SnapshotStore snapshots = new SnapshotStore(dir);
        Map<String, SnapshotStore.Base> bases = snapshots.bases();
        Fsyncer fsyncer = new Fsyncer(options.fsync(), dir.getFileName().toString());
        PageWarmer warmer = new PageWarmer(options.warmAheadBytes(), dir.getFileName().toString());
        StoreFileListener active = both(fsyncer, warmer);
        List<Segment> segments = new ArrayList<>();
        try {
            openSegments(dir, manifest, options, active, segments);
            JournalScan.Outcome scan = new JournalScan(options, bases).scan(segments);
            if (scan.problem() != null) {
                throw new JournalException("journal:corrupt", dir + ": " + scan.problem().describe());
            }
            if (scan.torn() != null) {
                JournalScan.Torn torn = scan.torn();
                manifest = manifest.sealActive(torn.lastIndex(), torn.entries());
                manifest.write(dir);
                LOG.warn("journal {}: cut torn tail of {}; dropped {} bytes (~{} damaged entries); appends continue in segment {}",
                        dir, torn.damage().describe(), torn.droppedBytes(), torn.droppedEntries(), manifest.active().id());
                segments.forEach(Segment::close);
                segments.clear();
                openSegments(dir, manifest, options, active, segments);
                // the index recorded the ordinals of the same (now sealed) segments, which keep their places
            }
            long maxHlc = scan.maxHlc();
            for (SnapshotStore.Base b : bases.values()) maxHlc = Math.max(maxHlc, b.maxHlc());
            ChronicleJournal j = new ChronicleJournal(dir, options, segments, fsyncer, warmer, scan.streams(), maxHlc, snapshots, false, null);
            LOG.info("journal {} opened: {} entries, {} streams, {} segment(s), maxHlc {}, in {} ms", dir, scan.entries(),
                    scan.streams().size(), segments.size(), scan.maxHlc(), (System.nanoTime() - t0) / 1_000_000);
            return j;
        } catch (RuntimeException e) {
            segments.forEach(Segment::close);
            fsyncer.close();
            warmer.close();
            throw e;
        }
    }

    /**
     * Opens an existing journal for reading only (twinctl), while its node is stopped or while it
     * runs: writes nothing at all — no manifest, no cut, no appender, every queue mapped
     * read-only. The scan verifies every entry as {@link #open} does and hands each one, in append
     * order, to {@code visitor} (may be null). Trimmed streams start at their snapshot's base as
     * in {@link #open} ({@link #firstSeq}, {@link #snapshot}); entries below a base are superseded
     * and shown to nobody. The index is a snapshot of what the scan saw: {@link #read} serves those
     * entries; entries a running writer appends later are not indexed.
     *
     * @param liveTail true when a writer may be appending: the bytes behind the last complete
     *                 entry are then not examined (an append in progress is not damage). When
     *                 false, a damaged tail that {@link #open} would cut is left in place and
     *                 described by {@link #uncutTail()}.
     * @throws JournalException {@code journal:notfound} when {@code dir} holds no journal,
     *                          {@code journal:corrupt} when damage is followed by valid entries
     */
    public static ChronicleJournal openReadOnly(Path dir, JournalOptions options, boolean liveTail,
                                                Consumer<JournalEntry> visitor) {
        long t0 = System.nanoTime();
        Manifest manifest = Files.isDirectory(dir) ? Manifest.read(dir) : null;
        if (manifest == null) throw new JournalException("journal:notfound", "no journal in " + dir + " (no " + Manifest.FILE + ")");
        SnapshotStore snapshots = new SnapshotStore(dir);
        Map<String, SnapshotStore.Base> bases = snapshots.bases(); // without them a trimmed stream looks like a chain break
        Fsyncer none = new Fsyncer(FsyncPolicy.parse("never"), dir.getFileName().toString());
        List<Segment> segments = new ArrayList<>();
        try {
            for (int i = 0; i < manifest.segments().size(); i++) {
                Manifest.Entry e = manifest.segments().get(i);
                try {
                    segments.add(new Segment(dir, e, i, options, StoreFileListener.NO_OP, true));
                } catch (RuntimeException ex) {
                    throw new JournalException("journal:io", "cannot open segment " + e.dirName() + " of " + dir + " read-only: " + ex, ex);
                }
            }
            JournalScan.Outcome scan = new JournalScan(options, bases, liveTail, visitor).scan(segments);
            if (scan.problem() != null) {
                throw new JournalException("journal:corrupt", dir + ": " + scan.problem().describe());
            }
            String torn = scan.torn() == null ? null : scan.torn().damage().describe();
            LOG.info("journal {} opened read-only: {} entries, {} streams, {} segment(s){}, in {} ms", dir, scan.entries(),
                    scan.streams().size(), segments.size(), torn == null ? "" : ", uncut damaged tail",
                    (System.nanoTime() - t0) / 1_000_000);
            long maxHlc = scan.maxHlc();
            for (SnapshotStore.Base b : bases.values()) maxHlc = Math.max(maxHlc, b.maxHlc());
            return new ChronicleJournal(dir, options, segments, none, null, scan.streams(), maxHlc, snapshots, true, torn);
        } catch (RuntimeException e) {
            segments.forEach(Segment::close);
            none.close();
            throw e;
        }
    }

    /**
     * Entries in the journal by Chronicle's own count, without reading them: an estimate for
     * progress reporting (a damaged tail may be counted). Read-only, like {@link #openReadOnly}.
     */
    public static long countEntries(Path dir, JournalOptions options) {
        Manifest manifest = Files.isDirectory(dir) ? Manifest.read(dir) : null;
        if (manifest == null) return 0;
        long n = 0;
        for (int i = 0; i < manifest.segments().size(); i++) {
            Manifest.Entry e = manifest.segments().get(i);
            if (e.sealed()) {
                n += e.entries();
                continue;
            }
            try (Segment seg = new Segment(dir, e, i, options, StoreFileListener.NO_OP, true)) {
                n += seg.queue.entryCount();
            }
        }
        return n;
    }

    /**
     * The snapshots of a journal's trimmed streams (FORMAT.md §6), read from {@code dir} without
     * opening the journal, ordered by stream: for read-only tools that replay the journal in one
     * pass ({@link #openReadOnly}) and must apply a stream's snapshot before its first entry.
     * Empty when nothing was trimmed. Throws {@code journal:corrupt} for a damaged snapshot file.
     */
    public static List<JournalSnapshot> readSnapshots(Path dir) {
        return new SnapshotStore(dir).readAll();
    }

    /** The active segment's page warmer (null when read-only). */
    PageWarmer pageWarmer() {
        return warmer;
    }

    /** For a journal opened read-only without {@code liveTail}: the damaged tail left in place, if any. */
    public Optional<String> uncutTail() {
        return Optional.ofNullable(uncutTail);
    }

    /** One listener telling both of the active segment's cycle files. */
    private static StoreFileListener both(StoreFileListener a, StoreFileListener b) {
        return new StoreFileListener() {
            @Override
            public void onAcquired(int cycle, File file) {
                a.onAcquired(cycle, file);
                b.onAcquired(cycle, file);
            }

            @Override
            public void onReleased(int cycle, File file) {
                a.onReleased(cycle, file);
                b.onReleased(cycle, file);
            }
        };
    }

    private static void openSegments(Path dir, Manifest m, JournalOptions o, StoreFileListener active, List<Segment> out) {
        for (int i = 0; i < m.segments().size(); i++) {
            Manifest.Entry e = m.segments().get(i);
            StoreFileListener l = e.sealed() ? StoreFileListener.NO_OP : active;
            out.add(new Segment(dir, e, i, o, l));
        }
    }

    @Override
    public synchronized List<JournalEntry> append(String stream, List<EntryDraft> drafts) {
        ensureWritable();
        List<JournalEntry> entries = StreamChain.fromDrafts(stream, nextSeq(stream), lastHash(stream), drafts, options.maxEntryBytes());
        write(stream, entries);
        return entries;
    }

    @Override
    public synchronized List<JournalEntry> appendReplica(String stream, List<byte[]> encodedEntries) {
        ensureWritable();
        List<JournalEntry> entries = StreamChain.verifyReplica(stream, nextSeq(stream), lastHash(stream), encodedEntries, options.maxEntryBytes());
        write(stream, entries);
        return entries;
    }

    /** {@link #appendReplica} for entries decoded elsewhere: CRC and chain checked on their bytes, nothing re-decoded or copied. */
    @Override
    public synchronized List<JournalEntry> appendReplicaEntries(String stream, List<JournalEntry> decodedEntries) {
        ensureWritable();
        StreamChain.verifyDecoded(stream, nextSeq(stream), lastHash(stream), decodedEntries, options.maxEntryBytes());
        write(stream, decodedEntries);
        return decodedEntries;
    }

    private void write(String stream, List<JournalEntry> entries) {
        if (entries.isEmpty()) return;
        StreamIndex s = streams.computeIfAbsent(stream, k -> new StreamIndex());
        try {
            for (JournalEntry e : entries) {
                try (DocumentContext dc = appender.writingDocument()) {
                    dc.wire().bytes().write(e.bytes());
                }
                s.add(e.seq(), e.hash(), active.ordinal, appender.lastIndexAppended());
                if (e.hlc() > maxHlc) maxHlc = e.hlc();
            }
        } catch (RuntimeException ex) {
            if (ex instanceof JournalException je) throw je;
            throw new JournalException("journal:io", "append to " + stream + " failed after seq " + (s.nextSeq() - 1) + ": " + ex, ex);
        }
        fsyncer.afterAppend();
        warmer.wrote(appender.cycle(), appender.wire().bytes().writePosition());
    }

    @Override
    public long nextSeq(String stream) {
        StreamIndex s = streams.get(stream);
        return s == null ? 0 : s.nextSeq();
    }

    @Override
    public long lastHash(String stream) {
        StreamIndex s = streams.get(stream);
        return s == null ? 0 : s.lastHash();
    }

    @Override
    public Set<String> streams() {
        Set<String> out = new TreeSet<>();
        streams.forEach((name, s) -> {
            if (s.nextSeq() > 0) out.add(name);
        });
        return out;
    }

    @Override
    public long maxHlc() {
        return maxHlc;
    }

    @Override
    public JournalCursor read(String stream, long fromSeq) {
        ensureOpen();
        if (fromSeq < 0) throw new JournalException("journal:entry.invalid", "fromSeq must be >= 0, got " + fromSeq);
        return new StreamCursor(this, stream, fromSeq);
    }

    @Override
    public JournalCursor readAll() {
        ensureOpen();
        return new AppendOrderCursor(this);
    }

    @Override
    public long firstSeq(String stream) {
        StreamIndex s = streams.get(stream);
        return s == null ? 0 : s.firstSeq();
    }

    @Override
    public long baseHash(String stream) {
        StreamIndex s = streams.get(stream);
        return s == null ? 0 : s.baseHash();
    }

    @Override
    public Optional<JournalSnapshot> snapshot(String stream) {
        ensureOpen();
        return firstSeq(stream) == 0 ? Optional.empty() : snapshots.read(stream);
    }

    @Override
    public synchronized void installSnapshot(JournalSnapshot snapshot) {
        ensureWritable();
        String stream = snapshot.stream();
        long next = nextSeq(stream);
        if (snapshot.upTo() <= next) {
            throw new JournalException("journal:snapshot.stale", stream + " already holds up to " + next + ", the snapshot reaches " + snapshot.upTo());
        }
        snapshots.write(snapshot); // durable first: a crash after it reopens with the new base
        streams.computeIfAbsent(stream, k -> new StreamIndex()).rebase(snapshot.upTo(), snapshot.hash());
        long max = SnapshotStore.Base.of(snapshot).maxHlc();
        if (max > maxHlc) maxHlc = max;
        LOG.info("journal {}: installed the snapshot of {} up to {} ({} entries); {} held entries below it are superseded", dir, stream,
                snapshot.upTo(), snapshot.entries().size(), next);
    }

    /**
     * Retention (FORMAT.md §6): deletes the oldest cycle files of the active segment that the
     * caller wants gone, as long as every entry in them lies below its stream's limit in
     * {@code keepFrom} (a stream not listed is never trimmed). Each trimmed stream's snapshot is
     * written (and {@code beforeDrop} shown its trimmed entries, in batches) before any file goes.
     *
     * @param cutoffMillis wants gone every cycle file that ended before this wall-clock time
     * @param targetBytes  also wants gone the oldest files while the journal is bigger than this (-1: no size target)
     */
    public synchronized TrimResult trim(Map<String, Long> keepFrom, long cutoffMillis, long targetBytes,
                                                 Consumer<List<JournalEntry>> beforeDrop) {
        ensureWritable();
        return new CycleTrimmer(this, active).trim(keepFrom, cutoffMillis, targetBytes, beforeDrop);
    }

    /** Bytes of every cycle file of the journal, as the file system reports their sizes. */
    public long diskBytes() {
        long n = 0;
        for (Segment s : segments) n += CycleTrimmer.bytesOf(CycleFileScan.cycleFiles(s.dir));
        return n;
    }

    @Override
    public JournalCursor readAllAfter(String stream, long seq) {
        ensureOpen();
        StreamIndex s = streams.get(stream);
        if (s == null || seq < 0 || seq >= s.nextSeq()) {
            throw new JournalException("journal:position.notfound", "no entry " + stream + ":" + seq + " in " + dir);
        }
        if (seq < s.firstSeq()) {
            throw new JournalException("journal:trimmed", stream + ":" + seq + " is below the stream's snapshot at " + s.firstSeq());
        }
        return new AppendOrderCursor(this, s.segment(seq), s.position(seq), stream, seq);
    }

    /** The stream's index, or null if the stream has never been written. */
    StreamIndex index(String stream) {
        return streams.get(stream);
    }

    @Override
    public void sync() {
        ensureOpen();
        fsyncer.force();
    }

    /** The settings this journal was opened with. */
    public JournalOptions options() {
        return options;
    }

    /** Fsyncs performed so far (all policies), for tests and metrics. */
    public long fsyncCount() {
        return fsyncer.forces();
    }

    /** Heap held by the seq → position index of all streams, in bytes (approximate). */
    public long indexBytes() {
        return streams.values().stream().mapToLong(StreamIndex::bytesUsed).sum();
    }

    /** Number of segments (1 unless a torn tail was cut). */
    public int segmentCount() {
        return segments.size();
    }

    private void ensureWritable() {
        ensureOpen();
        if (appender == null) throw new JournalException("journal:read_only", "journal " + dir + " is open read-only");
    }

    void ensureOpen() {
        if (closed) throw new JournalException("journal:closed", "journal " + dir + " is closed");
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            if (appender != null) appender.close();
            fsyncer.close();
            if (warmer != null) warmer.close();
        } finally {
            segments.forEach(Segment::close);
            LOG.info("journal {} closed", dir);
        }
    }
}
