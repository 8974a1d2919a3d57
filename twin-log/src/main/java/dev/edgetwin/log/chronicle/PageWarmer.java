package dev.edgetwin.log.chronicle;

import java.io.File;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import net.openhft.chronicle.queue.impl.StoreFileListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the page cache filled ahead of the journal's write position, on its own thread, so the
 * writer's page faults on the memory-mapped cycle file find their pages already cached.
 *
 * <p>Why: Chronicle extends a cycle file well beyond what is written, and the first write into a
 * part of it the kernel has not cached yet faults in a whole read-around window of the file
 * ({@code read_ahead_kb}, 8 MiB on the machine it was measured on), every page of it zero-filled on
 * the faulting thread. That cost 50–100 ms of the writer's time once per 8 MiB of journal, during
 * which no append, PUBACK or replication moved — the whole tail of the end-to-end latency
 * (benchmarks/RESULTS.md). This thread does the same fill off the writer's path: it asks the kernel
 * to cache the part ahead with {@code posix_fadvise(WILLNEED)} ({@link FileCache}), 64 KiB at a time
 * with pauses between, so it never holds a core for long either. WILLNEED caches exactly the range
 * asked (a plain {@code pread} here was widened by the kernel's read-ahead into the same 8 MiB
 * bursts) and, where the memory is already the guest's, costs a quarter of faulting the pages in
 * through a mapping of its own, which an earlier version did. Caching changes nothing in the file.
 *
 * <p>The writer reports where it wrote ({@link #wrote}); this thread has the kernel cache up to
 * {@code aheadBytes} past that, within the file's current length, and is woken only when the writer
 * comes within half of that distance of what is warm. A file it cannot open or advise is logged once
 * and left alone: warming is an optimisation, never a reason to fail an append.
 *
 * <p>With a {@link NextCycleFile}, the same thread also makes the cycle file to come, its first
 * {@code aheadBytes} cached, shortly before the roll (the file a roll starts does not exist before
 * the writer's first append in it, so there is nothing ahead of the writer to warm until then).
 */
final class PageWarmer implements StoreFileListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PageWarmer.class);
    private static final int STEP_BYTES = 64 * 1024;
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final long aheadBytes;
    private volatile NextCycleFile next;
    private final Map<Integer, File> files = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile int cycle = Integer.MIN_VALUE;
    private volatile long position;
    private volatile long warmTo;
    private volatile long warmedBytes;
    private volatile long wakes;
    private volatile boolean closed;
    // the warming thread's own
    private FileCache cache; // loaded on this thread when first needed (JNA), not by every journal that opens
    private File current;
    private int fd = -1;
    private File failed;
    private String prepareFailed;

    /** @param aheadBytes how far past the write position to keep warm; 0 starts no thread and warms nothing */
    PageWarmer(long aheadBytes, String name) {
        if (aheadBytes < 0) throw new IllegalArgumentException("aheadBytes must be >= 0, got " + aheadBytes);
        this.aheadBytes = aheadBytes;
        this.thread = aheadBytes > 0 ? DaemonThread.start("journal-warm-" + name, this::run) : null;
    }

    @Override
    public void onAcquired(int cycle, File file) {
        if (file != null && file.getName().endsWith(".cq4")) files.put(cycle, file);
    }

    @Override
    public void onReleased(int cycle, File file) {
        // the active cycle's file stays acquired while it is written; an older one is simply no longer reported
    }

    /** On the writer's thread, after an append: the cycle written and the file offset its next write goes to. */
    void wrote(int cycle, long position) {
        if (thread == null) return;
        boolean moved = cycle != this.cycle;
        if (moved) this.cycle = cycle;
        this.position = position;
        if (moved || position > warmTo - aheadBytes / 2) {
            wakes++;
            LockSupport.unpark(thread);
        }
    }

    /** How often {@link #wrote} woke the thread. */
    long wakes() {
        return wakes;
    }

    /** The file offset up to which the current cycle file has been cached (for tests and diagnostics). */
    long warmTo() {
        return warmTo;
    }

    /**
     * From now on also prepares the cycle file to come with {@code next}, in the folder of the one being
     * written. Set once the queue is open: its roll cycle is the one its files were made with, which may
     * differ from the one asked for.
     */
    void prepareNextCycles(NextCycleFile next) {
        this.next = next;
    }

    /** What prepares the cycle file to come, or null. */
    NextCycleFile nextCycleFile() {
        return next;
    }

    /** Bytes cached ahead since start. */
    long warmedBytes() {
        return warmedBytes;
    }

    private void run() {
        while (!closed) {
            LockSupport.parkNanos(this, IDLE_NANOS);
            if (closed) break;
            try {
                warm();
            } catch (IOException | RuntimeException e) {
                if (!current.equals(failed)) LOG.warn("journal page warming stopped for {}: {}", current, e.toString());
                failed = current;
            }
            NextCycleFile n = next;
            if (n != null && current != null && cache != null && !closed) prepareNext(n);
        }
        closeFile();
    }

    private void prepareNext(NextCycleFile next) {
        try {
            next.prepare(current.getParentFile(), cache, aheadBytes, this::cacheRange);
            prepareFailed = null;
        } catch (IOException | RuntimeException e) {
            String why = e.toString();
            if (!why.equals(prepareFailed)) LOG.warn("journal: cannot prepare the next cycle file in {}: {}", current.getParentFile(), why);
            prepareFailed = why;
        }
    }

    /** Has the kernel cache {@code length} bytes of {@code fd} from {@code offset}, in paced steps; stops early when closed. */
    private void cacheRange(int fd, long offset, long length) throws IOException {
        for (long at = offset, end = offset + length; at < end && !closed; ) {
            at += step(fd, at, Math.min(STEP_BYTES, end - at));
        }
    }

    /** One step: caches {@code length} bytes at {@code at}, then pauses as long as that took, so this thread never takes more than half a core. */
    private long step(int fd, long at, long length) throws IOException {
        long t0 = System.nanoTime();
        cache.willNeed(fd, at, length);
        LockSupport.parkNanos(Math.min(System.nanoTime() - t0, MAX_PAUSE_NANOS));
        return length;
    }

    /** Caches a range of an open file for {@link NextCycleFile}, paced as the warming itself. */
    @FunctionalInterface
    interface Pacer {
        void cache(int fd, long offset, long length) throws IOException;
    }

    private void warm() throws IOException {
        int c = cycle;
        File file = files.get(c);
        if (file == null) return;
        if (!file.equals(current)) {
            closeFile();
            current = file;
            files.keySet().removeIf(k -> k < c); // cycles the writer has left
            if (cache == null) cache = FileCache.load();
            fd = cache.open(file.getPath());
            warmTo = position;
        }
        if (file.equals(failed)) return;
        long at = Math.max(warmTo, position);
        long limit = Math.min(position + aheadBytes, file.length());
        while (at < limit) {
            if (closed || cycle != c) return;
            long step = step(fd, at, Math.min(STEP_BYTES, limit - at));
            at += step;
            warmedBytes += step;
            warmTo = at;
        }
    }

    private void closeFile() {
        if (fd >= 0) cache.close(fd);
        fd = -1;
    }

    @Override
    public void close() {
        closed = true;
        if (thread == null) return;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
