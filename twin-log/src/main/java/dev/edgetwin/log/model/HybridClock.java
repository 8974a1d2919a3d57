package dev.edgetwin.log.model;

import java.util.function.LongSupplier;

/**
 * A hybrid logical clock (Kulkarni et al.): stamps never go backwards on one node, even
 * when the wall clock does, and a stamp observed from a peer is always exceeded by the
 * next local stamp, so causality holds across nodes with drifting clocks.
 *
 * <p>Restart safety: the clock keeps no file of its own. The journal knows the highest
 * stamp it ever wrote or received; after opening it, call {@link #recover(long)} with that
 * value before the first {@link #now()}.
 *
 * <p>Thread-safe. Pure apart from reading the injected wall clock.
 */
public final class HybridClock {
    private final LongSupplier wallMillis;
    private long last;

    public HybridClock(LongSupplier wallMillis) {
        this.wallMillis = wallMillis;
    }

    public static HybridClock system() {
        return new HybridClock(System::currentTimeMillis);
    }

    /** Send rule: a stamp for a local event, greater than every stamp seen so far. */
    public long now() {
        return now(wallMillis.getAsLong());
    }

    /**
     * {@link #now()} with a reading of this clock's wall clock ({@link #wallMillis()}) the caller
     * took: a writer stamping a batch of events reads the wall once for all of them. An old
     * reading is harmless: the stamp still exceeds every earlier one.
     */
    public synchronized long now(long wallReading) {
        long wall = Math.min(Math.max(wallReading, 0), Hlc.MAX_MILLIS);
        last = wall > Hlc.millis(last) ? Hlc.pack(wall, 0) : increment(last);
        return last;
    }

    /**
     * Receive rule: merge a stamp seen on an event from another node; returns the new
     * local value, which is greater than both {@code remote} and every earlier local stamp.
     */
    public synchronized long observe(long remote) {
        long wall = Math.min(Math.max(wallMillis.getAsLong(), 0), Hlc.MAX_MILLIS);
        long top = Math.max(last, remote);
        last = wall > Hlc.millis(top) ? Hlc.pack(wall, 0) : increment(top);
        return last;
    }

    /** Raises the clock to at least {@code highWater} (recovered from the journal) without ticking. */
    public synchronized void recover(long highWater) {
        if (highWater > last) last = highWater;
    }

    /** The wall clock this HLC reads (ms since the epoch), for envelopes' informational wall time. */
    public long wallMillis() {
        return wallMillis.getAsLong();
    }

    /** The last stamp handed out or recovered. */
    public synchronized long last() {
        return last;
    }

    private static long increment(long hlc) {
        long counter = Hlc.counter(hlc);
        // counter exhausted: borrow the next millisecond rather than wrap
        return counter < Hlc.MAX_COUNTER ? hlc + 1 : Hlc.pack(Hlc.millis(hlc) + 1, 0);
    }
}
