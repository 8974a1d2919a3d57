package dev.edgetwin.log.chronicle;

import dev.edgetwin.log.FsyncPolicy;
import dev.edgetwin.log.JournalException;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import net.openhft.chronicle.queue.impl.StoreFileListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@link FsyncPolicy} to the active segment. Chronicle writes through a shared
 * memory mapping; on Linux an {@code fsync} of the file also writes back pages dirtied
 * through a mapping, so this forces each cycle file Chronicle has acquired through its own
 * read-only {@link FileChannel} — no access to the (single-thread) appender is needed, and
 * the interval thread never blocks appends. A cycle file that Chronicle releases (after a
 * roll) is forced once more and then forgotten.
 */
final class Fsyncer implements StoreFileListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Fsyncer.class);

    private final FsyncPolicy policy;
    private final Map<File, FileChannel> files = new ConcurrentHashMap<>();
    private final AtomicLong forces = new AtomicLong();
    private final Thread thread;
    private volatile boolean dirty;
    private volatile boolean closed;

    Fsyncer(FsyncPolicy policy, String name) {
        this.policy = policy;
        this.thread = policy.mode() == FsyncPolicy.Mode.INTERVAL ? DaemonThread.start("journal-fsync-" + name, this::run) : null;
    }

    @Override
    public void onAcquired(int cycle, File file) {
        if (file == null || !file.getName().endsWith(".cq4")) return;
        files.computeIfAbsent(file, f -> {
            try {
                return FileChannel.open(f.toPath(), StandardOpenOption.READ);
            } catch (IOException e) {
                LOG.warn("cannot open {} for fsync: {}", f, e.toString());
                return null;
            }
        });
    }

    @Override
    public void onReleased(int cycle, File file) {
        // Chronicle may release and re-acquire a file many times (tailers too): keep the channel
        // until close, forcing an unchanged file is cheap
    }

    /** Called after every append batch: forces now under {@code always}, marks dirty otherwise. */
    void afterAppend() {
        if (policy.mode() == FsyncPolicy.Mode.ALWAYS) force();
        else dirty = true;
    }

    /** Forces every cycle file of the active segment to disk. */
    void force() {
        dirty = false;
        for (Map.Entry<File, FileChannel> e : files.entrySet()) {
            try {
                e.getValue().force(false);
            } catch (IOException ex) {
                throw new JournalException("journal:io", "fsync of " + e.getKey() + " failed: " + ex, ex);
            }
        }
        forces.incrementAndGet();
    }

    long forces() {
        return forces.get();
    }

    int trackedFiles() {
        return files.size();
    }

    private void run() {
        long sleep = policy.interval().toMillis();
        while (!closed) {
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                return;
            }
            if (dirty && !closed) {
                try {
                    force();
                } catch (RuntimeException e) {
                    LOG.error("journal interval fsync failed", e);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) thread.interrupt();
        if (policy.mode() != FsyncPolicy.Mode.NEVER) force();
        for (FileChannel ch : files.values()) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing a read-only channel cannot lose data
            }
        }
        files.clear();
    }
}
