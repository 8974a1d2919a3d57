package dev.edgetwin.log.rocksdb;

import dev.edgetwin.log.ProjectionException;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.ConfigOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.function.BiConsumer;

/**
 * The RocksDB database behind the projection: its column families and options. WAL off for
 * every write and atomic flush on (see {@link RocksProjection} for why that is safe); close
 * flushes all column families together.
 *
 * <p>{@code devices} updates its memtable in place ({@code inplace_update_support}): a twin
 * written again replaces its entry in the memtable when the new version is no longer, instead
 * of adding one more version beside it. Under MQTT ingest every update writes its twin, so the
 * memtable used to fill with superseded versions (~200 bytes each, 128 MB in seconds), and
 * flushes walked them and compactions followed; now it holds about one entry per twin written
 * since the last flush (RESULTS.md (f)). The price, by RocksDB's contract: an iterator over
 * {@code devices} may see a value while it is being replaced, so values there are read with
 * {@code get} (which takes the entry's lock) while the node runs — {@link RocksProjection#list}
 * reads only keys from its iterator. Read-only views read flushed files, never the memtable.
 * The WAL is off and there is one writer, so RocksDB's requirement that memtable writes be
 * serial costs nothing.
 *
 * <p>{@code history} keeps a memtable insert hint per device tag (RocksDB's
 * {@code memtable_insert_with_hint_prefix_extractor}, see {@link Keys}): an insert starts from
 * where the same device's last one went instead of searching the skip list from the top.
 *
 * <p>{@code history} compacts its level 0 into the levels below once {@value #HISTORY_L0_TRIGGER}
 * files wait there, not 2: its keys lead with the device tag, so every flushed file spans the
 * whole key range and each compaction rewrites all of the history beneath it. Under MQTT ingest
 * that rewrote 0.3–1 GB to keep ~200 MB (3.5–8.4 s of CPU in 50 s); with 8 it rewrote ~200 MB
 * (1.8–2.1 s; RESULTS.md (f)). The cost is up to 8 more files for a history query to look into.
 */
final class RocksStore implements AutoCloseable {
    static final List<String> FAMILIES = List.of("devices", "checkpoints", "by_node", "by_model", "history", "meta");
    private static final String HISTORY_HINT = "rocksdb.FixedPrefix." + Keys.TAG;
    static final int HISTORY_L0_TRIGGER = 8;

    static {
        RocksDB.loadLibrary();
    }

    private final RocksDB db;
    private final DBOptions dbOptions;
    private final List<ColumnFamilyOptions> cfOptions;
    private final WriteOptions writeOptions;
    private final List<ColumnFamilyHandle> handles;
    private final boolean readOnly;
    final ColumnFamilyHandle devices;
    final ColumnFamilyHandle checkpoints;
    final ColumnFamilyHandle byNode;
    final ColumnFamilyHandle byModel;
    final ColumnFamilyHandle history;
    final ColumnFamilyHandle meta;

    private RocksStore(RocksDB db, DBOptions dbOptions, List<ColumnFamilyOptions> cfOptions, List<ColumnFamilyHandle> handles,
                       boolean readOnly) {
        this.db = db;
        this.readOnly = readOnly;
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.handles = handles;
        this.writeOptions = new WriteOptions().setDisableWAL(true);
        // handles.get(0) is RocksDB's mandatory default family, unused
        this.devices = handles.get(1);
        this.checkpoints = handles.get(2);
        this.byNode = handles.get(3);
        this.byModel = handles.get(4);
        this.history = handles.get(5);
        this.meta = handles.get(6);
    }

    static RocksStore open(Path dir) {
        DBOptions dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setAtomicFlush(true)
                .setAllowConcurrentMemtableWrite(false)
                .setMaxBackgroundJobs(2)
                .setKeepLogFileNum(2);
        ColumnFamilyOptions plain = new ColumnFamilyOptions().optimizeLevelStyleCompaction();
        List<ColumnFamilyOptions> cfOptions = new ArrayList<>(List.of(plain));
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, plain));
        for (String f : FAMILIES) {
            ColumnFamilyOptions o = plain;
            if (f.equals("devices")) {
                o = new ColumnFamilyOptions().optimizeLevelStyleCompaction().setInplaceUpdateSupport(true);
                cfOptions.add(o);
            } else if (f.equals("history")) {
                o = withInsertHint(HISTORY_HINT).setLevel0FileNumCompactionTrigger(HISTORY_L0_TRIGGER);
                cfOptions.add(o);
            }
            descriptors.add(new ColumnFamilyDescriptor(f.getBytes(StandardCharsets.UTF_8), o));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
            return new RocksStore(db, dbOptions, cfOptions, handles, false);
        } catch (RocksDBException | java.io.IOException e) {
            dbOptions.close();
            cfOptions.forEach(ColumnFamilyOptions::close);
            throw new ProjectionException("projection:io", "cannot open projection at " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens an existing projection read-only: takes no lock and writes nothing, so it works
     * while the node that owns it runs. It sees only what was flushed to SST files (the WAL is
     * off); atomic flush makes that a state the projection really had, with matching checkpoints.
     * All table files are opened up front (max_open_files -1), so a compaction of the running
     * node deleting them later cannot pull them away from this view.
     */
    static RocksStore openReadOnly(Path dir) {
        DBOptions dbOptions = new DBOptions().setMaxOpenFiles(-1);
        ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        for (String f : FAMILIES) descriptors.add(new ColumnFamilyDescriptor(f.getBytes(StandardCharsets.UTF_8), cfOptions));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksStore store;
        try (Options listing = new Options()) {
            if (!Files.isDirectory(dir)) throw new RocksDBException("no projection directory");
            if (RocksDB.listColumnFamilies(listing, dir.toString()).stream().noneMatch(f -> Arrays.equals(f, "meta".getBytes(StandardCharsets.UTF_8)))) {
                throw staleLayout(dir, 1);
            }
            RocksDB db = RocksDB.openReadOnly(dbOptions, dir.toString(), descriptors, handles);
            store = new RocksStore(db, dbOptions, List.of(cfOptions), handles, true);
        } catch (RocksDBException e) {
            dbOptions.close();
            cfOptions.close();
            throw new ProjectionException("projection:io", "cannot open projection at " + dir + " read-only: " + e.getMessage(), e);
        } catch (ProjectionException e) {
            dbOptions.close();
            cfOptions.close();
            throw e;
        }
        long layout = store.layout();
        if (layout != Keys.LAYOUT && layout != 0) {
            store.close();
            throw staleLayout(dir, layout);
        }
        return store;
    }

    private static ProjectionException staleLayout(Path dir, long layout) {
        return new ProjectionException("projection:layout", "the projection at " + dir + " has key layout " + layout
                + ", this version reads " + Keys.LAYOUT + ": its node rebuilds it from the journal on its next start", null);
    }

    private static ColumnFamilyOptions withInsertHint(String prefixExtractor) {
        Properties p = new Properties();
        p.setProperty("memtable_insert_with_hint_prefix_extractor", prefixExtractor);
        try (ConfigOptions config = new ConfigOptions()) {
            ColumnFamilyOptions o = ColumnFamilyOptions.getColumnFamilyOptionsFromProps(config, p);
            if (o == null) throw new IllegalStateException("RocksDB did not take " + p);
            return o.optimizeLevelStyleCompaction();
        }
    }

    /**
     * The key layout the projection was written with: its meta record, or 1 for a projection
     * from before layouts were recorded (its data without the record), or 0 for an empty one.
     */
    long layout() {
        byte[] v = get(meta, Keys.LAYOUT_KEY);
        if (v != null) return Keys.getLong(v, 0);
        for (ColumnFamilyHandle f : List.of(devices, checkpoints, history)) {
            try (RocksIterator it = db.newIterator(f)) {
                it.seekToFirst();
                if (it.isValid()) return 1;
            }
        }
        return 0;
    }

    /**
     * Records that the projection is written with {@link Keys#LAYOUT}, on disk at once (the WAL is
     * off): a read-only view of a running node, which sees only flushed files, must find it as a
     * rebuild of the projection holds it. Called on an empty projection, so the flush is small.
     */
    void markLayout() {
        try {
            db.put(meta, writeOptions, Keys.LAYOUT_KEY, Keys.longBytes(Keys.LAYOUT));
            flush();
        } catch (RocksDBException e) {
            throw new ProjectionException("projection:io", "cannot record the projection's layout: " + e.getMessage(), e);
        }
    }

    static void destroy(Path dir) {
        try (Options options = new Options()) {
            if (Files.exists(dir)) RocksDB.destroyDB(dir.toString(), options);
        } catch (RocksDBException e) {
            throw new ProjectionException("projection:io", "cannot delete projection at " + dir + ": " + e.getMessage(), e);
        }
    }

    void write(WriteBatch batch) throws RocksDBException {
        db.write(writeOptions, batch);
    }

    byte[] get(ColumnFamilyHandle cf, byte[] key) {
        try {
            return db.get(cf, key);
        } catch (RocksDBException e) {
            throw new ProjectionException("projection:io", "read failed: " + e.getMessage(), e);
        }
    }

    /** A numeric RocksDB property of family {@code cf}, e.g. {@code rocksdb.num-entries-active-mem-table}. */
    long property(ColumnFamilyHandle cf, String name) {
        try {
            return db.getLongProperty(cf, name);
        } catch (RocksDBException e) {
            throw new ProjectionException("projection:io", "cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    RocksIterator iterator(ColumnFamilyHandle cf) {
        return db.newIterator(cf);
    }

    void forEach(ColumnFamilyHandle cf, BiConsumer<byte[], byte[]> action) {
        try (RocksIterator it = db.newIterator(cf)) {
            for (it.seekToFirst(); it.isValid(); it.next()) action.accept(it.key(), it.value());
        }
    }

    /** SHA-256 over every family's name, keys and values, in order. */
    String digest() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < FAMILIES.size(); i++) {
                md.update(FAMILIES.get(i).getBytes(StandardCharsets.UTF_8));
                forEach(handles.get(i + 1), (k, v) -> {
                    md.update(Keys.longBytes(k.length));
                    md.update(k);
                    md.update(Keys.longBytes(v.length));
                    md.update(v);
                });
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the memtables of every family to files now (atomically, as RocksDB does on its own when they fill). */
    void flush() throws RocksDBException {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush, handles);
        }
    }

    @Override
    public void close() {
        if (readOnly) {
            closeHandles();
            return;
        }
        try {
            flush();
        } catch (RocksDBException e) {
            // not fatal: the journal replays whatever did not reach the disk
            org.slf4j.LoggerFactory.getLogger(RocksStore.class).warn("projection flush on close failed: {}", e.getMessage());
        }
        closeHandles();
    }

    private void closeHandles() {
        for (ColumnFamilyHandle h : handles) h.close();
        db.close();
        writeOptions.close();
        dbOptions.close();
        cfOptions.forEach(ColumnFamilyOptions::close);
    }
}
