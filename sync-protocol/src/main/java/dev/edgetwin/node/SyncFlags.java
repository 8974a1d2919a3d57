package dev.edgetwin.node;

import dev.edgetwin.sync.SyncOptions;
import picocli.CommandLine.Option;

/**
 * Sync protocol limits both nodes take (a picocli mixin; PROTOCOL.md §4, §6). Each flag also has
 * its {@link EnvDefaults environment variable}.
 */
public final class SyncFlags {
    @Option(names = "--sync-window-entries", defaultValue = "32768",
            description = "credit granted to the peer, and most entries in flight when sending (default: ${DEFAULT-VALUE})")
    public int windowEntries;

    @Option(names = "--sync-window-bytes", defaultValue = "4194304",
            description = "the same in bytes of entries (default: ${DEFAULT-VALUE})")
    public int windowBytes;

    @Option(names = "--sync-max-batch-bytes", defaultValue = "1048576",
            description = "largest entries section of one sync frame, at least the largest entry (default: ${DEFAULT-VALUE})")
    public int maxBatchBytes;

    @Option(names = "--sync-heartbeat-ms", defaultValue = "5000", description = "ping interval (default: ${DEFAULT-VALUE})")
    public int heartbeatMs;

    @Option(names = "--sync-idle-timeout-ms", defaultValue = "15000",
            description = "close a sync connection silent this long (default: ${DEFAULT-VALUE})")
    public int idleTimeoutMs;

    /** The options; throws {@link IllegalArgumentException} naming the flags when they do not fit together. */
    public SyncOptions options() {
        try {
            SyncOptions d = SyncOptions.DEFAULT;
            return new SyncOptions(windowEntries, windowBytes, maxBatchBytes, d.maxBatchEntries(), d.maxEntryBytes(), d.maxControlBytes(),
                    heartbeatMs, idleTimeoutMs, d.handshakeTimeoutMs());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--sync-* flags: " + e.getMessage(), e);
        }
    }
}
