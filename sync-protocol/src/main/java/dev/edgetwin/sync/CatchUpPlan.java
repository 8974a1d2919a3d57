package dev.edgetwin.sync;

/**
 * What a sender does with the position a receiver announced (PROTOCOL.md §2.3): a value a
 * test can assert on, decided by {@link CatchUpPlanner}.
 */
public sealed interface CatchUpPlan {
    /** Send entries from {@code seq} on (catch up, then tail live). */
    record StreamFrom(long seq) implements CatchUpPlan {
    }

    /** The entries the receiver needs were trimmed: ship the snapshot (up to {@code upTo}), then stream from there. */
    record SnapshotRequired(long upTo) implements CatchUpPlan {
    }

    /** The receiver's copy is not a prefix of this stream: nothing can be sent. */
    record Diverged(String reason) implements CatchUpPlan {
    }
}
