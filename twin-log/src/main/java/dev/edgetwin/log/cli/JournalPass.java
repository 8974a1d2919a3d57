package dev.edgetwin.log.cli;

import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.JournalException;
import dev.edgetwin.log.chronicle.ChronicleJournal;
import dev.edgetwin.log.chronicle.JournalOptions;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * One read-only pass over a data directory's journal: every entry is verified (CRC, stream
 * contiguity, hash chain) and handed to a consumer in append order, with progress. Writes
 * nothing, whether the node is stopped or running ({@link ChronicleJournal#openReadOnly}).
 */
final class JournalPass {
    private JournalPass() {
    }

    /**
     * Scans the journal and returns it open (its index serves reads of what the scan saw).
     * A damaged journal is {@code twinctl:journal.damaged} (exit 3) unless only its tail is:
     * that tail would be cut on the node's next start and is left out here. Trimmed streams
     * start at their snapshot's base (the consumer sees no entry below it); {@code snapshots},
     * read before the pass, must be the journal's ({@link Snapshots#checkMatches}).
     */
    static ChronicleJournal open(CommonOptions options, DataDir dir, String label, Snapshots snapshots,
                                 Consumer<JournalEntry> consumer) {
        ChronicleJournal journal;
        try {
            journal = scan(options, dir.journal(), dir.liveTail(), label, consumer);
        } catch (JournalException e) {
            throw new TwinctlException("twinctl:journal.damaged", ExitCode.DATA, "cannot read the journal of " + dir.root()
                    + ": " + e.getMessage() + " (twinctl verify names the first broken position)", e);
        }
        try {
            snapshots.checkMatches(journal);
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
        return journal;
    }

    /** Scans the journal, handing every entry to {@code consumer}, and closes it. */
    static void run(CommonOptions options, DataDir dir, String label, Snapshots snapshots, Consumer<JournalEntry> consumer) {
        open(options, dir, label, snapshots, consumer).close();
    }

    /** The scan itself; throws the journal's own {@code journal:corrupt} when damage is followed by valid entries. */
    static ChronicleJournal scan(CommonOptions options, Path journalDir, boolean liveTail, String label,
                                 Consumer<JournalEntry> consumer) {
        long estimate = ChronicleJournal.countEntries(journalDir, JournalOptions.DEFAULT);
        try (Progress p = options.progress(label, estimate, "entries")) {
            return ChronicleJournal.openReadOnly(journalDir, JournalOptions.DEFAULT, liveTail, e -> {
                consumer.accept(e);
                p.add(1);
            });
        }
    }
}
