package dev.edgetwin.log.chronicle;

import java.util.Arrays;

/**
 * In-memory state of one stream: next seq, chain head, and a dense map seq → (segment,
 * Chronicle index). Positions live in pages of {@link #PAGE} longs allocated as the stream
 * grows (the first page starts at 16 slots and grows to a full page, so thousands of short
 * streams stay cheap), so growth copies at most one page (8 bytes per entry). Segment changes are rare (only
 * after a torn tail was cut), so they are a tiny sorted array of first seqs.
 *
 * <p>One writer (under the journal's lock) and many readers: the writer fills the slot, then
 * publishes with the volatile {@code nextSeq}; readers read {@code nextSeq} first, so every
 * slot below it is visible to them.
 */
final class StreamIndex {
    static final int PAGE_BITS = 12;
    static final int PAGE = 1 << PAGE_BITS;
    static final int FIRST_PAGE = 16;

    private volatile long nextSeq;
    private volatile long lastHash;
    private volatile long[][] pages = new long[0][];
    private volatile long[] segmentFirstSeq = new long[0];
    private volatile int[] segmentOrdinal = new int[0];

    long nextSeq() {
        return nextSeq;
    }

    long lastHash() {
        return lastHash;
    }

    /** Records the entry {@code seq == nextSeq()} at {@code chronicleIndex} of segment {@code segment}. */
    void add(long seq, long hash, int segment, long chronicleIndex) {
        if (seq != nextSeq) throw new IllegalStateException("index expects seq " + nextSeq + ", got " + seq);
        int n = segmentOrdinal.length;
        if (n == 0 || segmentOrdinal[n - 1] != segment) {
            long[] firsts = Arrays.copyOf(segmentFirstSeq, n + 1);
            int[] ords = Arrays.copyOf(segmentOrdinal, n + 1);
            firsts[n] = seq;
            ords[n] = segment;
            segmentFirstSeq = firsts;
            segmentOrdinal = ords;
        }
        int page = (int) (seq >>> PAGE_BITS);
        long[][] p = pages;
        if (page >= p.length) {
            p = Arrays.copyOf(p, Math.max(page + 1, p.length * 2));
            pages = p;
        }
        int slot = (int) (seq & (PAGE - 1));
        if (p[page] == null) {
            p[page] = new long[page == 0 ? FIRST_PAGE : PAGE];
        } else if (slot >= p[page].length) { // only the first page grows: small streams stay small
            p[page] = Arrays.copyOf(p[page], Math.min(PAGE, p[page].length * 4));
        }
        p[page][slot] = chronicleIndex;
        lastHash = hash;
        nextSeq = seq + 1; // publishes the slot and the hash
    }

    /** Chronicle index of {@code seq}; only valid for {@code seq < nextSeq()}. */
    long position(long seq) {
        return pages[(int) (seq >>> PAGE_BITS)][(int) (seq & (PAGE - 1))];
    }

    /** Ordinal of the segment holding {@code seq}; only valid for {@code seq < nextSeq()}. */
    int segment(long seq) {
        long[] firsts = segmentFirstSeq;
        int[] ords = segmentOrdinal;
        int i = Arrays.binarySearch(firsts, 0, Math.min(firsts.length, ords.length), seq);
        return ords[i >= 0 ? i : -i - 2];
    }

    /** Heap held by the position pages, for the memory report. */
    long bytesUsed() {
        long[][] p = pages;
        long b = 16L + 8L * p.length;
        for (long[] page : p) if (page != null) b += 16L + 8L * page.length;
        return b;
    }
}
