package dev.edgetwin.sync;

import java.util.Random;

/**
 * Reconnect delays: exponential backoff with full jitter (a uniformly random delay in
 * {@code [0, min(max, min * 2^attempt)]}), so a fleet of edges that lost the cloud together
 * does not come back in lockstep. {@link #reset()} after a connection proved healthy. Pure
 * apart from the injected random source; not thread-safe.
 */
public final class Backoff {
    private final long minMillis;
    private final long maxMillis;
    private final Random random;
    private int attempt;

    public Backoff(long minMillis, long maxMillis, Random random) {
        if (minMillis < 1 || maxMillis < minMillis) throw new IllegalArgumentException("backoff needs 1 <= min <= max");
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.random = random;
    }

    /** The delay before the next attempt, counting this one. */
    public long nextDelayMillis() {
        long cap = attempt >= 40 ? maxMillis : Math.min(maxMillis, minMillis << Math.min(attempt, 40));
        if (cap <= 0) cap = maxMillis;
        attempt++;
        return (long) (random.nextDouble() * (cap + 1));
    }

    /** Failed attempts since the last reset. */
    public int attempts() {
        return attempt;
    }

    public void reset() {
        attempt = 0;
    }
}
