package dev.edgetwin.log;

import dev.edgetwin.log.rocksdb.RocksProjection;

/**
 * Settings of the RocksDB projection (node flags {@code --twin-cache},
 * {@code --projection-commit-events}, {@code --projection-commit-twins}).
 *
 * @param cacheTwins   twins kept in memory, where queries read them and where changed twins wait
 *                     for their commit; a write that would outgrow it commits at once and empties
 *                     it first (0: every write commits at once, only its own twins stay)
 * @param commitEvents changed twins and stream checkpoints are committed to RocksDB at least
 *                     every this many applied events (1: at every apply)
 * @param commitTwins  ...and at least every this many changed twins
 */
public record ProjectionOptions(int cacheTwins, int commitEvents, int commitTwins) {
    public static final ProjectionOptions DEFAULT = new ProjectionOptions(100_000, RocksProjection.COMMIT_EVENTS, RocksProjection.COMMIT_TWINS);

    public ProjectionOptions {
        if (cacheTwins < 0) throw new IllegalArgumentException("twin cache must be >= 0 twins, got " + cacheTwins);
        if (commitEvents < 1) throw new IllegalArgumentException("commit bound must be >= 1 event, got " + commitEvents);
        if (commitTwins < 1) throw new IllegalArgumentException("commit bound must be >= 1 twin, got " + commitTwins);
    }
}
