package dev.edgetwin.log.cli;

import dev.edgetwin.log.Journal;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.JournalException;
import dev.edgetwin.log.JournalSnapshot;
import dev.edgetwin.log.chronicle.ChronicleJournal;
import dev.edgetwin.log.model.DeviceId;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The snapshots of a data directory's trimmed streams (twin-log FORMAT.md §6), read before a
 * journal pass: a trimmed stream's journal entries start at its snapshot's {@code upTo}, and the
 * snapshot's entries (the compacted prefix: per register the newest entry, per device the newest
 * removal) stand for everything before. A replay applies them first, then the journal's entries,
 * and gets exactly the twins the whole history gave ({@link dev.edgetwin.log.rocksdb.RocksProjection#applySnapshot}
 * for a projection). Each command says in its output which streams start from a snapshot.
 */
final class Snapshots {
    private final Map<String, JournalSnapshot> byStream = new TreeMap<>();

    private Snapshots(List<JournalSnapshot> snapshots) {
        for (JournalSnapshot s : snapshots) byStream.put(s.stream(), s);
    }

    /** Reads them from the journal directory; a damaged snapshot file is {@code twinctl:journal.damaged}. */
    static Snapshots read(DataDir dir) {
        try {
            return new Snapshots(ChronicleJournal.readSnapshots(dir.journal()));
        } catch (JournalException e) {
            throw new TwinctlException("twinctl:journal.damaged", ExitCode.DATA, "cannot read the snapshots of " + dir.root()
                    + ": " + e.getMessage(), e);
        }
    }

    boolean isEmpty() {
        return byStream.isEmpty();
    }

    List<JournalSnapshot> all() {
        return List.copyOf(byStream.values());
    }

    Optional<JournalSnapshot> of(String stream) {
        return Optional.ofNullable(byStream.get(stream));
    }

    /**
     * After the pass: the journal's bases must be these snapshots'. They differ only when a
     * running node trimmed its journal while twinctl read it ({@code twinctl:journal.changed}, exit 3: run it again).
     */
    void checkMatches(Journal journal) {
        for (String stream : journal.streams()) {
            long first = journal.firstSeq(stream);
            long upTo = of(stream).map(JournalSnapshot::upTo).orElse(0L);
            if (first != upTo) {
                throw new TwinctlException("twinctl:journal.changed", ExitCode.DATA, stream + " starts at seq " + first
                        + " in the journal but its snapshot reaches " + upTo + ": the node trimmed its journal while twinctl read it; run again");
            }
        }
    }

    /** The entries of every snapshot that concern {@code device} (all of them when null), stream by stream. */
    List<JournalEntry> entries(DeviceId device) {
        DeviceFilter filter = device == null ? null : DeviceFilter.of(device);
        List<JournalEntry> out = new ArrayList<>();
        for (JournalSnapshot s : byStream.values()) {
            for (JournalEntry e : s.entries()) {
                if (filter == null || filter.mayMatch(e.payload()) && EventView.of(e).device().equals(device)) out.add(e);
            }
        }
        return out;
    }

    /** Highest HLC among {@code entries}: every trimmed event they stand for is at or before it. */
    static long maxHlc(List<JournalEntry> entries) {
        long max = 0;
        for (JournalEntry e : entries) max = Math.max(max, e.hlc());
        return max;
    }

    /** One line per snapshot: "edge/edge-a starts from a snapshot at seq 5000 (812 entries stand for seqs 0..4999)". */
    List<String> notes() {
        List<String> out = new ArrayList<>();
        for (JournalSnapshot s : byStream.values()) out.add(note(s));
        return out;
    }

    static String note(JournalSnapshot s) {
        return s.stream() + " starts from a snapshot at seq " + s.upTo() + " (" + s.entries().size() + " entries stand for seqs 0.."
                + (s.upTo() - 1) + ")";
    }
}
