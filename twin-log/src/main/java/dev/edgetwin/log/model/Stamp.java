package dev.edgetwin.log.model;

import java.util.Comparator;

/**
 * The order of last-writer-wins registers: by hybrid logical clock, ties broken by origin
 * node id. Two different events never share a stamp, because one origin never reuses an HLC value.
 */
public record Stamp(long hlc, String origin) implements Comparable<Stamp> {
    private static final Comparator<Stamp> ORDER =
            Comparator.comparingLong(Stamp::hlc).thenComparing(Stamp::origin);

    @Override
    public int compareTo(Stamp o) {
        return ORDER.compare(this, o);
    }

    public boolean isAfter(Stamp o) {
        return o == null || compareTo(o) > 0;
    }
}
