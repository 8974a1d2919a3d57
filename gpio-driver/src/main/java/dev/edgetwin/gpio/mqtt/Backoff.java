package dev.edgetwin.gpio.mqtt;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Exponential reconnect backoff with "equal jitter": attempt {@code n} waits between half and all of
 * {@code min(max, initial * 2^n)}, so that many mappers restarted together do not reconnect in step.
 */
public final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private final LongUnaryOperator random;
    private int attempt;

    /** {@code random} returns a value in {@code [0, bound)} for a bound. */
    public Backoff(Duration initial, Duration max, LongUnaryOperator random) {
        this.initialMillis = Math.max(1, initial.toMillis());
        this.maxMillis = Math.max(initialMillis, max.toMillis());
        this.random = random;
    }

    /** The wait before the next attempt; each call doubles the ceiling up to the maximum. */
    public long nextDelayMillis() {
        long ceiling = initialMillis << Math.min(attempt, 30);
        if (ceiling <= 0 || ceiling > maxMillis) ceiling = maxMillis;
        attempt++;
        long half = ceiling / 2;
        return half + random.applyAsLong(ceiling - half + 1);
    }

    /** After a successful connect: the next loss starts from {@code initial} again. */
    public void reset() {
        attempt = 0;
    }
}
