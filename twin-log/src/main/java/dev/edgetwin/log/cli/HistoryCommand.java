package dev.edgetwin.log.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.Hlc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code twinctl history}: every event that touched one twin, in journal (append) order, with
 * what it changed. "old → new" is the part of the twin the event writes (a desired or reported
 * value, the state, the registration) just before and just after this node applied it, so a
 * write that lost to a newer one (last-writer-wins) shows old = new. The filters choose which
 * events are printed; the twin always evolves through all of them. A trimmed stream's events
 * before its snapshot are gone: the snapshot's entries of the device give the starting twin,
 * and the output says which streams start from a snapshot.
 */
@Command(name = "history", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = TwinctlCommand.Version.class,
        description = "Every event that touched a device twin, in journal order: stream, seq, HLC, wall time, origin, "
                + "kind, property and old -> new value. A table, or JSON lines with --json.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  twinctl history --data-dir /var/lib/edgetwin --device lamp-1",
            "  twinctl history --data-dir DIR --device default/lamp-1 --property powerstatus --from 2026-11-23T08:00:00Z --json",
            "  twinctl history --data-dir DIR --device lamp-1 --stream edge/edge-a --limit 20",
        })
final class HistoryCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--device", required = true, paramLabel = "ID", description = "The device: NAME (namespace default) or NAMESPACE/NAME.")
    String device;

    @Option(names = "--property", paramLabel = "P", description = "Only events that set or clear property P (desired or reported).")
    String property;

    @Mixin
    TimeWindow window;

    @Option(names = "--stream", paramLabel = "S", description = "Only events of stream S (e.g. edge/edge-a, cloud/edge-a).")
    String stream;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Print at most N events, 0 for all. Default: ${DEFAULT-VALUE}.")
    long limit;

    @Option(names = "--json", description = "One JSON object per line instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        if (limit < 0) throw new TwinctlException("twinctl:usage", ExitCode.USAGE, "--limit must be >= 0");
        DataDir dir = common.dataDir();
        DeviceId id = DeviceId.parse(device);
        Snapshots snapshots = Snapshots.read(dir);
        Replay replay = new Replay(id, common.out());
        List<JournalEntry> compacted = snapshots.entries(id);
        for (JournalEntry e : compacted) replay.twin = replay.twin.apply(EventView.of(e).record());
        JournalPass.run(common, dir, "history " + id, snapshots, replay::accept);
        PrintWriter err = common.err();
        for (String note : snapshots.notes()) err.println("history: " + note + "; earlier events are not listed");
        if (!compacted.isEmpty()) {
            err.println("history: " + compacted.size() + " snapshot entr" + (compacted.size() == 1 ? "y" : "ies") + " of " + id
                    + " (the newest of its trimmed events per value) give the twin before the first event listed");
        }
        if (!json) {
            if (replay.table.size() == 0) err.println("no events of " + id + " match" + (replay.touched ? "" : " (the journal holds no event of it)"));
            else replay.table.print(common.out());
        }
        common.checkOutput();
        if (replay.more > 0) err.println(replay.more + " more matching events not shown (--limit " + limit + ")");
        return ExitCode.OK;
    }

    /** The device's replay: its twin so far, and the output. */
    private final class Replay {
        final DeviceId id;
        final DeviceFilter filter;
        final PrintWriter out;
        final TextTable table = new TextTable("POSITION", "TIME (HLC)", "WALL TIME", "ORIGIN", "KIND", "PROPERTY", "OLD -> NEW");
        DeviceTwin twin;
        long shown;
        long more;
        boolean touched;

        Replay(DeviceId id, PrintWriter out) {
            this.id = id;
            this.filter = DeviceFilter.of(id);
            this.out = out;
            this.twin = DeviceTwin.empty(id);
        }

        void accept(JournalEntry e) {
            if (!filter.mayMatch(e.payload())) return;
            EventView v = EventView.of(e);
            if (!v.device().equals(id)) return;
            touched = true;
            JsonNode old = v.slotOf(twin);
            twin = twin.apply(v.record());
            if (!selected(v)) return;
            if (limit > 0 && shown >= limit) {
                more++;
                return;
            }
            shown++;
            JsonNode now = v.slotOf(twin);
            if (json) {
                ObjectNode o = v.envelopeJson();
                o.set("old", old);
                o.set("new", now);
                out.println(JsonOut.write(o));
            } else {
                table.row(e.stream() + ":" + e.seq(), Times.hlcTime(e.hlc()) + "#" + Hlc.counter(e.hlc()),
                        Instant.ofEpochMilli(e.wallTime()), e.origin(), v.kind(), v.property() == null ? "" : v.property(),
                        JsonOut.cell(old) + " -> " + JsonOut.cell(now));
            }
        }

        private boolean selected(EventView v) {
            JournalEntry e = v.entry();
            return window.contains(e.hlc())
                    && (stream == null || stream.equals(e.stream()))
                    && (property == null || property.equals(v.property()));
        }
    }
}
