package dev.edgetwin.node.http;

import java.time.Instant;

/**
 * {@code Instant.ofEpochMilli(millis).toString()} without formatting the date and time of day
 * anew for every event: a change stream writes thousands of events a second with the same
 * second, so the text up to the second is kept for the last second seen (an immutable pair,
 * shared between threads; a race only formats once more).
 */
final class IsoMillis {
    private record Second(long epochSecond, String prefix) {
    }

    private static volatile Second last = new Second(Long.MIN_VALUE, "");

    private IsoMillis() {
    }

    static String format(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000L);
        int millis = (int) Math.floorMod(epochMillis, 1000L);
        Second s = last;
        if (s.epochSecond() != second) {
            String whole = Instant.ofEpochSecond(second).toString();   // ends in "Z", no fraction
            s = new Second(second, whole.substring(0, whole.length() - 1));
            last = s;
        }
        if (millis == 0) return s.prefix() + "Z";     // Instant prints no fraction then
        char[] fraction = {'.', (char) ('0' + millis / 100), (char) ('0' + millis / 10 % 10), (char) ('0' + millis % 10), 'Z'};
        return s.prefix().concat(new String(fraction));
    }
}
