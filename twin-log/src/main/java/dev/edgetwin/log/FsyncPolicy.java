package dev.edgetwin.log;

import java.time.Duration;

/**
 * When journal writes are forced to disk, like Kafka's flush settings. {@code NEVER} leaves it
 * to the OS (a process crash loses nothing, a power loss may lose the page cache);
 * {@code INTERVAL} forces at most every {@code interval}; {@code ALWAYS} forces before every
 * append returns.
 */
public record FsyncPolicy(Mode mode, Duration interval) {
    public enum Mode { NEVER, INTERVAL, ALWAYS }

    public static final FsyncPolicy DEFAULT = new FsyncPolicy(Mode.INTERVAL, Duration.ofMillis(1000));

    /** Parses {@code never}, {@code always}, {@code interval} or {@code interval:<ms>}. */
    public static FsyncPolicy parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("never")) return new FsyncPolicy(Mode.NEVER, Duration.ZERO);
        if (t.equals("always")) return new FsyncPolicy(Mode.ALWAYS, Duration.ZERO);
        if (t.equals("interval")) return DEFAULT;
        if (t.startsWith("interval:")) {
            return new FsyncPolicy(Mode.INTERVAL, Duration.ofMillis(Long.parseLong(t.substring("interval:".length()))));
        }
        throw new IllegalArgumentException("fsync policy must be never, always, interval or interval:<ms>, got " + text);
    }
}
