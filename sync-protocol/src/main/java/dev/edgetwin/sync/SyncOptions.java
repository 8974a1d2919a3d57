package dev.edgetwin.sync;

import dev.edgetwin.log.StreamChain;
import dev.edgetwin.sync.wire.ControlCodec;

/**
 * The limits of one side of a sync connection (PROTOCOL.md §4, §6). Every value is a setting
 * with a default; {@link #DEFAULT} suits an edge and a cloud of 1,000 edges.
 *
 * @param windowEntries      credit this side grants the peer, and the most it holds as sender (entries)
 * @param windowBytes        the same in bytes of entries
 * @param maxBatchBytes      largest entries section of one data frame this side accepts, and the most it sends in one
 * @param maxBatchEntries    most entries this side puts in one data frame (a sender-side choice, not on the wire)
 * @param maxEntryBytes      largest journal entry this side accepts (the journal's own limit)
 * @param maxControlBytes    largest control frame this side accepts
 * @param heartbeatMs        ping after this long without sending anything
 * @param idleTimeoutMs      close with {@code sync:idle} after this long without receiving anything
 *                           (raised to 3 x the peer's heartbeat if that is longer)
 * @param handshakeTimeoutMs close with {@code sync:handshake.timeout} when the handshake takes longer
 */
public record SyncOptions(int windowEntries, int windowBytes, int maxBatchBytes, int maxBatchEntries, int maxEntryBytes,
                          int maxControlBytes, int heartbeatMs, int idleTimeoutMs, int handshakeTimeoutMs) {

    /**
     * The defaults. The entry window (32,768) and frames of up to 4,096 entries let a catch-up
     * keep ~4 MiB in flight (the byte window is what bounds memory), so the receiver's writer
     * finds several frames waiting and appends them as one batch.
     */
    public static final SyncOptions DEFAULT = new SyncOptions(32_768, 4 << 20, 1 << 20, 4096,
            StreamChain.DEFAULT_MAX_ENTRY_BYTES, ControlCodec.DEFAULT_MAX_BYTES, 5_000, 15_000, 10_000);

    public SyncOptions {
        positive("windowEntries", windowEntries);
        positive("maxBatchEntries", maxBatchEntries);
        positive("maxEntryBytes", maxEntryBytes);
        if (maxBatchBytes < maxEntryBytes) {
            throw new IllegalArgumentException("maxBatchBytes (" + maxBatchBytes + ") must be >= the largest entry (" + maxEntryBytes
                    + "), or that entry could never travel");
        }
        if (windowBytes < maxBatchBytes) {
            throw new IllegalArgumentException("windowBytes (" + windowBytes + ") must be >= maxBatchBytes (" + maxBatchBytes + ")");
        }
        if (maxControlBytes < 512) throw new IllegalArgumentException("maxControlBytes must be >= 512, got " + maxControlBytes);
        if (heartbeatMs < 100 || heartbeatMs > 600_000) throw new IllegalArgumentException("heartbeat must be 100..600000 ms");
        if (idleTimeoutMs <= heartbeatMs) throw new IllegalArgumentException("idle timeout must be longer than the heartbeat");
        positive("handshakeTimeoutMs", handshakeTimeoutMs);
    }

    private static void positive(String name, int v) {
        if (v < 1) throw new IllegalArgumentException(name + " must be >= 1, got " + v);
    }

    public SyncOptions withWindow(int entries, int bytes) {
        return new SyncOptions(entries, bytes, maxBatchBytes, maxBatchEntries, maxEntryBytes, maxControlBytes, heartbeatMs,
                idleTimeoutMs, handshakeTimeoutMs);
    }

    public SyncOptions withBatch(int bytes, int entries) {
        return new SyncOptions(windowEntries, windowBytes, bytes, entries, maxEntryBytes, maxControlBytes, heartbeatMs,
                idleTimeoutMs, handshakeTimeoutMs);
    }

    public SyncOptions withTimers(int heartbeat, int idleTimeout, int handshakeTimeout) {
        return new SyncOptions(windowEntries, windowBytes, maxBatchBytes, maxBatchEntries, maxEntryBytes, maxControlBytes, heartbeat,
                idleTimeout, handshakeTimeout);
    }

    public SyncOptions withMaxEntryBytes(int bytes) {
        return new SyncOptions(windowEntries, windowBytes, maxBatchBytes, maxBatchEntries, bytes, maxControlBytes, heartbeatMs,
                idleTimeoutMs, handshakeTimeoutMs);
    }
}
