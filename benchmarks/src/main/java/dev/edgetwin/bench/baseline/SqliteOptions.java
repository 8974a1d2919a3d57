package dev.edgetwin.bench.baseline;

import java.util.Locale;
import java.util.Set;

/**
 * How {@link SqliteTwinStore} configures SQLite.
 *
 * <p>{@link #KUBEEDGE} is what a KubeEdge edge runs: its beego ORM over mattn/go-sqlite3 sets
 * no pragmas, so SQLite's defaults apply ({@code journal_mode=DELETE}, {@code synchronous=FULL}:
 * every commit is fsynced, through a rollback journal), and its {@code device_twin} model
 * declares no index, so a twin lookup by {@code (deviceid, name)} scans the table.
 * The other profiles are kinder to the baseline and exist so a reported ratio can be checked
 * against a tuned SQLite too.
 *
 * @param journalMode SQLite {@code journal_mode} (DELETE, TRUNCATE, PERSIST, WAL, MEMORY, OFF)
 * @param synchronous SQLite {@code synchronous} (OFF, NORMAL, FULL, EXTRA)
 * @param twinIndex   whether {@code device_twin(deviceid, name)} gets an index
 */
public record SqliteOptions(String journalMode, String synchronous, boolean twinIndex) {
    private static final Set<String> JOURNAL_MODES = Set.of("DELETE", "TRUNCATE", "PERSIST", "WAL", "MEMORY", "OFF");
    private static final Set<String> SYNC_MODES = Set.of("OFF", "NORMAL", "FULL", "EXTRA");

    /** KubeEdge as shipped: SQLite defaults, no index. */
    public static final SqliteOptions KUBEEDGE = new SqliteOptions("DELETE", "FULL", false);

    public SqliteOptions {
        journalMode = journalMode.toUpperCase(Locale.ROOT);
        synchronous = synchronous.toUpperCase(Locale.ROOT);
        // checked against a fixed set because the values are spliced into PRAGMA statements
        if (!JOURNAL_MODES.contains(journalMode)) throw new IllegalArgumentException("journal_mode must be one of " + JOURNAL_MODES + ", got " + journalMode);
        if (!SYNC_MODES.contains(synchronous)) throw new IllegalArgumentException("synchronous must be one of " + SYNC_MODES + ", got " + synchronous);
    }

    /**
     * Parses a profile name: {@code kubeedge} (= {@link #KUBEEDGE}), {@code kubeedge+index}
     * (the same with the twin index), or {@code <journal_mode>-<synchronous>[+index]},
     * e.g. {@code wal-normal+index}.
     */
    public static SqliteOptions parse(String profile) {
        String p = profile.trim().toLowerCase(Locale.ROOT);
        boolean index = p.endsWith("+index");
        String base = index ? p.substring(0, p.length() - "+index".length()) : p;
        if (base.equals("kubeedge")) return new SqliteOptions(KUBEEDGE.journalMode, KUBEEDGE.synchronous, index);
        int dash = base.indexOf('-');
        if (dash < 0) throw new IllegalArgumentException("profile must be kubeedge[+index] or <journal_mode>-<synchronous>[+index], got " + profile);
        return new SqliteOptions(base.substring(0, dash), base.substring(dash + 1), index);
    }
}
