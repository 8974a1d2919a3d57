package dev.edgetwin.log.cli;

import dev.edgetwin.log.InMemoryJournal;
import dev.edgetwin.log.Journal;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.JournalSnapshot;
import dev.edgetwin.log.ProjectionException;
import dev.edgetwin.log.rocksdb.ProjectionDiff;
import dev.edgetwin.log.rocksdb.RocksProjection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The projection part of {@code twinctl verify}: the live projection, opened read-only as it
 * was last flushed (with checkpoints that match its data: atomic flush, no WAL), against a
 * projection rebuilt in a temporary directory from the journal up to those same checkpoints.
 * The rebuild is fed during the journal scan ({@link #accept}), through the same
 * {@link RocksProjection#apply} the node uses, so the journal is read once, after the snapshots
 * of trimmed streams ({@link RocksProjection#applySnapshot}). Equal means every
 * key and value of every column family is equal; otherwise the first differing key is named.
 */
final class ProjectionCheck implements AutoCloseable {
    static final String NAME = "projection";
    // as the node's replay: each touched twin is encoded and written once per batch
    private static final int BATCH = 65_536;
    private static final int REBUILD_CACHE = 100_000;

    private final RocksProjection live;
    private final Map<String, Long> checkpoints;
    private final Path tempDir;
    private final RocksProjection rebuilt;
    private final String unavailable;
    private final String unreadable;
    private final BatchPipeline pipeline;
    private long applied;
    private int snapshots;

    private ProjectionCheck(RocksProjection live, Path tempDir, RocksProjection rebuilt, String unavailable) {
        this(live, tempDir, rebuilt, unavailable, null);
    }

    private ProjectionCheck(RocksProjection live, Path tempDir, RocksProjection rebuilt, String unavailable, String unreadable) {
        this.live = live;
        this.checkpoints = live == null ? Map.of() : new TreeMap<>(live.checkpoints());
        this.tempDir = tempDir;
        this.rebuilt = rebuilt;
        this.unavailable = unavailable;
        this.unreadable = unreadable;
        // the rebuild's writes run beside the journal scan, on the second core
        this.pipeline = rebuilt == null ? null : new BatchPipeline("rebuild", BATCH, rebuilt::apply);
    }

    /**
     * Opens the live projection read-only and a rebuild under {@code workDir} that starts from
     * the snapshots of trimmed streams, as a node's replay does (FORMAT.md §6).
     */
    static ProjectionCheck open(DataDir dir, Path workDir, Snapshots snapshots) {
        if (!dir.hasProjection()) return new ProjectionCheck(null, null, null, "no projection in " + dir.projection());
        RocksProjection live;
        try {
            live = RocksProjection.openReadOnly(dir.projection());
        } catch (ProjectionException e) {
            return new ProjectionCheck(null, null, null, null, e.getMessage());
        }
        for (JournalSnapshot s : snapshots.all()) {
            long held = live.checkpoint(s.stream());
            if (held < s.upTo()) {
                live.close();
                // after a crash, the projection may be flushed as of before the last trim: the node replays the snapshot on start
                return new ProjectionCheck(null, null, null, "the projection was last flushed before " + s.stream() + " was trimmed to seq "
                        + s.upTo() + " (it holds " + held + "): a rebuild cannot stop there; the node applies the snapshot on its next start");
            }
        }
        Path temp = null;
        try {
            Files.createDirectories(workDir);
            temp = Files.createTempDirectory(workDir, "twinctl-verify-");
            RocksProjection rebuilt = RocksProjection.open(temp.resolve("projection"), new InMemoryJournal(), REBUILD_CACHE);
            try {
                for (JournalSnapshot s : snapshots.all()) rebuilt.applySnapshot(s);
            } catch (RuntimeException e) {
                rebuilt.close();
                throw e;
            }
            ProjectionCheck check = new ProjectionCheck(live, temp, rebuilt, null);
            check.snapshots = snapshots.all().size();
            return check;
        } catch (IOException | RuntimeException e) {
            live.close();
            if (temp != null) deleteTree(temp);
            throw new TwinctlException("twinctl:workdir", ExitCode.DATA, "cannot create a rebuild projection under " + workDir + ": " + e, e);
        }
    }

    /** Feeds one verified journal entry (append order): applied to the rebuild when below the live checkpoint of its stream. */
    void accept(JournalEntry e) {
        if (rebuilt == null || e.seq() >= checkpoints.getOrDefault(e.stream(), 0L)) return;
        pipeline.accept(e);
        applied++;
    }

    /** Entries of the journal the live projection has applied, by its checkpoints. */
    long checkpointed() {
        return checkpoints.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Finishes the rebuild and compares; {@code journal} is the scanned journal (for its stream lengths). */
    Check finish(Journal journal, CommonOptions options) {
        if (unavailable != null) return Check.skipped(NAME, unavailable);
        if (unreadable != null) return Check.failed(NAME, "cannot be opened read-only", "projection", unreadable);
        pipeline.finish();
        for (Map.Entry<String, Long> c : checkpoints.entrySet()) {
            long held = journal.nextSeq(c.getKey());
            if (c.getValue() > held) {
                return Check.failed(NAME, "the projection is ahead of the journal", c.getKey() + ":" + held,
                        "the projection has applied " + c.getKey() + " up to seq " + (c.getValue() - 1) + ", the journal holds "
                                + held + " entries of it");
            }
        }
        ProjectionDiff.Outcome outcome;
        try (Progress p = options.progress("verify: projection vs rebuild", 0, "keys")) {
            outcome = ProjectionDiff.compare(live, rebuilt, p::set);
        }
        String scope = Progress.count(applied) + " entries of " + checkpoints.size() + " stream(s) up to its checkpoints"
                + (snapshots == 0 ? "" : " after " + snapshots + " snapshot(s)") + ", "
                + Progress.count(outcome.keysCompared()) + " keys compared";
        if (outcome.difference().isPresent()) {
            ProjectionDiff.Difference d = outcome.difference().get();
            return Check.failed(NAME, "differs from a rebuild from the journal (" + scope + ")", d.family() + " " + d.key(),
                    "live projection holds " + d.a() + "; the rebuild holds " + d.b());
        }
        return Check.ok(NAME, "equals a rebuild from the journal (" + scope + ")");
    }

    @Override
    public void close() {
        if (pipeline != null) pipeline.close();
        if (rebuilt != null) rebuilt.close();
        if (live != null) live.close();
        if (tempDir != null) deleteTree(tempDir);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the temporary rebuild " + dir, e);
        }
    }
}
