package dev.edgetwin.sync.vertx;

import dev.edgetwin.log.TrimResult;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.TwinWriter;
import dev.edgetwin.log.model.TwinError;
import dev.edgetwin.sync.ReplicationStatus;
import dev.edgetwin.sync.wire.SyncProtocol;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The edge's journal retention (PROTOCOL.md §7, twin-log FORMAT.md §6): every few seconds asks
 * the writer thread to trim journal files older than the retention age, or beyond the disk
 * budget — but never entries of {@code edge/<node>} the cloud has not acknowledged (as last
 * heard from the sync client; nothing of it is trimmed before the cloud said so). When the
 * journal stays over its budget because the cloud has not acknowledged enough, local writes are
 * refused with {@code twin:storage.full} (HTTP 507) until it has: a full disk becomes
 * backpressure, never loss. Meters: journal bytes, unacknowledged entries, full flag, trimmed
 * entries and files, refused writes.
 */
public final class EdgeRetention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeRetention.class);
    public static final String STORAGE_FULL = "twin:storage.full";

    /**
     * @param maxAge       trim journal files whose entries are older than this (null or zero: no age limit)
     * @param maxBytes     the journal's budget, counting its files at their apparent size (Chronicle preallocates
     *                     each cycle file sparsely, some tens of MiB); 0: none
     * @param minFreeBytes keep at least this much free on the journal's file system: below it, trim everything
     *                     acknowledged, and refuse local writes while still below (0: no floor)
     * @param checkEvery   how often a retention pass runs
     */
    public record Options(Duration maxAge, long maxBytes, long minFreeBytes, Duration checkEvery) {
        public static final long DEFAULT_MIN_FREE_BYTES = 256L << 20;

        public Options(Duration maxAge, long maxBytes, Duration checkEvery) {
            this(maxAge, maxBytes, 0, checkEvery);
        }

        public Options {
            if (maxBytes < 0 || minFreeBytes < 0) throw new IllegalArgumentException("the journal budget and free-space floor must be >= 0");
            if (maxAge != null && maxAge.isNegative()) throw new IllegalArgumentException("retention must be >= 0");
            if (checkEvery == null || checkEvery.toMillis() < 10) throw new IllegalArgumentException("retention check interval must be >= 10 ms");
        }

        public boolean enabled() {
            return (maxAge != null && !maxAge.isZero()) || maxBytes > 0 || minFreeBytes > 0;
        }
    }

    private final Vertx vertx;
    private final TwinStore store;
    private final TwinWriter writer;
    private final SyncClient client;
    private final Options options;
    private final String own;
    private final AtomicBoolean running = new AtomicBoolean();
    private final Counter trimmedEntries;
    private final Counter trimmedFiles;
    private final Counter refused;
    private volatile boolean full;
    private volatile boolean blocked;
    private long timer = -1;

    /** @param client the sync client whose acknowledgements bound trimming; null for an edge without a cloud */
    public EdgeRetention(Vertx vertx, TwinStore store, TwinWriter writer, SyncClient client, MeterRegistry registry, Options options) {
        this.vertx = vertx;
        this.store = store;
        this.writer = writer;
        this.client = client;
        this.options = options;
        this.own = SyncProtocol.edgeStream(store.nodeId());
        this.trimmedEntries = Counter.builder("edgetwin.retention.trimmed.entries").description("journal entries trimmed by retention")
                .register(registry);
        this.trimmedFiles = Counter.builder("edgetwin.retention.trimmed.files").description("journal files deleted by retention")
                .register(registry);
        this.refused = Counter.builder("edgetwin.retention.refused.writes")
                .description("local writes refused because the journal is over its budget with entries the cloud has not acknowledged")
                .register(registry);
        Gauge.builder("edgetwin.journal.bytes", this, r -> r.diskBytes()).baseUnit("bytes").description("journal files on disk")
                .register(registry);
        Gauge.builder("edgetwin.retention.unacked.entries", this, EdgeRetention::unacked)
                .description("entries of edge/<node> the cloud has not acknowledged (NaN: not known yet)").register(registry);
        Gauge.builder("edgetwin.retention.storage.full", this, r -> r.full ? 1 : 0)
                .description("1 while local writes are refused: journal over budget, waiting for acknowledgements").register(registry);
    }

    private double diskBytes() {
        try {
            return store.journalDiskBytes();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private double unacked() {
        Long acked = cloudAcked();
        return acked == null ? Double.NaN : Math.max(0, store.journal().nextSeq(own) - acked);
    }

    private Long cloudAcked() {
        if (client == null) return null;
        ReplicationStatus.StreamLag up = client.status().up();
        return up.replica();
    }

    /** Starts the periodic passes and the write gate. */
    public void start() {
        if (!options.enabled()) return;
        writer.admission(this::admit);
        timer = vertx.setPeriodic(options.checkEvery().toMillis(), id -> runOnce());
        LOG.info("retention {}: files older than {}, beyond {} bytes or with less than {} bytes free go once the cloud acknowledged them, "
                + "checked every {}", store.nodeId(), options.maxAge() == null || options.maxAge().isZero() ? "(no age limit)" : options.maxAge(),
                options.maxBytes() == 0 ? "(no budget)" : options.maxBytes(), options.minFreeBytes(), options.checkEvery());
    }

    private TwinError admit() {
        if (!full) return null;
        refused.increment();
        return new TwinError(STORAGE_FULL, 507, "the journal is over its budget (" + options.maxBytes() + " bytes, or less than "
                + options.minFreeBytes() + " bytes free on its disk) and its oldest entries are not acknowledged by the cloud yet ("
                + (long) unacked() + " entries waiting); writes resume once they are");
    }

    private long usableSpace() {
        try {
            return java.nio.file.Files.getFileStore(store.journalDir()).getUsableSpace();
        } catch (java.io.IOException e) {
            return Long.MAX_VALUE;
        }
    }

    /** One retention pass through the writer; passes never overlap. */
    public void runOnce() {
        if (!running.compareAndSet(false, true)) return;
        Long acked = cloudAcked();
        Map<String, Long> keepFrom = Map.of(own, acked == null ? store.journal().firstSeq(own) : acked,
                SyncProtocol.cloudStream(store.nodeId()), Long.MAX_VALUE);
        long cutoff = options.maxAge() == null || options.maxAge().isZero() ? Long.MIN_VALUE : System.currentTimeMillis() - options.maxAge().toMillis();
        boolean lowOnDisk = options.minFreeBytes() > 0 && usableSpace() < options.minFreeBytes();
        long target = lowOnDisk ? 0 : options.maxBytes() > 0 ? options.maxBytes() * 9 / 10 : -1;
        writer.call(() -> store.trim(keepFrom, cutoff, target)).whenComplete((r, e) -> {
            running.set(false);
            if (e != null) {
                LOG.warn("retention {}: pass failed: {}", store.nodeId(), e.toString());
                return;
            }
            record(r);
        });
    }

    private void record(TrimResult r) {
        trimmedEntries.increment(r.entriesTrimmed());
        trimmedFiles.increment(r.files());
        boolean nowFull = (options.maxBytes() > 0 && r.diskBytes() > options.maxBytes())
                || (options.minFreeBytes() > 0 && usableSpace() < options.minFreeBytes());
        if (nowFull != full) {
            if (nowFull) {
                LOG.warn("retention {}: journal at {} bytes (budget {}), {} bytes free on its disk (floor {}), and the cloud has not "
                        + "acknowledged enough to trim: local writes are refused ({}) until it has", store.nodeId(), r.diskBytes(),
                        options.maxBytes(), usableSpace(), options.minFreeBytes(), STORAGE_FULL);
            } else {
                LOG.info("retention {}: journal back under its budget ({} bytes): local writes accepted again", store.nodeId(), r.diskBytes());
            }
        }
        full = nowFull;
        if (r.blocked() && !blocked) {
            LOG.info("retention {}: older files wait for the cloud to acknowledge {} (acknowledged up to {})", store.nodeId(), own, cloudAcked());
        }
        blocked = r.blocked();
    }

    public boolean storageFull() {
        return full;
    }

    @Override
    public void close() {
        if (timer >= 0) vertx.cancelTimer(timer);
        writer.admission(null);
    }
}
