package dev.edgetwin.log.cli;

import dev.edgetwin.log.JournalEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Hands journal entries, in batches and in order, to one worker thread, so that the journal
 * scan (Chronicle read, CRC, hash chain) and the work on its entries (event decoding, merging,
 * projection writes) run on two cores. At most one batch is being worked on while the next one
 * fills: memory stays bounded by two batches. The worker sees batches in scan order, one at a
 * time. A failure of the worker surfaces at the next {@link #accept} or at {@link #finish}.
 * Used from one scanning thread.
 */
final class BatchPipeline implements AutoCloseable {
    static final int DEFAULT_BATCH = 16_384;

    private final int batchSize;
    private final Consumer<List<JournalEntry>> work;
    private final ExecutorService worker;
    private List<JournalEntry> batch;
    private Future<?> pending;

    BatchPipeline(String name, int batchSize, Consumer<List<JournalEntry>> work) {
        this.batchSize = batchSize;
        this.work = work;
        this.batch = new ArrayList<>(batchSize);
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "twinctl-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    void accept(JournalEntry e) {
        batch.add(e);
        if (batch.size() == batchSize) handOff();
    }

    private void handOff() {
        await();
        List<JournalEntry> full = batch;
        batch = new ArrayList<>(batchSize);
        pending = worker.submit(() -> work.accept(full));
    }

    /** Hands off what is left and waits until the worker has done everything. */
    void finish() {
        if (!batch.isEmpty()) handOff();
        await();
    }

    private void await() {
        if (pending == null) return;
        try {
            pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + work, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } finally {
            pending = null;
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
