package dev.edgetwin.log.cli;

import dev.edgetwin.log.InMemoryJournal;
import dev.edgetwin.log.JournalSnapshot;
import dev.edgetwin.log.ProjectionException;
import dev.edgetwin.log.chronicle.ChronicleJournal;
import dev.edgetwin.log.rocksdb.RocksProjection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code twinctl rebuild}: drops the projection and rebuilds it from the journal, with the
 * node stopped — the only twinctl command that writes, and only to {@code projection/}. The
 * journal is read twice and never changed: a first pass verifies all of it before anything is
 * dropped; the second applies every entry, in append order, through the node's own
 * {@link RocksProjection#apply} (batches as in a node's replay; merge order does not matter),
 * after the snapshots of trimmed streams ({@link RocksProjection#applySnapshot}), and says which
 * streams start from one.
 * A damaged tail is left for the node to cut on its next start; the rebuild takes the entries
 * before it. A running node is detected through the lock it holds on its projection and
 * refused; RocksDB's own lock guards the rest.
 */
@Command(name = "rebuild", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = TwinctlCommand.Version.class,
        description = "Drops the projection and rebuilds it from the journal, with progress. The node must be stopped: "
                + "a running node is refused (exit 4). The journal is only read.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  twinctl rebuild --data-dir /var/lib/edgetwin",
            "  twinctl rebuild --data-dir DIR --progress lines     # progress as plain lines (logs, CI)",
        })
final class RebuildCommand implements Callable<Integer> {
    private static final int BATCH = 65_536;
    private static final int CACHE = 100_000;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        DataDir dir = common.dataDir();
        PrintWriter err = common.err();
        NodeLiveness.Status node = dir.liveness();
        if (node.state() == NodeLiveness.State.RUNNING) throw running(dir, node.describe());
        if (node.state() == NodeLiveness.State.UNKNOWN) {
            err.println("twinctl: cannot tell whether the node runs (no /proc/locks); RocksDB's lock will refuse if it does");
        }
        long start = System.nanoTime();
        long entries;
        int streams;
        Snapshots snapshots = Snapshots.read(dir);
        try (ChronicleJournal journal = JournalPass.open(common, dir, "rebuild: verifying the journal", snapshots, e -> { })) {
            journal.uncutTail().ifPresent(t -> err.println("twinctl: the journal has a damaged tail, left for the node to cut on its "
                    + "next start; rebuilding from the entries before it: " + t));
            entries = journal.streams().stream().mapToLong(s -> journal.nextSeq(s) - journal.firstSeq(s)).sum();
            streams = journal.streams().size();
        }
        RocksProjection projection;
        try {
            projection = RocksProjection.rebuild(dir.projection(), new InMemoryJournal(), CACHE); // dropped: empty
        } catch (ProjectionException e) {
            if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("lock")) throw running(dir, e.getMessage());
            throw new TwinctlException("twinctl:rebuild.failed", ExitCode.DATA, "cannot drop " + dir.projection() + ": " + e.getMessage(), e);
        }
        try (projection; BatchPipeline apply = new BatchPipeline("rebuild", BATCH, projection::apply)) {
            // a trimmed stream's entries continue its snapshot, as in a node's replay (FORMAT.md §6)
            for (JournalSnapshot s : snapshots.all()) projection.applySnapshot(s);
            JournalPass.run(common, dir, "rebuild: applying", snapshots, apply::accept);
            apply.finish();
        }
        snapshots.notes().forEach(common.out()::println);
        common.out().printf(Locale.ROOT, "rebuilt %s from %s entries of %d stream(s)%s in %.1f s%n", dir.projection(),
                Progress.count(entries), streams, snapshots.isEmpty() ? "" : " and " + snapshots.all().size() + " snapshot(s)",
                (System.nanoTime() - start) / 1e9);
        common.out().flush();
        return ExitCode.OK;
    }

    private static TwinctlException running(DataDir dir, String how) {
        return new TwinctlException("twinctl:node.running", ExitCode.NODE_RUNNING, "the node owning " + dir.root() + " is running ("
                + how + "): stop it first; rebuild drops and rewrites " + dir.projection());
    }
}
