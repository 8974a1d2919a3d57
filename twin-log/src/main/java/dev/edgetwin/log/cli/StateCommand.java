package dev.edgetwin.log.cli;

import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.JournalSnapshot;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code twinctl state}: twin documents as they were at a moment, replayed from the journal in
 * memory through the same merge as the live store ({@link DeviceTwin#apply}). A time selects
 * the events whose HLC time is at or before it; a position {@code STREAM:SEQ} selects every
 * entry the journal had appended up to and including that one (see {@link At}). Trimmed
 * streams start from their snapshots ({@link Snapshots}), which the output names.
 */
@Command(name = "state", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = TwinctlCommand.Version.class,
        description = "Twin documents as they were at a time or journal position, replayed from the journal: one device, "
                + "or the whole fleet (one JSON document per line, ordered by id).",
        footerHeading = "%nExamples:%n",
        footer = {
            "  twinctl state --data-dir /var/lib/edgetwin --device lamp-1 --at 2026-11-23T10:15:00Z",
            "  twinctl state --data-dir DIR --at edge/edge-a:41            # the fleet right after that entry",
            "  twinctl state --data-dir DIR --device factory/press-7 --at 1763892900000",
        })
final class StateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--device", paramLabel = "ID", description = "One device (NAME or NAMESPACE/NAME); default: every device.")
    String device;

    @Option(names = "--at", required = true, paramLabel = "TIME|STREAM:SEQ", converter = At.Converter.class,
            description = "The moment: a time (events with HLC time at or before it; " + Times.FORMATS + ") or a journal "
                    + "position STREAM:SEQ (what the node showed right after appending that entry).")
    At at;

    @Override
    public Integer call() {
        DataDir dir = common.dataDir();
        DeviceId id = device == null ? null : DeviceId.parse(device);
        Snapshots snapshots = Snapshots.read(dir);
        List<JournalEntry> compacted = snapshots.entries(id);
        checkNotTrimmed(snapshots, compacted);
        Replay replay = new Replay(id);
        replay.merge(compacted); // they stand for the trimmed prefixes, every event of which precedes the moment
        try (BatchPipeline merge = new BatchPipeline("state", BatchPipeline.DEFAULT_BATCH, replay::merge)) {
            JournalPass.run(common, dir, "state at " + at, snapshots, e -> {
                if (replay.selects(e)) merge.accept(e);
            });
            merge.finish();
        }
        PrintWriter err = common.err();
        snapshots.notes().forEach(n -> err.println("state: " + n));
        if (at.isPosition() && !replay.reached) {
            throw new TwinctlException("twinctl:position.notfound", ExitCode.NOT_FOUND, "the journal holds no entry " + at);
        }
        PrintWriter out = common.out();
        int printed = 0;
        for (DeviceTwin t : replay.twins.values()) {
            if (!t.exists()) continue;
            out.println(t.documentJson());
            printed++;
        }
        common.checkOutput();
        if (id != null && printed == 0) {
            throw new TwinctlException("twinctl:device.notfound", ExitCode.NOT_FOUND, "device " + id + " did not exist at " + at);
        }
        err.println("state at " + at + ": " + printed + " device(s), from " + replay.applied + " event(s)");
        return ExitCode.OK;
    }

    /**
     * A trimmed stream's snapshot keeps only the newest entry per register, so the state is exact
     * only at moments after every trimmed event ({@code twinctl:position.trimmed}, exit 2, before):
     * a position at or after the stream's base, a time at or after the newest snapshot entry of
     * the device (of any device for the fleet) — the newest trimmed event is always kept.
     */
    private void checkNotTrimmed(Snapshots snapshots, List<JournalEntry> compacted) {
        if (at.isPosition()) {
            JournalSnapshot s = snapshots.of(at.stream()).orElse(null);
            if (s != null && at.seq() < s.upTo()) {
                throw new TwinctlException("twinctl:position.trimmed", ExitCode.NOT_FOUND, "the journal no longer holds " + at + ": "
                        + Snapshots.note(s));
            }
            return;
        }
        long newest = Snapshots.maxHlc(compacted);
        if (!compacted.isEmpty() && Times.highHlc(at.time()) < newest) {
            throw new TwinctlException("twinctl:position.trimmed", ExitCode.NOT_FOUND, "events up to " + Times.hlcTime(newest)
                    + " were trimmed from the journal (only their snapshot remains): the state is exact from that time on, not at " + at);
        }
    }

    /**
     * The replay up to the moment: the scan thread selects entries ({@link #selects}), the
     * pipeline's worker decodes and merges them ({@link #merge}) into twins by id (absent ones
     * included, they may come back).
     */
    private final class Replay {
        final DeviceId only;
        final DeviceFilter filter;
        final long maxHlc = at.isPosition() ? Long.MAX_VALUE : Times.highHlc(at.time());
        final Map<DeviceId, DeviceTwin> twins = new TreeMap<>();
        boolean reached;
        long applied;

        Replay(DeviceId only) {
            this.only = only;
            this.filter = only == null ? null : DeviceFilter.of(only);
        }

        /** Scan thread: is the entry part of the state at the moment? */
        boolean selects(JournalEntry e) {
            if (reached) return false;
            if (at.isPosition() && e.seq() == at.seq() && e.stream().equals(at.stream())) reached = true;
            return e.hlc() <= maxHlc && (filter == null || filter.mayMatch(e.payload()));
        }

        /** Worker thread: merges a batch of selected entries. */
        void merge(List<JournalEntry> batch) {
            for (JournalEntry e : batch) {
                EventView v = EventView.of(e);
                if (only != null && !v.device().equals(only)) continue;
                twins.compute(v.device(), (k, t) -> (t == null ? DeviceTwin.empty(k) : t).apply(v.record()));
                applied++;
            }
        }
    }
}
