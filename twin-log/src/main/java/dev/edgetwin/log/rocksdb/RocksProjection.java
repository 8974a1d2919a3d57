package dev.edgetwin.log.rocksdb;

import dev.edgetwin.log.Journal;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.JournalSnapshot;
import dev.edgetwin.log.ListFilter;
import dev.edgetwin.log.Page;
import dev.edgetwin.log.Position;
import dev.edgetwin.log.Projection;
import dev.edgetwin.log.ProjectionException;
import dev.edgetwin.log.ProjectionOptions;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.DeviceTwinCodec;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.EventRecord;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The projection in RocksDB (layout in {@link Keys}, storage in {@link RocksStore}).
 *
 * <p><b>The journal is the write-ahead log.</b> RocksDB's own WAL is off and atomic flush is
 * on: a batch's twins, indexes and the checkpoints it advances are one WriteBatch, and every
 * flush writes all column families together, so what survives a crash is always a state the
 * projection really had, with checkpoints that match its data. Whatever was lost from the
 * memtables is replayed from the journal on open, from those checkpoints; because apply is
 * idempotent and merge is commutative, re-applying is harmless.
 *
 * <p><b>Commits.</b> Each {@link #apply} writes its events' history keys at once, but keeps
 * the twins it changed and the streams' new checkpoints in memory (in the twin cache, where
 * queries read them) and commits them with those of the calls after it, in one write, at
 * least every {@value #COMMIT_EVENTS} events and every {@value #COMMIT_TWINS} twins, before
 * the cache would drop any of them, when a twin changes node, model or existence (lists read
 * the indexes from RocksDB), and on {@link #commit}, {@link #digest} and {@link #close}. A twin
 * updated many times between commits is encoded and written once (under MQTT ingest a
 * twin's ~200 bytes were rewritten per update; RESULTS.md (f)). What RocksDB holds, and so
 * what a flush persists, is still a state the projection really had, with checkpoints that
 * match its twins; only history keys may run ahead of the checkpoints, for entries a replay
 * applies again, which writes the same keys again (and {@link ProjectionDiff} passes over).
 *
 * <p>Threads: one writer ({@link #apply}); queries run concurrently. The twin cache is
 * written only by the writer, so a query can never put a stale twin into it.
 */
public final class RocksProjection implements Projection {
    private static final Logger LOG = LoggerFactory.getLogger(RocksProjection.class);
    // large replay batches: each touched twin is encoded and written once per batch, not once per event
    private static final int REPLAY_BATCH = 65_536;
    /** Room the write batch keeps between writes: a commit of a few thousand twins fits. */
    private static final int KEPT_BATCH_BYTES = 2 * 1024 * 1024;

    /** By default, twins and checkpoints are committed at least every this many events... */
    public static final int COMMIT_EVENTS = 8_192;
    /** ...and every this many twins. */
    public static final int COMMIT_TWINS = 4_096;

    private final RocksStore store;
    private final Map<String, Long> checkpoints = new ConcurrentHashMap<>();
    private final Map<DeviceId, DeviceTwin> cache = new ConcurrentHashMap<>();
    private final ProjectionOptions options;
    private ApplyBatch open;
    private final BatchBytes scratch = new BatchBytes(64 * 1024);   // every write batch is built here

    private RocksProjection(RocksStore store, ProjectionOptions options) {
        this.store = store;
        this.options = options;
        store.forEach(store.checkpoints, (k, v) -> checkpoints.put(new String(k, StandardCharsets.UTF_8), Keys.getLong(v, 0)));
    }

    /** Opens (creating if needed) the projection in {@code dir} and replays {@code journal} from its checkpoints. */
    public static RocksProjection open(Path dir, Journal journal, int cacheSize) {
        return open(dir, journal, cacheSize, COMMIT_EVENTS, COMMIT_TWINS);
    }

    /**
     * {@link #open(Path, Journal, int)} committing twins and checkpoints at least every
     * {@code commitEvents} events and every {@code commitTwins} twins (1: at every apply).
     */
    public static RocksProjection open(Path dir, Journal journal, int cacheSize, int commitEvents, int commitTwins) {
        return open(dir, journal, new ProjectionOptions(cacheSize, commitEvents, commitTwins));
    }

    /** {@link #open(Path, Journal, int, int, int)} with the settings in {@code options}. */
    public static RocksProjection open(Path dir, Journal journal, ProjectionOptions options) {
        RocksProjection p = new RocksProjection(openCurrentLayout(dir), options);
        try {
            p.replay(journal);
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    /**
     * Opens the store in {@code dir}, first deleting it when its keys have an older layout (it
     * is then rebuilt from the journal by the replay that follows, like any lost projection).
     */
    private static RocksStore openCurrentLayout(Path dir) {
        RocksStore store = RocksStore.open(dir);
        long layout = store.layout();
        if (layout == Keys.LAYOUT) return store;
        if (layout != 0) {
            store.close();
            LOG.info("projection at {} has key layout {}, this version writes {}: rebuilding it from the journal", dir, layout, Keys.LAYOUT);
            RocksStore.destroy(dir);
            store = RocksStore.open(dir);
        }
        store.markLayout();
        return store;
    }

    /**
     * Opens an existing projection read-only, as it was last flushed, without replaying anything
     * and without taking its lock: safe while its node runs (see {@code RocksStore.openReadOnly}).
     * Queries work; {@link #apply} fails with {@code projection:io}.
     */
    public static RocksProjection openReadOnly(Path dir) {
        return new RocksProjection(RocksStore.openReadOnly(dir), new ProjectionOptions(0, 1, 1));
    }

    /** The twin cache size and commit bounds this projection runs with. */
    public ProjectionOptions options() {
        return options;
    }

    /** Deletes the projection in {@code dir} and rebuilds it from the whole journal. */
    public static RocksProjection rebuild(Path dir, Journal journal, int cacheSize) {
        return rebuild(dir, journal, new ProjectionOptions(cacheSize, COMMIT_EVENTS, COMMIT_TWINS));
    }

    /** {@link #rebuild(Path, Journal, int)} with the settings in {@code options}. */
    public static RocksProjection rebuild(Path dir, Journal journal, ProjectionOptions options) {
        RocksStore.destroy(dir);
        return open(dir, journal, options);
    }

    private void replay(Journal journal) {
        long start = System.nanoTime();
        long total = 0;
        long lastLog = start;
        for (String stream : journal.streams()) {
            long from = checkpoint(stream);
            if (from < journal.firstSeq(stream)) {
                // the entries it needs were trimmed: start from the stream's snapshot (FORMAT.md §6)
                JournalSnapshot snapshot = journal.snapshot(stream).orElseThrow(() -> new ProjectionException("projection:gap",
                        stream + " starts at " + journal.firstSeq(stream) + " without a snapshot; the projection is at " + checkpoint(stream), null));
                applySnapshot(snapshot);
                total += snapshot.entries().size();
                from = checkpoint(stream);
            }
            if (from >= journal.nextSeq(stream)) continue;
            try (var cursor = journal.read(stream, from)) {
                List<JournalEntry> batch = new ArrayList<>(REPLAY_BATCH);
                for (JournalEntry e = cursor.next(); e != null; e = cursor.next()) {
                    batch.add(e);
                    if (batch.size() == REPLAY_BATCH) {
                        apply(batch);
                        total += batch.size();
                        batch.clear();
                        long now = System.nanoTime();
                        if (now - lastLog > 2_000_000_000L) {
                            lastLog = now;
                            LOG.info("projection replay: {} at seq {}, {} events so far, {} events/s", stream, e.seq(),
                                    total, rate(total, now - start));
                        }
                    }
                }
                apply(batch);
                total += batch.size();
            }
        }
        if (total > 0) {
            LOG.info("projection replayed {} events from {} streams in {} ms ({} events/s)", total,
                    journal.streams().size(), (System.nanoTime() - start) / 1_000_000, rate(total, System.nanoTime() - start));
        }
    }

    private static long rate(long n, long nanos) {
        return nanos <= 0 ? n : n * 1_000_000_000L / nanos;
    }

    @Override
    public Map<DeviceId, DeviceTwin> apply(List<JournalEntry> entries) {
        return apply(entries, null);
    }

    /**
     * {@link #apply} with the events already decoded: {@code records.get(i)} is entry i's event
     * with its envelope (as {@code TwinStore.toRecord} gives it), or {@code records} is null to
     * decode here. A caller that needs the events too (listeners) decodes them once.
     *
     * <p>The call's history keys are written before it returns; its twins and the streams' new
     * checkpoints are committed later together with those of the next calls (see the class
     * comment), and are read from memory meanwhile. Failing, the call changes nothing.
     */
    public synchronized Map<DeviceId, DeviceTwin> apply(List<JournalEntry> entries, List<EventRecord> records) {
        if (entries.isEmpty()) return Map.of();
        if (records != null && records.size() != entries.size()) throw new IllegalArgumentException("one record per entry");
        if (open == null) open = new ApplyBatch(store, this::load, this::checkpoint);
        ApplyBatch b = open;
        b.beginRound();
        boolean commit;
        try {
            for (int i = 0; i < entries.size(); i++) b.add(entries.get(i), records == null ? null : records.get(i));
            // a twin that changes node, model or existence is committed at once: lists read the indexes
            commit = b.events() >= options.commitEvents() || b.twins() >= options.commitTwins() || b.roundReshaped()
                    || cache.size() + b.roundSize() > options.cacheTwins();
            if (commit) {
                write(b.commit(batch()));
                open = null;
            } else {
                write(b.roundHistory(batch()));
                b.roundHistoryWritten();
            }
        } catch (RocksDBException ex) {
            b.rollbackRound();
            throw new ProjectionException("projection:io", "apply failed: " + ex.getMessage(), ex);
        } catch (RuntimeException ex) {
            b.rollbackRound();
            throw ex;
        }
        checkpoints.putAll(b.roundCheckpoints());
        return cached(b.roundTwins());
    }

    /** Commits what earlier {@link #apply} calls left in memory; a later apply does when it is time (see the class comment). */
    public synchronized void commit() {
        if (open == null) return;
        try {
            write(open.commit(batch()));
        } catch (RocksDBException ex) {
            throw new ProjectionException("projection:io", "commit failed: " + ex.getMessage(), ex);
        }
        open = null;
    }

    /** The batch every write is built in, empty (callers hold this object's lock). */
    private BatchBytes batch() {
        return scratch.reset(KEPT_BATCH_BYTES);
    }

    private void write(BatchBytes batch) throws RocksDBException {
        if (batch.count() == 0) return;
        try (WriteBatch w = batch.toWriteBatch()) {
            store.write(w);
        }
    }

    /**
     * Applies a stream's snapshot (FORMAT.md §6) and moves the stream's checkpoint to its
     * {@code upTo}, in one batch. Its entries are not contiguous and are no longer in the
     * journal, so they get no history keys. Does nothing when the checkpoint is already there;
     * entries applied before are applied again harmlessly (merge is idempotent).
     */
    public synchronized Map<DeviceId, DeviceTwin> applySnapshot(JournalSnapshot snapshot) {
        if (checkpoint(snapshot.stream()) >= snapshot.upTo()) return Map.of();
        commit();
        ApplyBatch b = new ApplyBatch(store, this::load, this::checkpoint);
        b.beginRound();
        try {
            for (JournalEntry e : snapshot.entries()) b.addSnapshotEntry(e);
            BatchBytes batch = b.commit(batch());
            b.checkpoint(batch, snapshot.stream(), snapshot.upTo());
            write(batch);
        } catch (RocksDBException ex) {
            throw new ProjectionException("projection:io", "snapshot apply failed: " + ex.getMessage(), ex);
        }
        checkpoints.put(snapshot.stream(), snapshot.upTo());
        return cached(b.roundTwins());
    }

    /** Puts the twins a write left into the cache (emptied first when it would outgrow its size). */
    private Map<DeviceId, DeviceTwin> cached(Map<DeviceId, DeviceTwin> after) {
        if (cache.size() + after.size() > options.cacheTwins()) cache.clear();
        cache.putAll(after);
        return after;
    }

    /**
     * Deletes the history keys of entries that leave the journal (retention, or a replica
     * prefix a snapshot supersedes), so the projection equals one rebuilt from the snapshot.
     */
    public void forgetHistory(List<JournalEntry> entries) {
        if (entries.isEmpty()) return;
        try (WriteBatch batch = new WriteBatch()) {
            for (JournalEntry e : entries) {
                DeviceId id = EventCodec.decode(e.payload()).device();
                batch.delete(store.history, Keys.history(Keys.historyPrefix(Keys.device(id)), e.hlc(), e.stream().getBytes(StandardCharsets.UTF_8), e.seq()));
            }
            store.write(batch);
        } catch (RocksDBException ex) {
            throw new ProjectionException("projection:io", "history delete failed: " + ex.getMessage(), ex);
        }
    }

    private DeviceTwin load(DeviceId id) {
        DeviceTwin cached = cache.get(id);
        if (cached != null) return cached;
        byte[] bytes = store.get(store.devices, Keys.device(id));
        return bytes == null ? DeviceTwin.empty(id) : DeviceTwinCodec.decode(bytes);
    }

    @Override
    public long checkpoint(String stream) {
        return checkpoints.getOrDefault(stream, 0L);
    }

    /** Every stream's checkpoint. */
    public Map<String, Long> checkpoints() {
        return Map.copyOf(checkpoints);
    }

    @Override
    public DeviceTwin raw(DeviceId id) {
        return load(id);
    }

    @Override
    public Optional<DeviceTwin> get(DeviceId id) {
        DeviceTwin t = load(id);
        return t.exists() ? Optional.of(t) : Optional.empty();
    }

    @Override
    public Page<DeviceTwin> list(ListFilter filter, String cursor, int limit) {
        if (limit <= 0) throw new IllegalArgumentException("limit must be positive");
        byte[] after = cursor == null ? null : decodeCursor(cursor);
        String indexValue = filter.node() != null ? filter.node() : filter.model();
        List<DeviceTwin> items = new ArrayList<>();
        boolean more = false;
        try (RocksIterator it = store.iterator(filter.node() != null ? store.byNode
                : filter.model() != null ? store.byModel : store.devices)) {
            // an index key is "value 0x00 device"; without an index, a namespace is the device key's prefix
            byte[] prefix = indexValue != null ? Keys.indexPrefix(indexValue)
                    : filter.namespace() != null ? Keys.indexPrefix(filter.namespace()) : new byte[0];
            int idFrom = indexValue == null ? 0 : prefix.length;
            byte[] start = after == null ? prefix : indexValue == null ? after : concat(prefix, after);
            if (indexValue == null && Arrays.compareUnsigned(start, prefix) < 0) start = prefix;
            for (it.seek(start); it.isValid() && Keys.startsWith(it.key(), prefix); it.next()) {
                byte[] key = it.key();
                if (after != null && key.length == idFrom + after.length && Arrays.equals(key, idFrom, key.length, after, 0, after.length)) {
                    continue;
                }
                DeviceId id = Keys.deviceId(key, idFrom, key.length);
                // never it.value(): devices is updated in place, an iterator may see a value being replaced (RocksStore)
                DeviceTwin twin = load(id);
                if (!filter.matches(twin)) continue;
                if (items.size() == limit) {
                    more = true;
                    break;
                }
                items.add(twin);
            }
        }
        String next = more ? encodeCursor(Keys.device(items.get(items.size() - 1).id())) : null;
        return new Page<>(items, next);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String encodeCursor(byte[] deviceKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(deviceKey);
    }

    private static byte[] decodeCursor(String cursor) {
        try {
            byte[] key = Base64.getUrlDecoder().decode(cursor);
            Keys.deviceId(key, 0, key.length);
            return key;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid cursor", e);
        }
    }

    @Override
    public List<Position> history(DeviceId id, long fromHlc, long toHlc, int limit) {
        byte[] prefix = Keys.historyPrefix(Keys.device(id));
        List<Position> out = new ArrayList<>();
        try (RocksIterator it = store.iterator(store.history)) {
            for (it.seek(Keys.historyFrom(prefix, Math.max(0, fromHlc))); it.isValid() && out.size() < limit; it.next()) {
                byte[] key = it.key();
                if (!Keys.startsWith(key, prefix)) break;
                long hlc = Keys.historyHlc(key, prefix.length);
                if (hlc > toHlc) break;
                out.add(new Position(Keys.historyStream(key, prefix.length), Keys.historySeq(key), hlc));
            }
        }
        return out;
    }

    RocksStore store() {
        return store;
    }

    @Override
    public synchronized String digest() {
        commit();
        return store.digest();
    }

    @Override
    public synchronized void close() {
        try {
            commit();
        } finally {
            store.close();
        }
    }
}
