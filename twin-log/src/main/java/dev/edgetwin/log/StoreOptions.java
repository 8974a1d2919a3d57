package dev.edgetwin.log;

import dev.edgetwin.log.chronicle.JournalOptions;
import dev.edgetwin.log.model.Limits;

/**
 * Settings of a {@link TwinStore}.
 *
 * @param role       which streams this node writes
 * @param journal    journal settings (fsync policy, roll cycle, entry size limit)
 * @param limits     input limits of commands
 * @param projection twin cache and commit bounds of the projection
 */
public record StoreOptions(Role role, JournalOptions journal, Limits limits, ProjectionOptions projection) {
    public StoreOptions {
        if (projection == null) projection = ProjectionOptions.DEFAULT;
    }

    public static StoreOptions edge() {
        return new StoreOptions(Role.EDGE, JournalOptions.DEFAULT, Limits.DEFAULT, ProjectionOptions.DEFAULT);
    }

    public static StoreOptions cloud() {
        return new StoreOptions(Role.CLOUD, JournalOptions.DEFAULT, Limits.DEFAULT, ProjectionOptions.DEFAULT);
    }

    public StoreOptions withJournal(JournalOptions j) {
        return new StoreOptions(role, j, limits, projection);
    }

    public StoreOptions withProjection(ProjectionOptions p) {
        return new StoreOptions(role, journal, limits, p);
    }

    public StoreOptions withLimits(Limits l) {
        return new StoreOptions(role, journal, l, projection);
    }
}
