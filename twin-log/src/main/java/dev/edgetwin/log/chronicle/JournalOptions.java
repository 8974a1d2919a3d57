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
 */
public record JournalOptions(FsyncPolicy fsync, RollCycle rollCycle, int maxEntryBytes, Duration progressInterval) {
    public static final JournalOptions DEFAULT = new JournalOptions(FsyncPolicy.DEFAULT, RollCycles.FAST_DAILY,
            StreamChain.DEFAULT_MAX_ENTRY_BYTES, Duration.ofSeconds(5));

    public JournalOptions {
        if (fsync == null || rollCycle == null || progressInterval == null) throw new IllegalArgumentException("null option");
        if (maxEntryBytes < 256) throw new IllegalArgumentException("maxEntryBytes must be >= 256, got " + maxEntryBytes);
        if (fsync.mode() == FsyncPolicy.Mode.INTERVAL && fsync.interval().toMillis() < 1) {
            throw new IllegalArgumentException("fsync interval must be >= 1 ms");
        }
    }

    public JournalOptions withFsync(FsyncPolicy policy) {
        return new JournalOptions(policy, rollCycle, maxEntryBytes, progressInterval);
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
        return new JournalOptions(fsync, cycle, maxEntryBytes, progressInterval);
    }
}
