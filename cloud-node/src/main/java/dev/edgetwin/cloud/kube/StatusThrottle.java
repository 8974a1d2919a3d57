package dev.edgetwin.cloud.kube;

import java.util.HashMap;
import java.util.Map;

/**
 * When to write each device's status (pure; times in nanoseconds from any origin; not thread-safe).
 *
 * <p>Rules: a device has at most one write pending; a change while one is pending is coalesced into
 * it (the write reads the twin when it runs, so it carries the latest values). A write starts no
 * sooner than {@code interval} after the previous one of the same device started, so a device costs
 * at most one write per interval however fast it reports, and a change after a write has started
 * schedules the next one, so the last value is always written. A failed write is retried after
 * {@code max(interval, backoff)}.
 */
final class StatusThrottle {
    /** Returned instead of a delay when a write is already pending. */
    static final long PENDING = -1;

    private static final class Slot {
        boolean pending;
        boolean written;
        long lastStart;
    }

    private final long interval;
    private final Map<String, Slot> slots = new HashMap<>();

    StatusThrottle(long intervalNanos) {
        if (intervalNanos <= 0) throw new IllegalArgumentException("interval must be positive");
        this.interval = intervalNanos;
    }

    /** {@code key} changed at {@code now}: the delay after which to write it, or {@link #PENDING}. */
    long changed(String key, long now) {
        Slot s = slots.computeIfAbsent(key, k -> new Slot());
        if (s.pending) return PENDING;
        s.pending = true;
        return s.written ? Math.max(0, s.lastStart + interval - now) : 0;
    }

    /** The pending write of {@code key} starts at {@code now}; changes from here on schedule another. */
    void starting(String key, long now) {
        Slot s = slots.computeIfAbsent(key, k -> new Slot());
        s.pending = false;
        s.written = true;
        s.lastStart = now;
    }

    /** The write of {@code key} that started failed: the delay before retrying, or {@link #PENDING}. */
    long failed(String key, long now, long backoffNanos) {
        Slot s = slots.computeIfAbsent(key, k -> new Slot());
        if (s.pending) return PENDING;
        s.pending = true;
        return Math.max(Math.max(0, s.lastStart + interval - now), backoffNanos);
    }

    /** Forgets {@code key} (its Device is gone); a pending write, when it runs, finds nothing to do. */
    void forget(String key) {
        slots.remove(key);
    }

    /** True when a write of {@code key} is pending. */
    boolean pending(String key) {
        Slot s = slots.get(key);
        return s != null && s.pending;
    }
}
