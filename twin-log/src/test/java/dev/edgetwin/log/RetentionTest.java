package dev.edgetwin.log;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.edgetwin.log.chronicle.ChronicleJournal;
import dev.edgetwin.log.chronicle.JournalOptions;
import dev.edgetwin.log.chronicle.JournalVerifier;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.TwinEvent;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Retention (FORMAT.md §6) on the Chronicle journal: whole cycle files go, never past a
 * stream's limit; a trimmed stream keeps a snapshot; the twins, a projection rebuilt from the
 * snapshot, and a peer that installs the snapshot all agree.
 */
class RetentionTest {
    static final JournalOptions SECONDLY = JournalOptions.DEFAULT.withRollCycle(TestRollCycles.TEST_SECONDLY)
            .withFsync(FsyncPolicy.parse("never"));
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @TempDir
    Path dir;

    /** Appends in at least {@code cycles} different one-second cycle files. */
    static List<JournalEntry> fillAcrossCycles(ChronicleJournal j, String stream, String other, int cycles) throws InterruptedException {
        List<JournalEntry> written = new ArrayList<>();
        for (int c = 0; c < cycles; c++) {
            written.addAll(j.append(stream, events(c * 100L + 1, 10)));
            j.append(other, events(c * 100L + 50, 3));
            Thread.sleep(1_100);
        }
        return written;
    }

    @Test
    void wholeCycleFilesGoButNeverPastAStreamsLimit() throws Exception {
        Path jdir = dir.resolve("journal");
        List<JournalEntry> a;
        long hashAt;
        long firstAfterTrim;
        try (ChronicleJournal j = ChronicleJournal.open(jdir, SECONDLY)) {
            a = fillAcrossCycles(j, "edge/a", "cloud/a", 4);
            TrimResult nothingAcked = j.trim(Map.of("edge/a", 0L, "cloud/a", Long.MAX_VALUE), System.currentTimeMillis(), -1, l -> { });
            assertThat(nothingAcked.files()).isZero();
            assertThat(nothingAcked.blocked()).isTrue();
            assertThat(j.firstSeq("edge/a")).isZero();

            List<JournalEntry> dropped = new ArrayList<>();
            TrimResult r = j.trim(Map.of("edge/a", 25L, "cloud/a", Long.MAX_VALUE), System.currentTimeMillis(), -1, dropped::addAll);
            // each batch landed in its own one-second file (a loaded machine may split one): files holding
            // edge/a entries from 25 on stay
            assertThat(r.files()).isPositive();
            assertThat(r.blocked()).isTrue();
            int first = (int) j.firstSeq("edge/a");
            assertThat(first).isBetween(1, 25);
            assertThat(dropped).hasSize(first + (int) j.firstSeq("cloud/a"));
            assertThat(j.baseHash("edge/a")).isEqualTo(a.get(first - 1).hash());
            JournalSnapshot snap = j.snapshot("edge/a").orElseThrow();
            assertThat(snap.upTo()).isEqualTo(first);
            assertThat(snap.hash()).isEqualTo(a.get(first - 1).hash());
            assertThat(snap.entries()).hasSizeLessThanOrEqualTo(3); // one reported register per device
            assertThatThrownBy(() -> j.read("edge/a", first - 1).next()).isInstanceOfSatisfying(JournalException.class,
                    e -> assertThat(e.code()).isEqualTo("journal:trimmed"));
            try (JournalCursor c = j.read("edge/a", first)) {
                assertThat(JournalContractTest.drain(c)).containsExactlyElementsOf(a.subList(first, 40));
            }
            j.append("edge/a", events(900, 2));
            hashAt = j.lastHash("edge/a");
            firstAfterTrim = j.firstSeq("edge/a");
            try (JournalCursor all = j.readAll()) {
                assertThat(JournalContractTest.drain(all)).allMatch(e -> e.seq() >= j.firstSeq(e.stream()));
            }
            // the change stream's resume (readAllAfter): from the base on as usual, below it refused
            long base = firstAfterTrim;
            List<JournalEntry> afterBase;
            try (JournalCursor c = j.readAllAfter("edge/a", base)) {
                afterBase = JournalContractTest.drain(c);
            }
            assertThat(afterBase).allMatch(e -> e.seq() >= j.firstSeq(e.stream()))
                    .filteredOn(e -> e.stream().equals("edge/a")).extracting(JournalEntry::seq)
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(base + 1, 42).boxed().toList());
            assertThatThrownBy(() -> j.readAllAfter("edge/a", base - 1)).isInstanceOfSatisfying(JournalException.class,
                    e -> assertThat(e.code()).isEqualTo("journal:trimmed"));
        }
        assertThat(JournalVerifier.verify(jdir).ok()).isTrue();
        try (ChronicleJournal j = ChronicleJournal.open(jdir, SECONDLY)) {
            long first = j.firstSeq("edge/a");
            assertThat(first).isEqualTo(firstAfterTrim);
            assertThat(j.nextSeq("edge/a")).isEqualTo(42);
            assertThat(j.lastHash("edge/a")).isEqualTo(hashAt);
            assertThat(j.baseHash("edge/a")).isEqualTo(a.get((int) first - 1).hash());
        }
    }

    @Test
    void theTwinsAndARebuiltProjectionSurviveTrimmingAndAPeerInstallsTheSnapshot() throws Exception {
        StoreOptions edgeOptions = StoreOptions.edge().withJournal(SECONDLY);
        DeviceId lamp = DeviceId.of("lamp-1");
        DeviceId gone = DeviceId.of("lamp-2");
        Map<DeviceId, String> before;
        String digest;
        try (TwinStore edge = TwinStore.open(dir.resolve("edge"), "edge-a", edgeOptions)) {
            for (DeviceId d : List.of(lamp, gone)) {
                edge.execute(new TwinCommand.RegisterDevice(d, "edge-a", "lamp", Map.of(), Map.of("power", PropertyDef.ANY), Map.of()), null, null);
            }
            for (int c = 0; c < 4; c++) {
                for (int i = 0; i < 20; i++) {
                    edge.execute(new TwinCommand.PatchReported(lamp, Map.of("power", JSON.numberNode(c * 100 + i))), null, null);
                }
                if (c == 1) edge.execute(new TwinCommand.RemoveDevice(gone), null, null);
                Thread.sleep(1_100);
            }
            before = documents(edge);
            TrimResult r = edge.trim(Map.of("edge/edge-a", edge.journal().nextSeq("edge/edge-a")), System.currentTimeMillis(), -1);
            assertThat(r.files()).isGreaterThanOrEqualTo(2);
            assertThat(edge.journal().firstSeq("edge/edge-a")).isPositive();
            assertThat(documents(edge)).isEqualTo(before);
            assertThat(edge.history(lamp, null, null, 1_000)).allMatch(h -> h.position().seq() >= edge.journal().firstSeq("edge/edge-a"));
            // time travel starts from the snapshot: exact now and at the last entry, refused before the newest trimmed event
            assertThat(edge.documentAt(lamp, java.time.Instant.now()).orElseThrow().documentJson()).isEqualTo(edge.get(lamp).orElseThrow().documentJson());
            long last = edge.journal().nextSeq("edge/edge-a") - 1;
            assertThat(edge.documentAt(lamp, "edge/edge-a", last).orElseThrow().documentJson()).isEqualTo(edge.get(lamp).orElseThrow().documentJson());
            assertThat(edge.documentAt(gone, java.time.Instant.now())).isEmpty();
            assertThatThrownBy(() -> edge.documentAt(lamp, java.time.Instant.EPOCH)).hasMessageStartingWith("twin:position.trimmed");
            assertThatThrownBy(() -> edge.documentAt(lamp, "edge/edge-a", 0)).hasMessageStartingWith("twin:position.notfound");
            digest = edge.projection().digest();
            edge.rebuildProjection(); // from the snapshot, then the entries after it
            assertThat(edge.projection().digest()).isEqualTo(digest);
            assertThat(documents(edge)).isEqualTo(before);

            // a cloud that needs the trimmed entries gets the snapshot, then the rest
            try (TwinStore cloud = TwinStore.open(dir.resolve("cloud"), "cloud", StoreOptions.cloud())) {
                String stream = "edge/edge-a";
                JournalSnapshot snap = edge.journal().snapshot(stream).orElseThrow();
                cloud.installSnapshot(stream, snap.upTo(), snap.hash(), snap.entries().stream().map(JournalEntry::bytes).toList());
                assertThatThrownBy(() -> cloud.installSnapshot(stream, snap.upTo(), snap.hash(), List.of()))
                        .hasMessageContaining("journal:snapshot.stale");
                List<byte[]> rest = new ArrayList<>();
                try (JournalCursor c = edge.journal().read(stream, snap.upTo())) {
                    for (JournalEntry e = c.next(); e != null; e = c.next()) rest.add(e.bytes());
                }
                cloud.acceptReplica(stream, rest);
                assertThat(documents(cloud)).isEqualTo(before);
                assertThat(cloud.journal().firstSeq(stream)).isEqualTo(snap.upTo());
                String live = cloud.projection().digest();
                cloud.rebuildProjection();
                assertThat(cloud.projection().digest()).isEqualTo(live);
            }
        }
        try (TwinStore reopened = TwinStore.open(dir.resolve("edge"), "edge-a", edgeOptions)) {
            assertThat(documents(reopened)).isEqualTo(before);
            assertThat(reopened.projection().digest()).isEqualTo(digest);
        }
        assertThat(Files.list(dir.resolve("edge/journal/snapshots")).toList()).hasSize(1);
    }

    /** Drafts carrying real events (compaction reads them), one reported value each. */
    static List<EntryDraft> events(long fromHlc, int n) {
        List<EntryDraft> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TwinEvent e = new TwinEvent.ReportedSet(DeviceId.of("d" + (i % 3)), "level", JSON.numberNode(fromHlc + i));
            out.add(new EntryDraft(fromHlc + i, "node-a", 0, "", EventCodec.encode(e)));
        }
        return out;
    }

    static Map<DeviceId, String> documents(TwinStore s) {
        Map<DeviceId, String> out = new TreeMap<>();
        for (DeviceTwin t : s.list(ListFilter.ALL, null, 1000).items()) out.put(t.id(), t.documentJson());
        for (DeviceId id : List.of(DeviceId.of("lamp-1"), DeviceId.of("lamp-2"))) out.put(id, "raw:" + s.projection().raw(id).hashCode());
        return out;
    }
}
