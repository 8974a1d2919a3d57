package dev.edgetwin.log;

import dev.edgetwin.log.chronicle.JournalOptions;
import dev.edgetwin.log.model.Limits;

/**
 * Settings of a {@link TwinStore}.
 *
 * @param role       which streams this node writes
 * @param journal    journal settings (fsync policy, roll cycle, entry size limit)
 * @param limits     input limits of commands
 * @param cacheSize  twins kept in memory by the projection
 */
public record StoreOptions(Role role, JournalOptions journal, Limits limits, int cacheSize) {
    public static StoreOptions edge() {
        return new StoreOptions(Role.EDGE, JournalOptions.DEFAULT, Limits.DEFAULT, 100_000);
    }

    public static StoreOptions cloud() {
        return new StoreOptions(Role.CLOUD, JournalOptions.DEFAULT, Limits.DEFAULT, 100_000);
    }

    public StoreOptions withJournal(JournalOptions j) {
        return new StoreOptions(role, j, limits, cacheSize);
    }

    public StoreOptions withLimits(Limits l) {
        return new StoreOptions(role, journal, l, cacheSize);
    }
}
