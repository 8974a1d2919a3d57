package dev.edgetwin.log.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.EntryCodec;
import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.chronicle.ChronicleJournal;
import dev.edgetwin.log.chronicle.JournalFiles;
import dev.edgetwin.log.chronicle.JournalOptions;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.Envelope;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.EventRecord;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.TwinEvent;
import dev.edgetwin.log.rocksdb.ProjectionTamper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code twinctl verify} against real damage, each on a fresh {@link FleetFixture}: a flipped
 * byte inside the journal, a truncated cycle file, a replica holding a different entry than
 * its peer, a projection edited behind the journal's back. Each is caught, with exit 1, the
 * first broken position and its cause; the healthy fixture verifies first, so each failure is
 * the damage's doing.
 */
class TwinctlVerifyDamageTest {
    @TempDir
    Path root;
    FleetFixture fleet;
    String edge;
    List<JournalEntry> entries = new ArrayList<>();

    @BeforeEach
    void build() {
        fleet = FleetFixture.build(root);
        edge = fleet.edgeDir.toString();
        ChronicleJournal.openReadOnly(fleet.edgeDir.resolve("journal"), JournalOptions.DEFAULT, false, entries::add).close();
        assertThat(Twinctl.run("verify", "--data-dir", edge).exit()).isZero();
    }

    static JsonNode verifyJson(String... more) {
        List<String> args = new ArrayList<>(List.of("verify", "--json"));
        args.addAll(List.of(more));
        Twinctl.Run r = Twinctl.run(args.toArray(String[]::new));
        assertThat(r.exit()).as("%s", r).isEqualTo(ExitCode.VERIFY_FAILED);
        JsonNode j = r.json().get(0);
        assertThat(j.get("ok").asBoolean()).isFalse();
        return j;
    }

    private File cycleFile() {
        return JournalFiles.cycleFile(fleet.edgeDir.resolve("journal"), 0);
    }

    @Test
    void aFlippedByteInTheMiddleIsCorruptionAtThatEntry() throws Exception {
        File f = cycleFile();
        List<Long> offsets = JournalFiles.entryOffsets(f);
        assertThat(offsets).hasSize(entries.size());
        int victim = 100;
        long at = offsets.get(victim) + EntryCodec.OVERHEAD; // inside the stream name / payload
        byte[] b = java.nio.file.Files.readAllBytes(f.toPath());
        JournalFiles.write(f, at, new byte[]{(byte) (b[(int) at] ^ 0x20)});

        JsonNode j = verifyJson("--data-dir", edge);
        JsonNode p = j.get("firstProblem");
        JournalEntry lastGood = entries.get(victim - 1);
        assertThat(p.get("check").asText()).isEqualTo("journal");
        assertThat(p.get("position").asText()).startsWith("segment 0 after chronicle index")
                .endsWith("(last valid entry " + lastGood.stream() + "@" + lastGood.seq() + ")");
        assertThat(p.get("cause").asText()).contains("journal:crc").contains("a valid entry follows");
        assertThat(j.get("checks").get(0).get("summary").asText()).contains("after " + victim + " intact entries");
        assertThat(j.get("checks").get(2).get("status").asText()).isEqualTo("SKIPPED");

        Twinctl.Run text = Twinctl.run("verify", "--data-dir", edge);
        assertThat(text.out()).contains("journal     FAILED", "verify: FAILED (journal) at segment 0", "journal:crc");
        Twinctl.Run history = Twinctl.run("history", "--data-dir", edge, "--device", "lamp-1");
        assertThat(history.exit()).isEqualTo(ExitCode.DATA);
        assertThat(history.err()).contains("twinctl:journal.damaged", "journal:corrupt", "twinctl verify");
    }

    @Test
    void aTruncatedCycleFileIsADamagedTailAndTheEntriesBeforeItStillServe() throws Exception {
        File f = cycleFile();
        List<Long> offsets = JournalFiles.entryOffsets(f);
        int cut = entries.size() - 3; // keep entries [0, cut), tear the next one in half
        JournalFiles.truncate(f, offsets.get(cut) + 20);

        JsonNode j = verifyJson("--data-dir", edge);
        JsonNode p = j.get("firstProblem");
        JournalEntry lastGood = entries.get(cut - 1);
        assertThat(p.get("check").asText()).isEqualTo("journal");
        assertThat(p.get("position").asText()).endsWith("(last valid entry " + lastGood.stream() + "@" + lastGood.seq() + ")");
        assertThat(j.get("checks").get(0).get("summary").asText()).startsWith(cut + " entries").contains("damaged tail");
        // the projection applied the lost entries: it is now ahead of what the journal can prove
        assertThat(j.get("checks").get(2).get("status").asText()).isEqualTo("FAILED");
        assertThat(j.get("checks").get(2).get("cause").asText()).contains("the journal holds");

        // read-only commands keep working on the intact prefix, and say what they left out
        JsonNode stats = Twinctl.run("stats", "--data-dir", edge, "--json").json().get(0);
        assertThat(stats.get("journal").get("entries").asInt()).isEqualTo(cut);
        assertThat(stats.get("journal").get("uncutTail").asText()).contains("last valid entry " + lastGood.stream() + "@" + lastGood.seq());
        assertThat(Twinctl.run("export", "--data-dir", edge).lines()).hasSize(cut);
    }

    @Test
    void aReplicaHoldingADifferentEntryIsNotAPrefixOfItsPeer() {
        Path forged = root.resolve("forged");
        String stream = "cloud/edge-a";
        List<byte[]> original = new ArrayList<>();
        try (ChronicleJournal cloud = ChronicleJournal.openReadOnly(fleet.cloudDir.resolve("journal"), JournalOptions.DEFAULT, false, null);
             JournalCursor c = cloud.read(stream, 0)) {
            for (JournalEntry e = c.next(); e != null; e = c.next()) original.add(e.bytes());
        }
        int at = 4;
        try (TwinStore store = TwinStore.open(forged, "edge-a", StoreOptions.edge())) {
            List<JournalEntry> kept = store.acceptReplica(stream, original.subList(0, at));
            JournalEntry real = EntryCodec.decode(original.get(at));
            // a well-formed, well-chained entry with the same envelope and another event: only a peer can tell
            byte[] payload = EventCodec.encode(new TwinEvent.DesiredSet(FleetFixture.LAMP1, "powerstatus", JsonValues.text("HACKED")));
            JournalEntry fake = EntryCodec.create(stream, at, real.hlc(), real.origin(), real.wallTime(), real.clientToken(),
                    kept.get(kept.size() - 1).hash(), payload);
            store.acceptReplica(stream, List.of(fake.bytes()));
        }
        assertThat(Twinctl.run("verify", "--data-dir", forged.toString()).exit()).as("consistent on its own").isZero();

        JsonNode j = verifyJson("--data-dir", forged.toString(), "--peer", fleet.cloudDir.toString());
        JsonNode p = j.get("firstProblem");
        assertThat(p.get("check").asText()).isEqualTo("replicas");
        assertThat(p.get("position").asText()).isEqualTo(stream + ":" + at);
        assertThat(p.get("cause").asText()).contains("HACKED", "DesiredSet default/lamp-1 powerstatus = OFF", fleet.cloudDir.toString());

        Twinctl.Run text = Twinctl.run("verify", "--data-dir", fleet.cloudDir.toString(), "--peer", forged.toString());
        assertThat(text.exit()).isEqualTo(ExitCode.VERIFY_FAILED);
        assertThat(text.out()).contains("replicas    FAILED", "verify: FAILED (replicas) at cloud/edge-a:4");
    }

    @Test
    void aTwinEditedBehindTheJournalsBackIsNamed() {
        Path projection = fleet.edgeDir.resolve("projection");
        DeviceTwin twin = ProjectionTamper.twin(projection, FleetFixture.LAMP1);
        long hlc = twin.maxHlc() + 1;
        ProjectionTamper.putTwin(projection, twin.apply(new EventRecord(new Envelope("edge/edge-a", 0, hlc, "mallory", 0, ""),
                new TwinEvent.ReportedSet(FleetFixture.LAMP1, "powerstatus", JsonValues.text("TAMPERED")))));

        JsonNode p = verifyJson("--data-dir", edge).get("firstProblem");
        assertThat(p.get("check").asText()).isEqualTo("projection");
        assertThat(p.get("position").asText()).isEqualTo("devices default/lamp-1");
        assertThat(p.get("cause").asText()).contains("live projection holds", "TAMPERED", "\"origin\":\"mallory\"", "the rebuild holds");
    }

    @Test
    void rebuildRepairsAnEditedProjectionFromTheJournalAndLeavesTheJournalAlone() throws Exception {
        Path projection = fleet.edgeDir.resolve("projection");
        String before = Twinctl.run("state", "--data-dir", edge, "--at", fleet.edgeSnapshots.get(fleet.edgeSnapshots.size() - 1).position()).out();
        ProjectionTamper.dropNewestHistoryKey(projection, FleetFixture.LAMP1);
        assertThat(Twinctl.run("verify", "--data-dir", edge).exit()).isEqualTo(ExitCode.VERIFY_FAILED);
        byte[] journal = java.nio.file.Files.readAllBytes(cycleFile().toPath());

        Twinctl.Run rebuild = Twinctl.run("rebuild", "--data-dir", edge);
        assertThat(rebuild.exit()).as("%s", rebuild).isZero();
        assertThat(rebuild.out()).contains("rebuilt " + projection, entries.size() + " entries of 2 stream(s)");

        assertThat(Twinctl.run("verify", "--data-dir", edge).exit()).isZero();
        assertThat(java.nio.file.Files.readAllBytes(cycleFile().toPath())).as("the journal is only read").isEqualTo(journal);
        assertThat(ProjectionTamper.twin(projection, FleetFixture.LAMP1).documentJson())
                .isEqualTo(fleet.edgeSnapshots.get(fleet.edgeSnapshots.size() - 1).documents().get("default/lamp-1"));
        assertThat(Twinctl.run("state", "--data-dir", edge, "--at", fleet.edgeSnapshots.get(fleet.edgeSnapshots.size() - 1).position()).out())
                .isEqualTo(before);
    }

    @Test
    void aHistoryKeyDeletedBehindTheJournalsBackIsNamed() {
        ProjectionTamper.dropNewestHistoryKey(fleet.edgeDir.resolve("projection"), FleetFixture.SENSOR);
        JournalEntry newest = entries.stream()
                .filter(e -> EventCodec.decode(e.payload()).device().equals(FleetFixture.SENSOR)).reduce((a, b) -> b).orElseThrow();

        JsonNode p = verifyJson("--data-dir", edge).get("firstProblem");
        assertThat(p.get("check").asText()).isEqualTo("projection");
        assertThat(p.get("position").asText()).startsWith("history factory/sensor-1 at " + newest.stream() + ":" + newest.seq());
        assertThat(p.get("cause").asText()).contains("live projection holds absent", "the rebuild holds (present)");
    }
}
