package dev.edgetwin.log.model;

import java.time.Instant;

/**
 * Hybrid logical clock values packed in a long: the upper 48 bits are wall-clock
 * milliseconds since the epoch, the lower 16 bits a logical counter. Values compare as
 * plain longs.
 */
public final class Hlc {
    public static final int COUNTER_BITS = 16;
    public static final long MAX_COUNTER = (1L << COUNTER_BITS) - 1;
    public static final long MAX_MILLIS = (1L << 48) - 1;

    private Hlc() {
    }

    public static long pack(long millis, long counter) {
        if (millis < 0 || millis > MAX_MILLIS) throw new IllegalArgumentException("millis out of range: " + millis);
        if (counter < 0 || counter > MAX_COUNTER) throw new IllegalArgumentException("counter out of range: " + counter);
        return (millis << COUNTER_BITS) | counter;
    }

    public static long millis(long hlc) {
        return hlc >>> COUNTER_BITS;
    }

    public static long counter(long hlc) {
        return hlc & MAX_COUNTER;
    }

    public static Instant instant(long hlc) {
        return Instant.ofEpochMilli(millis(hlc));
    }

    public static String format(long hlc) {
        return instant(hlc) + "#" + counter(hlc);
    }
}
