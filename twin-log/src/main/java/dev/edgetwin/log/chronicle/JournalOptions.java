package dev.edgetwin.log.chronicle;

import dev.edgetwin.log.FsyncPolicy;
import dev.edgetwin.log.StreamChain;
import java.time.Duration;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

/**
 * Settings of a {@link ChronicleJournal}.
 *
 * @param fsync            when appends are forced to disk (default {@code interval:1000})
 * @param rollCycle        Chronicle roll cycle of new segments (default {@code FAST_DAILY}:
 *                         one file per day, 2^32 entries per cycle); an existing segment keeps
 *                         the roll cycle it was created with; retention trims whole cycle files
 *                         (FORMAT.md §6), so the cycle is also retention's granularity
 * @param maxEntryBytes    largest accepted encoded entry (default 1 MiB)
 * @param progressInterval how often a long open scan logs progress (default 5 s)
 * @param warmAheadBytes   how far past the write position a background thread keeps the active
 *                         cycle file in the page cache, so appends never fault in (zero-fill) a
 *                         read-around window themselves (default 16 MiB, more than Linux's largest
 *                         usual {@code read_ahead_kb}; 0: off); the same thread makes the next cycle's
 *                         file, that much of it cached, before the roll — see {@link PageWarmer}, {@link NextCycleFile}
 */
public record JournalOptions(FsyncPolicy fsync, RollCycle rollCycle, int maxEntryBytes, Duration progressInterval,
                             long warmAheadBytes) {
    public static final long DEFAULT_WARM_AHEAD_BYTES = 16L << 20;
    public static final JournalOptions DEFAULT = new JournalOptions(FsyncPolicy.DEFAULT, RollCycles.FAST_DAILY,
            StreamChain.DEFAULT_MAX_ENTRY_BYTES, Duration.ofSeconds(5), DEFAULT_WARM_AHEAD_BYTES);

    public JournalOptions {
        if (fsync == null || rollCycle == null || progressInterval == null) throw new IllegalArgumentException("null option");
        if (maxEntryBytes < 256) throw new IllegalArgumentException("maxEntryBytes must be >= 256, got " + maxEntryBytes);
        if (fsync.mode() == FsyncPolicy.Mode.INTERVAL && fsync.interval().toMillis() < 1) {
            throw new IllegalArgumentException("fsync interval must be >= 1 ms");
        }
        if (warmAheadBytes < 0) throw new IllegalArgumentException("warmAheadBytes must be >= 0, got " + warmAheadBytes);
    }

    public JournalOptions withFsync(FsyncPolicy policy) {
        return new JournalOptions(policy, rollCycle, maxEntryBytes, progressInterval, warmAheadBytes);
    }

    /** The roll cycle a flag names: {@code daily}, {@code hourly} or {@code five-minutely}. */
    public static RollCycle rollCycleNamed(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "daily" -> RollCycles.FAST_DAILY;
            case "hourly" -> RollCycles.FAST_HOURLY;
            case "five-minutely" -> RollCycles.FIVE_MINUTELY;
            default -> throw new IllegalArgumentException("journal roll must be daily, hourly or five-minutely, got " + name);
        };
    }

    public JournalOptions withRollCycle(RollCycle cycle) {
        return new JournalOptions(fsync, cycle, maxEntryBytes, progressInterval, warmAheadBytes);
    }

    public JournalOptions withWarmAhead(long bytes) {
        return new JournalOptions(fsync, rollCycle, maxEntryBytes, progressInterval, bytes);
    }
}
