package dev.edgetwin.log.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgetwin.log.JournalException;
import dev.edgetwin.log.chronicle.ChronicleJournal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code twinctl verify}: proves a data directory intact, reading it only. In one pass over the
 * journal: every entry's CRC, every stream's contiguity and hash chain, a clean tail (when the
 * node is stopped; a running node's tail is where it appends), while feeding a rebuild of the
 * projection up to the live projection's checkpoints, which is then compared key by key. With
 * {@code --peer}, every stream also held by the peer must be an exact prefix of its copy.
 * Exit 0 when all is well, 1 with the first broken position and its cause otherwise.
 */
@Command(name = "verify", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = TwinctlCommand.Version.class,
        description = "Checks every entry's CRC and every stream's hash chain, that replicas are exact prefixes of their "
                + "peers' copies (--peer), and that the projection equals a rebuild from the journal. Prints a summary; "
                + "exits 1 with the first broken position and its cause when anything is wrong.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  twinctl verify --data-dir /var/lib/edgetwin",
            "  twinctl verify --data-dir /data/edge-a --peer /data/cloud     # replicas of the cloud's streams, and the cloud's of ours",
            "  twinctl verify --data-dir DIR --json --work-dir /scratch       # rebuild in /scratch, summary as JSON",
        })
final class VerifyCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--peer", paramLabel = "DIR",
            description = "Another node's data directory: every stream both hold must be an exact prefix of the other's copy. Repeatable.")
    List<Path> peers = new ArrayList<>();

    @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = "${sys:java.io.tmpdir}",
            description = "Where the temporary rebuild of the projection goes (deleted afterwards). Default: ${DEFAULT-VALUE}.")
    Path workDir;

    @Option(names = "--json", description = "The summary as one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        DataDir dir = common.dataDir();
        if (workDir.toAbsolutePath().normalize().startsWith(dir.root().toAbsolutePath().normalize())) {
            throw new TwinctlException("twinctl:usage", ExitCode.USAGE, "--work-dir " + workDir + " lies inside the data directory, "
                    + "which verify never writes to: choose another");
        }
        List<Check> checks = new ArrayList<>();
        Snapshots snapshots;
        try {
            snapshots = Snapshots.read(dir);
        } catch (TwinctlException e) {
            // a damaged snapshot file is a verify finding like a damaged entry (the node would refuse to open)
            checks.add(Check.failed("journal", "a snapshot file is damaged", "snapshots", e.getMessage()));
            checks.add(Check.skipped(ReplicaCheck.NAME, "the journal is damaged"));
            checks.add(Check.skipped(ProjectionCheck.NAME, "the journal is damaged"));
            print(dir, checks);
            return ExitCode.VERIFY_FAILED;
        }
        try (ProjectionCheck projection = ProjectionCheck.open(dir, workDir, snapshots)) {
            ChronicleJournal journal = scanJournal(dir, snapshots, projection, checks);
            try {
                checks.add(replicas(journal, checks.get(0)));
                checks.add(journal == null ? Check.skipped(ProjectionCheck.NAME, "the journal is damaged")
                        : projection.finish(journal, common));
            } finally {
                if (journal != null) journal.close();
            }
        }
        print(dir, checks);
        return checks.stream().anyMatch(Check::failed) ? ExitCode.VERIFY_FAILED : ExitCode.OK;
    }

    /** The journal check; returns the scanned journal, or null when it is damaged before its tail. */
    private ChronicleJournal scanJournal(DataDir dir, Snapshots snapshots, ProjectionCheck projection, List<Check> checks) {
        long[] entries = {0};
        Set<String> streams = new HashSet<>();
        try {
            ChronicleJournal journal = JournalPass.scan(common, dir.journal(), dir.liveTail(), "verify: journal", e -> {
                entries[0]++;
                streams.add(e.stream());
                projection.accept(e);
            });
            try {
                snapshots.checkMatches(journal);
            } catch (TwinctlException e) {
                journal.close();
                throw e;
            }
            String scope = Progress.count(entries[0]) + " entries in " + streams.size() + " stream(s): CRC, contiguity and hash chains intact"
                    + snapshots.notes().stream().map(n -> "; " + n + ", whose chain the next entry continues").reduce("", String::concat);
            checks.add(journal.uncutTail()
                    .map(tail -> Check.failed("journal", scope + "; then a damaged tail (the node cuts it on its next start)",
                            position(tail), cause(tail)))
                    .orElseGet(() -> Check.ok("journal", scope + (dir.liveTail()
                            ? "; the tail was not examined (node " + dir.liveness().describe() + ")" : ", tail clean"))));
            return journal;
        } catch (JournalException e) {
            String what = e.getMessage();
            checks.add(Check.failed("journal", "damaged after " + Progress.count(entries[0]) + " intact entries", position(what), cause(what)));
            return null;
        }
    }

    private Check replicas(ChronicleJournal journal, Check journalCheck) {
        if (peers.isEmpty()) return Check.skipped(ReplicaCheck.NAME, "no --peer given");
        if (journal == null) return Check.skipped(ReplicaCheck.NAME, "the journal is damaged");
        for (Path peerRoot : peers) {
            DataDir peer = DataDir.of(peerRoot);
            ChronicleJournal peerJournal;
            try {
                peerJournal = JournalPass.scan(common, peer.journal(), peer.liveTail(), "verify: peer journal " + peerRoot, e -> { });
            } catch (JournalException e) {
                return Check.failed(ReplicaCheck.NAME, "the peer's journal is damaged", peerRoot.toString(), e.getMessage());
            }
            try (peerJournal) {
                Check c = ReplicaCheck.compare(journal, peerJournal, peerRoot.toString(), common);
                if (c.failed() || peers.size() == 1) return c;
            }
        }
        return Check.ok(ReplicaCheck.NAME, "every stream in common with " + peers.size() + " peers is an exact prefix of their copy");
    }

    /** JournalScan describes damage as "segment S after chronicle index I (last valid entry E): cause". */
    private static String position(String damage) {
        int at = damage.indexOf("segment ");
        int end = damage.indexOf("): ", at);
        return at < 0 || end < 0 ? null : damage.substring(at, end + 1);
    }

    private static String cause(String damage) {
        int at = damage.indexOf("segment ");
        int end = damage.indexOf("): ", at);
        return at < 0 || end < 0 ? damage : damage.substring(end + 3);
    }

    private void print(DataDir dir, List<Check> checks) {
        PrintWriter out = common.out();
        Check first = checks.stream().filter(Check::failed).findFirst().orElse(null);
        if (json) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("dataDir", dir.root().toString());
            o.put("node", dir.liveness().describe());
            o.put("ok", first == null);
            ArrayNode a = o.putArray("checks");
            checks.forEach(c -> a.add(c.json()));
            if (first != null) o.set("firstProblem", first.json());
            out.println(JsonOut.write(o));
        } else {
            out.println("verify " + dir.root() + " (node " + dir.liveness().describe() + ")");
            // whole sentences: not a clipped table
            for (Check c : checks) {
                out.printf("  %-11s %-8s %s%n", c.name(), c.status(), c.failed() ? c.summary() + ": " + c.problem() : c.summary());
            }
            out.println(first == null ? "verify: OK" : "verify: FAILED (" + first.name() + ") at " + first.problem());
        }
        common.checkOutput();
    }
}
