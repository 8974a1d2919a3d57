package dev.edgetwin.log.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.FsyncPolicy;
import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.ListFilter;
import dev.edgetwin.log.Result;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.chronicle.JournalOptions;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;
import dev.edgetwin.log.rocksdb.RocksProjection;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * twinctl on an edge whose journal retention trimmed (one-second journal files, trimmed as the
 * edge's retention does: its own stream up to what the cloud holds, the cloud's replica whole):
 * every command starts the trimmed streams from their snapshots and says so; verify passes,
 * state and rebuild equal the live projection, and a moment before the trim is refused.
 */
class TwinctlTrimmedJournalTest {
    static final DeviceId LAMP1 = DeviceId.of("lamp-1");
    static final DeviceId LAMP2 = DeviceId.of("lamp-2");
    static final StoreOptions EDGE = StoreOptions.edge().withJournal(JournalOptions.DEFAULT
            .withRollCycle(TestRollCycles.TEST_SECONDLY).withFsync(FsyncPolicy.parse("never")));

    @TempDir
    static Path root;
    static String edge;
    static String cloud;
    static long base;
    static long cloudBase;
    static long held;
    static String lastPosition;
    static Map<String, String> liveDocuments;
    static String liveDigest;
    /** lamp-1's power as the edge's last trimmed entry about it left it. */
    static int lastTrimmedPower;

    @BeforeAll
    static void build() throws Exception {
        Path edgeDir = root.resolve("edge-a");
        Path cloudDir = root.resolve("cloud");
        try (TwinStore c = TwinStore.open(cloudDir, "cloud", StoreOptions.cloud()); TwinStore e = TwinStore.open(edgeDir, "edge-a", EDGE)) {
            for (DeviceId d : List.of(LAMP1, LAMP2)) {
                ok(c.execute(new TwinCommand.RegisterDevice(d, "edge-a", "lamp", Map.of(), Map.of("power", PropertyDef.ANY),
                        Map.of("power", JsonValues.parse("0"))), null, null));
            }
            replicate(c, e, "cloud/edge-a");
            for (int cycle = 0; cycle < 3; cycle++) { // each cycle in its own journal file
                for (int i = 0; i < 5; i++) report(e, LAMP1, cycle * 10 + i);
                if (cycle == 1) report(e, LAMP2, 99);
                Thread.sleep(1_100);
            }
            replicate(e, c, "edge/edge-a");
            long acked = c.journal().nextSeq("edge/edge-a"); // what the cloud holds, as the sync client would hear it
            e.trim(Map.of("edge/edge-a", acked, "cloud/edge-a", Long.MAX_VALUE), System.currentTimeMillis(), -1);
            base = e.journal().firstSeq("edge/edge-a");
            cloudBase = e.journal().firstSeq("cloud/edge-a");
            assertThat(base).as("the edge's stream was trimmed").isPositive();
            assertThat(cloudBase).as("the cloud's replica was trimmed").isPositive();
            lastTrimmedPower = lastPowerBelow(e, base);
            // life goes on after the trim, on both streams
            ok(c.execute(new TwinCommand.PatchDesired(LAMP1, Map.of("power", JsonValues.parse("42"))), null, null));
            replicate(c, e, "cloud/edge-a");
            report(e, LAMP1, 1000);
            replicate(e, c, "edge/edge-a");
            held = 0;
            for (String s : e.journal().streams()) held += e.journal().nextSeq(s) - e.journal().firstSeq(s);
            lastPosition = "edge/edge-a:" + (e.journal().nextSeq("edge/edge-a") - 1);
            liveDocuments = documents(e);
            liveDigest = e.projection().digest();
        }
        edge = edgeDir.toString();
        cloud = cloudDir.toString();
    }

    @Test
    void verifyPassesAndSaysWhichStreamsStartFromASnapshot() {
        Twinctl.Run run = Twinctl.run("verify", "--data-dir", edge, "--peer", cloud, "--json");
        assertThat(run.exit()).as("%s", run).isZero();
        JsonNode report = run.json().get(0);
        assertThat(report.get("ok").asBoolean()).isTrue();
        Map<String, JsonNode> checks = new TreeMap<>();
        report.get("checks").forEach(c -> checks.put(c.get("check").asText(), c));
        assertThat(checks.get("journal").get("summary").asText()).contains(
                "edge/edge-a starts from a snapshot at seq " + base, "cloud/edge-a starts from a snapshot at seq " + cloudBase);
        assertThat(checks.get("projection").get("status").asText()).isEqualTo("OK");
        assertThat(checks.get("projection").get("summary").asText()).contains("after 2 snapshot(s)", "equals a rebuild");
        // the cloud holds edge/edge-a from seq 0: compared from the edge's base, whose chain hash it continues
        assertThat(checks.get("replicas").get("status").asText()).isEqualTo("OK");
        assertThat(checks.get("replicas").get("summary").asText()).contains("compared from seq " + base);
    }

    @Test
    void aDamagedSnapshotFileFailsVerifyAndStopsTheReplays() throws Exception {
        Path copy = root.resolve("damaged");
        try (var files = Files.walk(Path.of(edge))) {
            for (Path f : files.toList()) {
                Path to = copy.resolve(Path.of(edge).relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(to);
                else Files.copy(f, to);
            }
        }
        Path snap = copy.resolve("journal/snapshots/" + java.net.URLEncoder.encode("edge/edge-a", java.nio.charset.StandardCharsets.UTF_8) + ".snap");
        byte[] bytes = Files.readAllBytes(snap);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(snap, bytes);

        Twinctl.Run verify = Twinctl.run("verify", "--data-dir", copy.toString(), "--json");
        assertThat(verify.exit()).as("%s", verify).isEqualTo(ExitCode.VERIFY_FAILED);
        JsonNode problem = verify.json().get(0).get("firstProblem");
        assertThat(problem.get("check").asText()).isEqualTo("journal");
        assertThat(problem.get("cause").asText()).contains("journal:corrupt", "edge%2Fedge-a.snap");
        Twinctl.Run state = Twinctl.run("state", "--data-dir", copy.toString(), "--at", lastPosition);
        assertThat(state.exit()).isEqualTo(ExitCode.DATA);
        assertThat(state.err()).contains("twinctl:journal.damaged");
    }

    @Test
    void stateAtTheLastPositionAndNowEqualsTheLiveProjection() {
        Twinctl.Run fleet = Twinctl.run("state", "--data-dir", edge, "--at", lastPosition);
        assertThat(fleet.exit()).as("%s", fleet).isZero();
        assertThat(documentsOf(fleet)).isEqualTo(liveDocuments);
        assertThat(fleet.err()).contains("state: edge/edge-a starts from a snapshot at seq " + base,
                "state: cloud/edge-a starts from a snapshot at seq " + cloudBase);

        Twinctl.Run lamp = Twinctl.run("state", "--data-dir", edge, "--device", "lamp-2", "--at", Instant.now().toString());
        assertThat(lamp.exit()).as("%s", lamp).isZero();
        assertThat(documentsOf(lamp)).containsExactly(Map.entry("default/lamp-2", liveDocuments.get("default/lamp-2")));
    }

    @Test
    void aMomentBeforeTheTrimIsRefusedNotGuessed() {
        Twinctl.Run below = Twinctl.run("state", "--data-dir", edge, "--at", "edge/edge-a:" + (base - 1));
        assertThat(below.exit()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(below.err()).contains("twinctl:position.trimmed", "edge/edge-a starts from a snapshot at seq " + base);
        Twinctl.Run early = Twinctl.run("state", "--data-dir", edge, "--at", "2000-01-01T00:00:00Z");
        assertThat(early.exit()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(early.err()).contains("twinctl:position.trimmed", "the state is exact from that time on");
    }

    @Test
    void historyStartsFromTheSnapshotsTwin() {
        Twinctl.Run run = Twinctl.run("history", "--data-dir", edge, "--device", "lamp-1", "--stream", "edge/edge-a", "--json");
        assertThat(run.exit()).as("%s", run).isZero();
        List<JsonNode> lines = run.json();
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l.get("seq").asLong()).isGreaterThanOrEqualTo(base));
        // the first listed report's old value is the newest trimmed one, kept by the snapshot
        JsonNode first = lines.get(0);
        assertThat(first.get("old").asInt()).isEqualTo(lastTrimmedPower);
        assertThat(lines.get(lines.size() - 1).get("new").asInt()).isEqualTo(1000);
        assertThat(run.err()).contains("history: edge/edge-a starts from a snapshot at seq " + base, "give the twin before the first event");
    }

    @Test
    void exportAndStatsCountWhatTheJournalHoldsAndNameTheSnapshots() {
        Twinctl.Run export = Twinctl.run("export", "--data-dir", edge);
        assertThat(export.exit()).as("%s", export).isZero();
        assertThat(export.json()).hasSize((int) held).allSatisfy(l -> assertThat(l.get("seq").asLong())
                .isGreaterThanOrEqualTo(l.get("stream").asText().equals("edge/edge-a") ? base : cloudBase));
        assertThat(export.err()).contains("export: edge/edge-a starts from a snapshot at seq " + base, "are not exported");

        Twinctl.Run stats = Twinctl.run("stats", "--data-dir", edge, "--json");
        assertThat(stats.exit()).as("%s", stats).isZero();
        JsonNode report = stats.json().get(0);
        assertThat(report.get("journal").get("entries").asLong()).isEqualTo(held);
        Map<String, JsonNode> streams = new TreeMap<>();
        report.get("streams").forEach(s -> streams.put(s.get("stream").asText(), s));
        assertThat(streams.get("edge/edge-a").get("firstSeq").asLong()).isEqualTo(base);
        assertThat(streams.get("edge/edge-a").get("snapshot").get("upTo").asLong()).isEqualTo(base);
        assertThat(streams.get("edge/edge-a").get("snapshot").get("entries").asInt()).isBetween(1, (int) base);
        assertThat(streams.get("cloud/edge-a").get("snapshot").get("upTo").asLong()).isEqualTo(cloudBase);
        Twinctl.Run table = Twinctl.run("stats", "--data-dir", edge);
        assertThat(table.out()).contains("snapshot + " + base + "..", "edge/edge-a starts from a snapshot at seq " + base);
    }

    @Test
    void rebuildFromTheSnapshotsEqualsTheLiveProjection() {
        Twinctl.Run run = Twinctl.run("rebuild", "--data-dir", edge);
        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).contains("edge/edge-a starts from a snapshot at seq " + base, "and 2 snapshot(s)");
        try (RocksProjection p = RocksProjection.openReadOnly(Path.of(edge).resolve("projection"))) {
            assertThat(p.digest()).isEqualTo(liveDigest);
        }
        assertThat(Twinctl.run("verify", "--data-dir", edge).exit()).isZero();
    }

    private static void ok(Result r) {
        assertThat(r).isInstanceOf(Result.Applied.class);
    }

    private static void report(TwinStore edge, DeviceId id, int power) {
        ok(edge.execute(new TwinCommand.PatchReported(id, Map.of("power", JsonValues.parse(Integer.toString(power)))), null, null));
    }

    /** Copies what {@code from} holds of {@code stream} beyond {@code to}'s replica, as the sync protocol would. */
    private static void replicate(TwinStore from, TwinStore to, String stream) {
        List<byte[]> entries = new ArrayList<>();
        try (JournalCursor c = from.journal().read(stream, to.journal().nextSeq(stream))) {
            for (JournalEntry e = c.next(); e != null; e = c.next()) entries.add(e.bytes());
        }
        to.acceptReplica(stream, entries);
    }

    /** lamp-1's reported power as of the edge's entries below {@code base} (read from the snapshot that stands for them). */
    private static int lastPowerBelow(TwinStore edge, long base) {
        DeviceTwin twin = DeviceTwin.empty(LAMP1);
        for (JournalEntry e : edge.journal().snapshot("edge/edge-a").orElseThrow().entries()) {
            var record = TwinStore.toRecord(e);
            if (record.event().device().equals(LAMP1)) twin = twin.apply(record);
        }
        return twin.reported("power").orElseThrow().asInt();
    }

    private static Map<String, String> documents(TwinStore s) {
        Map<String, String> out = new TreeMap<>();
        for (DeviceTwin t : s.list(ListFilter.ALL, null, 1000).items()) out.put(t.id().toString(), t.documentJson());
        return out;
    }

    private static Map<String, String> documentsOf(Twinctl.Run run) {
        Map<String, String> out = new TreeMap<>();
        for (String line : run.lines()) {
            JsonNode d = JsonValues.parse(line);
            out.put(d.get("namespace").asText() + "/" + d.get("id").asText(), line); // as printed: the live document's own text
        }
        return out;
    }
}
