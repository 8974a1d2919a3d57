package dev.edgetwin.log.model;

/**
 * The order of last-writer-wins registers: by hybrid logical clock, ties broken by origin
 * node id. Two different events never share a stamp, because one origin never reuses an HLC value.
 */
public record Stamp(long hlc, String origin) implements Comparable<Stamp> {
    @Override
    public int compareTo(Stamp o) {
        int c = Long.compare(hlc, o.hlc);
        return c != 0 ? c : origin.compareTo(o.origin);
    }

    public boolean isAfter(Stamp o) {
        return o == null || compareTo(o) > 0;
    }
}
