package dev.edgetwin.bench.mqtt;

import java.util.Arrays;

/**
 * Publish→PUBACK latencies of one load client, in nanoseconds. Keeps up to {@code capacity}
 * samples; past that it keeps every second one, then every fourth…, so memory stays bounded
 * and the sample stays spread over the whole run. Single-threaded (the client's event loop).
 */
final class Latencies {
    private long[] samples;
    private int size;
    private int stride = 1;
    private long seen;

    Latencies(int capacity) {
        samples = new long[capacity];
    }

    void record(long nanos) {
        if (seen++ % stride != 0) return;
        if (size == samples.length) {
            // halve: keep every other sample and take every other one from now on
            for (int i = 0; i < size / 2; i++) samples[i] = samples[2 * i];
            size /= 2;
            stride *= 2;
        }
        samples[size++] = nanos;
    }

    Latencies copy() {
        Latencies c = new Latencies(samples.length);
        System.arraycopy(samples, 0, c.samples, 0, size);
        c.size = size;
        c.stride = stride;
        c.seen = seen;
        return c;
    }

    long count() {
        return seen;
    }

    /** All clients' samples merged and sorted. */
    static long[] merge(Iterable<Latencies> all) {
        int total = 0;
        for (Latencies l : all) total += l.size;
        long[] out = new long[total];
        int at = 0;
        for (Latencies l : all) {
            System.arraycopy(l.samples, 0, out, at, l.size);
            at += l.size;
        }
        Arrays.sort(out);
        return out;
    }

    static double percentileMillis(long[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }
}
