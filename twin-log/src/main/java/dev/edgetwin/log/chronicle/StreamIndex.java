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

    private volatile long firstSeq;
    private volatile long baseHash;
    private volatile long nextSeq;
    private volatile long lastHash;
    private volatile long[][] pages = new long[0][];
    private volatile long[] segmentFirstSeq = new long[0];
    private volatile int[] segmentOrdinal = new int[0];

    StreamIndex() {
    }

    /** A stream whose entries below {@code base} live in its snapshot (FORMAT.md §6). */
    StreamIndex(long base, long baseHash) {
        this.firstSeq = base;
        this.baseHash = baseHash;
        this.lastHash = baseHash;
        this.nextSeq = base;
    }

    long nextSeq() {
        return nextSeq;
    }

    /** The oldest seq held as an entry (positions below are gone). */
    long firstSeq() {
        return firstSeq;
    }

    /** The chain hash of entry {@code firstSeq() - 1} (0 when the stream starts at 0). */
    long baseHash() {
        return baseHash;
    }

    /**
     * Retention trimmed everything below {@code first} ({@code <= nextSeq()}), whose entry
     * {@code first - 1} had chain hash {@code hash}: forgets those positions, freeing the pages
     * that lie wholly below.
     */
    void trimTo(long first, long hash) {
        if (first <= firstSeq) return;
        if (first > nextSeq) throw new IllegalStateException("cannot trim to " + first + " beyond " + nextSeq);
        baseHash = hash;
        firstSeq = first;
        long[][] p = pages;
        int below = (int) Math.min(p.length, first >>> PAGE_BITS);
        for (int i = 0; i < below; i++) p[i] = null;
    }

    /** A snapshot up to {@code base} was installed ({@code base >= nextSeq()}): the stream continues there. */
    void rebase(long base, long baseHash) {
        if (base < nextSeq) throw new IllegalStateException("cannot rebase to " + base + " below " + nextSeq);
        pages = new long[0][];
        segmentFirstSeq = new long[0];
        segmentOrdinal = new int[0];
        firstSeq = base;
        this.baseHash = baseHash;
        lastHash = baseHash;
        nextSeq = base; // publishes the rest
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
            // a stream starting at a snapshot's base may begin anywhere in page 0
            p[page] = new long[page == 0 ? Math.min(PAGE, Math.max(FIRST_PAGE, Integer.highestOneBit(slot) << 1)) : PAGE];
        } else if (slot >= p[page].length) { // only the first page grows: small streams stay small
            p[page] = Arrays.copyOf(p[page], Math.min(PAGE, Math.max(p[page].length * 4, Integer.highestOneBit(slot) << 1)));
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
