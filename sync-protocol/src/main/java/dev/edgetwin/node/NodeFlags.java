package dev.edgetwin.node;

import dev.edgetwin.log.FsyncPolicy;
import dev.edgetwin.log.ProjectionOptions;
import dev.edgetwin.node.http.ApiOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Flags every node shares (a picocli mixin); each also has its {@link EnvDefaults environment variable}. */
public final class NodeFlags {
    @Option(names = "--node-id", description = "this node's id, a Kubernetes object name (required)")
    public String nodeId;

    @Option(names = "--data-dir", description = "journal and projection folder (default: data/<node-id>)")
    public Path dataDir;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "address the servers listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface)")
    public String bind;

    @Option(names = "--fsync", defaultValue = "interval:1000",
            description = "journal fsync policy: never, always, interval:<ms> (default: ${DEFAULT-VALUE})")
    public String fsync;

    @Option(names = "--journal-warm-ahead", defaultValue = "16777216",
            description = "bytes of the journal's active file kept cached ahead of where it writes, and of the next cycle's "
                    + "file made before the roll, so appends do not wait on the kernel filling pages; 0 = off (default: ${DEFAULT-VALUE})")
    public long journalWarmAhead;

    @Option(names = "--api-token-file",
            description = "bearer tokens for the REST API and /metrics, one per line (default: none, the API is open)")
    public Path apiTokenFile;

    @Option(names = "--api-max-body-bytes", defaultValue = "1048576",
            description = "largest REST request body in bytes (default: ${DEFAULT-VALUE})")
    public long apiMaxBodyBytes;

    @Option(names = "--api-max-page-size", defaultValue = "1000",
            description = "largest 'limit' of a device list or history page (default: ${DEFAULT-VALUE})")
    public int apiMaxPageSize;

    @Option(names = "--watch-max-buffered", defaultValue = "10000",
            description = "change events buffered per watch (SSE) client before it is dropped as too slow (default: ${DEFAULT-VALUE})")
    public int watchMaxBuffered;

    @Option(names = "--watch-max-streams", defaultValue = "1000",
            description = "change streams (SSE watch connections) open at once; one more gets 503 watch:toomany (default: ${DEFAULT-VALUE})")
    public int watchMaxStreams;

    @Option(names = "--twin-cache", defaultValue = "100000",
            description = "twins the projection keeps in memory; a write that would outgrow it commits at once (default: ${DEFAULT-VALUE})")
    public int twinCache;

    @Option(names = "--projection-commit-events", defaultValue = "8192",
            description = "commit changed twins to RocksDB at least every this many events, 1 = at every write (default: ${DEFAULT-VALUE})")
    public int projectionCommitEvents;

    @Option(names = "--projection-commit-twins", defaultValue = "4096",
            description = "...and at least every this many changed twins (default: ${DEFAULT-VALUE})")
    public int projectionCommitTwins;

    /** Checks the values; throws {@link IllegalArgumentException} naming the flag and its variable. */
    public void validate() {
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException("missing --node-id (or " + EnvDefaults.variable("--node-id") + ")");
        }
        if (dataDir == null) dataDir = Path.of("data", nodeId);
        fsyncPolicy();
        apiOptions();
        projectionOptions();
    }

    /** The projection settings of these flags. */
    public ProjectionOptions projectionOptions() {
        atLeast("--twin-cache", twinCache, 0);
        atLeast("--projection-commit-events", projectionCommitEvents, 1);
        atLeast("--projection-commit-twins", projectionCommitTwins, 1);
        return new ProjectionOptions(twinCache, projectionCommitEvents, projectionCommitTwins);
    }

    private static void atLeast(String flag, int value, int min) {
        if (value < min) throw new IllegalArgumentException(flag + " must be >= " + min + ", got " + value);
    }

    /** The REST API settings of these flags. */
    public ApiOptions apiOptions() {
        ApiOptions d = ApiOptions.DEFAULT;
        try {
            return d.withTokenFile(apiTokenFile).withMaxBodyBytes(apiMaxBodyBytes).withMaxPageSize(apiMaxPageSize)
                    .withWatch(watchMaxBuffered, d.watchKeepAliveMillis(), d.watchReplayBatch()).withWatchMaxStreams(watchMaxStreams);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--api-max-body-bytes / --api-max-page-size / --watch-max-buffered / --watch-max-streams: "
                    + e.getMessage(), e);
        }
    }

    public FsyncPolicy fsyncPolicy() {
        try {
            return FsyncPolicy.parse(fsync);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--fsync: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a duration flag: {@code 0}, a number with a unit ({@code 500ms}, {@code 45s},
     * {@code 30m}, {@code 12h}, {@code 7d}) or ISO-8601 ({@code PT1H}).
     */
    public static java.time.Duration duration(String flag, String text) {
        String t = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.equals("0")) return java.time.Duration.ZERO;
            if (t.startsWith("p")) return java.time.Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(t);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> java.time.Duration.ofMillis(n);
                    case "s" -> java.time.Duration.ofSeconds(n);
                    case "m" -> java.time.Duration.ofMinutes(n);
                    case "h" -> java.time.Duration.ofHours(n);
                    default -> java.time.Duration.ofDays(n);
                };
            }
        } catch (RuntimeException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(flag + " must be 0, a number with ms, s, m, h or d (7d, 12h), or ISO-8601 (PT1H); got " + text);
    }

    /** Checks a port flag: 0 (pick a free port) to 65535. */
    public static int port(String flag, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(flag + " must be 0..65535 (0 = pick a free port), got " + port);
        }
        return port;
    }
}
