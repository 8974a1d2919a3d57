package dev.edgetwin.cloud.kube;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Device keys waiting to be reconciled, worked off by one thread ({@code kube-reconcile}), like
 * client-go's work queue: a key queued twice before it runs runs once (so a burst of events for one
 * Device costs one reconciliation, which reads the latest state), one key never runs on two threads,
 * and a failed key is retried with exponential backoff, one log line per failure.
 * {@link #enqueue} never blocks.
 */
final class ReconcileQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReconcileQueue.class);

    interface Worker {
        void reconcile(String key) throws Exception;
    }

    /**
     * Thrown by a worker when the key must run again for an expected reason (a Device changed while
     * it was being written: an optimistic-lock conflict); retried with the same backoff, logged at debug.
     */
    static final class Again extends Exception {
        Again(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Worker worker;
    private final Duration maxRetryDelay;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor executor;
    private volatile boolean closed;

    ReconcileQueue(Worker worker, Duration maxRetryDelay) {
        this.worker = worker;
        this.maxRetryDelay = maxRetryDelay;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "kube-reconcile");
            t.setDaemon(true);
            return t;
        });
        // on close, queued keys are dropped: the next start reconciles every Device anyway
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setRemoveOnCancelPolicy(true);
    }

    void enqueue(String key) {
        if (!queued.add(key)) return;
        try {
            executor.execute(() -> run(key));
        } catch (RejectedExecutionException stopping) {
            queued.remove(key);
        }
    }

    /** Runs {@code task} on the queue's thread, after the keys queued before it. */
    void execute(Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("kube bridge task failed: {}", e.toString(), e);
                }
            });
        } catch (RejectedExecutionException stopping) {
            LOG.debug("kube bridge task dropped: stopping");
        }
    }

    private void run(String key) {
        queued.remove(key);   // an event from here on queues the key again: nothing is missed
        if (closed) return;
        try {
            worker.reconcile(key);
            failures.remove(key);
        } catch (Exception e) {
            int attempt = failures.merge(key, 1, Integer::sum);
            Duration delay = Backoff.delay(attempt, maxRetryDelay);
            if (e instanceof Again) {
                LOG.debug("Device {}: {}; again in {} ms", key, e.getMessage(), delay.toMillis());
            } else {
                LOG.warn("reconciling Device {} failed (attempt {}): {}; retrying in {} ms", key, attempt, e.toString(),
                        delay.toMillis());
            }
            try {
                executor.schedule(() -> enqueue(key), delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                LOG.debug("retry of {} dropped: stopping", key);
            }
        }
    }

    /** Waits for the running reconciliation (up to 30 s), drops the queued ones and stops the thread. */
    @Override
    public void close() {
        closed = true;
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) executor.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }
}
