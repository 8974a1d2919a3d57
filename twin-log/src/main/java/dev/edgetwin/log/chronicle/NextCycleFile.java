package dev.edgetwin.log.chronicle;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.RollingResourcesCache;
import net.openhft.chronicle.queue.impl.single.PrecreatedFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares the cycle file the journal will write next, before Chronicle needs it, so that the
 * writer's first append after a roll finds the file's first pages already in the page cache.
 *
 * <p>Why: a new cycle file is created by the appender on the writer's thread, at its first append
 * in the new cycle; its first write faults in a whole read-around window of a file nothing has
 * cached ({@code read_ahead_kb}, 8 MiB where measured), zero-filled on the writer: no append for
 * that long at every roll (once a day by default, every five minutes with
 * {@code --journal-roll five-minutely}) — 5.9 ms on the idle benchmark VM, 50–100 ms there when its
 * host must fault the memory in (twin-log FORMAT.md §4). The page warmer cannot help: the file does
 * not exist until that append.
 *
 * <p>How: Chronicle, when it creates cycle file {@code X.cq4}, first renames a file
 * {@code X.precreated} in the queue's folder to that name if one exists
 * ({@link PrecreatedFiles}), then writes its header into it as into a new, empty file. This class
 * makes that file from the warming thread within three seconds of the roll (or at once when
 * the current cycle has no file yet): a sparse file of the warming distance under a temporary
 * name ({@code X.precreating}), its pages cached with {@code posix_fadvise(WILLNEED)}, then moved
 * atomically to {@code X.precreated}. Nothing touches the file once it has that name, so
 * Chronicle may take it at any moment. Leftovers — a {@code .precreating} file of a killed node,
 * a {@code .precreated} one whose cycle passed without an append or whose cycle file Chronicle
 * made itself — are deleted when the cycle to prepare changes. The files hold no data and no
 * disk blocks (sparse); the journal's own listings and its disk budget count {@code .cq4} files
 * only. The lead is short because cached pages nobody touches do not stay: the kernel may reclaim
 * them (the benchmark VM's proactive reclaim took the first of them within seconds).
 */
final class NextCycleFile {
    private static final Logger LOG = LoggerFactory.getLogger(NextCycleFile.class);
    static final String READY = ".precreated";
    static final String MAKING = ".precreating";
    private static final long MAX_LEAD_MILLIS = TimeUnit.SECONDS.toMillis(3);
    private static final long CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final RollCycle roll;
    private final long epoch;
    private final LongSupplier clock;
    private final long leadMillis;
    private final long checkNanos;
    // the warming thread's own
    private RollingResourcesCache names;
    private File namesDir;
    private long checkedAt;
    private boolean checked;
    private int lastTarget = Integer.MIN_VALUE;
    private volatile int prepared;
    private volatile int checks;

    /**
     * @param roll  the queue's roll cycle
     * @param epoch the queue's epoch (0 unless set on its builder)
     * @param clock the queue's clock, epoch milliseconds
     */
    NextCycleFile(RollCycle roll, long epoch, LongSupplier clock) {
        this(roll, epoch, clock, CHECK_NANOS);
    }

    /** @param checkNanos how often at most {@link #prepare} looks (a second in a journal) */
    NextCycleFile(RollCycle roll, long epoch, LongSupplier clock, long checkNanos) {
        this.roll = roll;
        this.epoch = epoch;
        this.clock = clock;
        this.checkNanos = checkNanos;
        this.leadMillis = Math.min(MAX_LEAD_MILLIS, roll.lengthInMillis() / 2);
    }

    /**
     * Called by the warming thread (at most once a second does it look) with the folder of the cycle
     * file being written: makes the file of the cycle to come if it is due and missing, with its
     * first {@code bytes} cached. Returns the file made, or null.
     */
    File prepare(File dir, FileCache cache, long bytes, PageWarmer.Pacer pacer) throws IOException {
        long tick = System.nanoTime();
        if (checked && tick - checkedAt < checkNanos) return null;
        checked = true;
        checkedAt = tick;
        checks++;
        long now = clock.getAsLong();
        int current = (int) Math.floorDiv(now - epoch, (long) roll.lengthInMillis());
        long nextStart = epoch + (current + 1L) * roll.lengthInMillis();
        int target = nextStart - now <= leadMillis ? current + 1 : current;
        RollingResourcesCache names = names(dir);
        if (target != lastTarget) {
            removeLeftovers(dir, names, current);
            lastTarget = target;
        }
        File cycleFile = names.resourceFor(target).path;
        File ready = PrecreatedFiles.preCreatedFile(cycleFile);
        if (cycleFile.exists() || ready.exists()) return null;
        File making = new File(dir, baseName(cycleFile) + MAKING);
        try (RandomAccessFile raf = new RandomAccessFile(making, "rw")) {
            raf.setLength(bytes); // sparse: no disk blocks, zeros as Chronicle expects of a new file
        }
        int fd = cache.open(making.getPath());
        try {
            pacer.cache(fd, 0, bytes);
        } finally {
            cache.close(fd);
        }
        Files.move(making.toPath(), ready.toPath(), StandardCopyOption.ATOMIC_MOVE);
        prepared++;
        LOG.debug("journal: prepared {} ({} bytes cached) for the cycle starting in {} ms", ready, bytes, Math.max(0, nextStart - now));
        return ready;
    }

    /** The roll cycle it names files by. */
    RollCycle roll() {
        return roll;
    }

    /** Files made so far (for tests and diagnostics). */
    int prepared() {
        return prepared;
    }

    /** Looks so far (for tests). */
    int checks() {
        return checks;
    }

    private RollingResourcesCache names(File dir) {
        if (!dir.equals(namesDir)) {
            names = new RollingResourcesCache(roll, epoch, n -> new File(dir, n + ".cq4"), NextCycleFile::baseName);
            namesDir = dir;
        }
        return names;
    }

    private void removeLeftovers(File dir, RollingResourcesCache names, int current) {
        File[] files = dir.listFiles((d, n) -> n.endsWith(READY) || n.endsWith(MAKING));
        if (files == null) return;
        for (File f : files) {
            String n = f.getName();
            boolean stale;
            if (n.endsWith(MAKING)) {
                stale = true; // only this thread makes them, and it is not making one now
            } else {
                String base = n.substring(0, n.length() - READY.length());
                int cycle;
                try {
                    cycle = names.parseCount(base);
                } catch (RuntimeException e) {
                    continue; // not a name of this roll cycle: not ours
                }
                stale = cycle < current || new File(dir, base + ".cq4").exists();
            }
            if (stale && f.delete()) LOG.debug("journal: removed leftover {}", f);
        }
    }

    private static String baseName(File cycleFile) {
        String n = cycleFile.getName();
        return n.endsWith(".cq4") ? n.substring(0, n.length() - 4) : n;
    }
}
