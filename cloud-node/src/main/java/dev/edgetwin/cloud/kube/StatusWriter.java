package dev.edgetwin.cloud.kube;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Writes device statuses on its own thread ({@code kube-status}), coalesced and rate-limited per
 * device by a {@link StatusThrottle}; failed writes are retried with exponential backoff (one log line
 * per failure). {@link #changed} may be called from any thread and never blocks on Kubernetes.
 * {@link #close} lets pending writes run (waiting up to one interval plus ten seconds), then stops.
 */
final class StatusWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);

    /** Writes one device's status; throws when Kubernetes refuses or cannot be reached. */
    interface Sink {
        void write(String key) throws Exception;
    }

    private final Sink sink;
    private final BridgeMetrics metrics;
    private final Duration interval;
    private final Duration maxRetryDelay;
    private final StatusThrottle throttle;
    private final Map<String, Integer> failures = new HashMap<>();
    private final ScheduledThreadPoolExecutor executor;
    private boolean closed;

    StatusWriter(Sink sink, BridgeMetrics metrics, Duration interval, Duration maxRetryDelay) {
        this.sink = sink;
        this.metrics = metrics;
        this.interval = interval;
        this.maxRetryDelay = maxRetryDelay;
        this.throttle = new StatusThrottle(interval.toNanos());
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "kube-status");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    /** The twin of {@code key} changed: its status will be written within one interval. */
    void changed(String key) {
        long delay;
        synchronized (this) {
            if (closed) return;
            delay = throttle.changed(key, System.nanoTime());
        }
        if (delay == StatusThrottle.PENDING) {
            metrics.statusCoalesced();
            return;
        }
        schedule(key, delay);
    }

    /** The Device of {@code key} is gone: no more writes for it. */
    synchronized void forget(String key) {
        throttle.forget(key);
        failures.remove(key);
    }

    private void schedule(String key, long delayNanos) {
        try {
            executor.schedule(() -> write(key), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            LOG.debug("status of {} not written: the bridge is stopping", key);
        }
    }

    private void write(String key) {
        synchronized (this) {
            throttle.starting(key, System.nanoTime());
        }
        try {
            sink.write(key);
            synchronized (this) {
                failures.remove(key);
            }
        } catch (Exception e) {
            metrics.statusWrite("failed");
            int attempt;
            long delay;
            synchronized (this) {
                if (closed) {
                    LOG.warn("DeviceStatus {} write failed while stopping, not retried: {}", key, e.toString());
                    return;
                }
                attempt = failures.merge(key, 1, Integer::sum);
                delay = throttle.failed(key, System.nanoTime(), Backoff.delay(attempt, maxRetryDelay).toNanos());
            }
            if (delay == StatusThrottle.PENDING) {
                LOG.warn("DeviceStatus {} write failed (attempt {}): {}; a newer write is pending", key, attempt, e.toString());
                return;
            }
            LOG.warn("DeviceStatus {} write failed (attempt {}): {}; retrying in {} ms", key, attempt, e.toString(),
                    TimeUnit.NANOSECONDS.toMillis(delay));
            schedule(key, delay);
        }
    }

    /** True when a write of {@code key} is pending (tests, diagnostics). */
    synchronized boolean pending(String key) {
        return throttle.pending(key);
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        executor.shutdown();   // pending delayed writes still run: the last values reach Kubernetes
        try {
            if (!executor.awaitTermination(interval.toMillis() + 10_000, TimeUnit.MILLISECONDS)) {
                LOG.warn("DeviceStatus writes still pending after {} ms: dropped (the next start writes them)",
                        interval.toMillis() + 10_000);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }
}
