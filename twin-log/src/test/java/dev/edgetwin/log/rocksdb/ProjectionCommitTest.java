package dev.edgetwin.log.rocksdb;

import dev.edgetwin.log.EntryDraft;
import dev.edgetwin.log.InMemoryJournal;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.ListFilter;
import dev.edgetwin.log.Position;
import dev.edgetwin.log.ProjectionException;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.DeviceTwinCodec;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.Hlc;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.TwinEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The projection's commits (see {@link RocksProjection}): twins and checkpoints wait in memory
 * between commits while history keys are written at once; queries see the uncommitted twins;
 * what RocksDB holds at any flush is a committed state that verifies against a rebuild and
 * replays to the full state; a failed call undoes only itself.
 */
class ProjectionCommitTest {
    private static final long BASE = Hlc.pack(1_700_000_000_000L, 0);
    private static final String STREAM = "edge/edge-a";
    private static final List<DeviceId> DEVICES = List.of(DeviceId.of("sensor-0"), DeviceId.of("sensor-1"), DeviceId.of("sensor-2"));

    private final InMemoryJournal journal = new InMemoryJournal();

    @Test
    void twinsAndCheckpointsWaitForTheCommitWhileHistoryKeysAreWrittenAtOnce(@TempDir Path dir) throws Exception {
        try (RocksProjection p = RocksProjection.open(dir, new InMemoryJournal(), 1_000, 10, 1_000)) {
            p.apply(register(DEVICES));                                   // a registration is committed at once
            RocksStore store = p.store();
            assertThat(storedCheckpoint(store)).isEqualTo(3);
            for (int i = 0; i < 9; i++) p.apply(report(DEVICES.get(i % 3), "v" + i));
            // 9 events since the commit: in memory only, except their history keys
            assertThat(p.get(DEVICES.get(2)).orElseThrow().reported("temperature").orElseThrow().asText()).isEqualTo("v8");
            assertThat(p.checkpoint(STREAM)).isEqualTo(12);
            assertThat(storedCheckpoint(store)).isEqualTo(3);
            assertThat(stored(store, DEVICES.get(2)).reported("temperature")).isEmpty();
            assertThat(p.history(DEVICES.get(2), 0, Long.MAX_VALUE, 100)).extracting(Position::seq).containsExactly(2L, 5L, 8L, 11L);
            p.apply(report(DEVICES.get(0), "v9"));                       // the 10th: all of it committed in one write
            assertThat(storedCheckpoint(store)).isEqualTo(13);
            assertThat(stored(store, DEVICES.get(2)).reported("temperature").orElseThrow().asText()).isEqualTo("v8");
            assertThat(stored(store, DEVICES.get(0)).reported("temperature").orElseThrow().asText()).isEqualTo("v9");
        }
    }

    @Test
    void aFlushBetweenCommitsHoldsACommittedStateThatVerifiesAndReplaysToTheWhole(@TempDir Path dir, @TempDir Path prefixDir,
                                                                                   @TempDir Path wholeDir) throws Exception {
        RocksProjection p = RocksProjection.open(dir, new InMemoryJournal(), 1_000);
        List<JournalEntry> registered = register(DEVICES);
        p.apply(registered);
        for (int i = 0; i < 100; i++) p.apply(report(DEVICES.get(i % 3), "v" + i));
        p.store().flush();                                            // RocksDB writing its memtables on its own
        try (RocksProjection view = RocksProjection.openReadOnly(dir);
             RocksProjection prefix = RocksProjection.open(prefixDir, new InMemoryJournal(), 1_000)) {
            assertThat(view.checkpoint(STREAM)).isEqualTo(3);
            assertThat(view.get(DEVICES.get(1)).orElseThrow().reported("temperature")).isEmpty();
            prefix.apply(registered);
            // the view holds 100 history keys past its checkpoint: passed over, the rest equals a rebuild to the checkpoint
            assertThat(ProjectionDiff.compare(view, prefix, n -> { }).difference()).isEmpty();
        }
        p.store().close();                                            // the process dies: nothing more is committed
        try (RocksProjection reopened = RocksProjection.open(dir, journal, 1_000);
             RocksProjection whole = RocksProjection.open(wholeDir, journal, 1_000)) {
            assertThat(reopened.checkpoint(STREAM)).isEqualTo(103);
            assertThat(reopened.get(DEVICES.get(0)).orElseThrow().reported("temperature").orElseThrow().asText()).isEqualTo("v99");
            assertThat(reopened.digest()).isEqualTo(whole.digest());
        }
    }

    @Test
    void aFailedCallUndoesItselfOnlyAndTheProjectionGoesOn(@TempDir Path dir, @TempDir Path wholeDir) {
        try (RocksProjection p = RocksProjection.open(dir, new InMemoryJournal(), 1_000)) {
            p.apply(register(DEVICES));
            p.apply(report(DEVICES.get(1), "kept"));                     // waits in memory
            DeviceTwin before = p.raw(DeviceId.of("sensor-9"));
            List<JournalEntry> round = new ArrayList<>();
            round.addAll(report(DEVICES.get(1), "undone"));
            round.addAll(report(DeviceId.of("sensor-9"), "undone"));      // a twin the round touches first
            List<JournalEntry> skipped = report(DEVICES.get(2), "skipped");
            round.addAll(report(DEVICES.get(2), "after the gap"));
            assertThatThrownBy(() -> p.apply(round))
                    .isInstanceOfSatisfying(ProjectionException.class, e -> assertThat(e.code()).isEqualTo("projection:gap"));
            assertThat(p.raw(DEVICES.get(1)).reported("temperature").orElseThrow().asText()).isEqualTo("kept");
            assertThat(p.raw(DeviceId.of("sensor-9"))).isEqualTo(before);
            assertThat(p.checkpoint(STREAM)).isEqualTo(4);
            assertThat(p.history(DEVICES.get(1), 0, Long.MAX_VALUE, 100)).extracting(Position::seq).containsExactly(1L, 3L);
            // the journal's entries, in order: applied from where the projection is
            List<JournalEntry> rest = new ArrayList<>(round.subList(0, 2));
            rest.addAll(skipped);
            rest.add(round.get(2));
            p.apply(rest);
            assertThat(p.raw(DEVICES.get(2)).reported("temperature").orElseThrow().asText()).isEqualTo("after the gap");
            try (RocksProjection whole = RocksProjection.open(wholeDir, journal, 1_000)) {
                assertThat(p.digest()).isEqualTo(whole.digest());
            }
        }
    }

    @Test
    void aTwinThatChangesNodeOrExistenceIsCommittedAtOnceSoListsSeeIt(@TempDir Path dir) {
        try (RocksProjection p = RocksProjection.open(dir, new InMemoryJournal(), 1_000)) {
            p.apply(register(DEVICES));
            p.apply(report(DEVICES.get(0), "pending"));
            DeviceId late = DeviceId.of("sensor-late");
            p.apply(register(List.of(late)));
            RocksStore store = p.store();
            assertThat(storedCheckpoint(store)).isEqualTo(5);
            assertThat(stored(store, late).exists()).isTrue();
            assertThat(stored(store, DEVICES.get(0)).reported("temperature").orElseThrow().asText()).isEqualTo("pending");
            assertThat(p.list(ListFilter.node("edge-a"), null, 10).items()).extracting(DeviceTwin::id).contains(late);
            p.apply(append(new TwinEvent.DeviceRemoved(late)));
            assertThat(stored(store, late).exists()).isFalse();
            assertThat(p.list(ListFilter.ALL, null, 10).items()).extracting(DeviceTwin::id).doesNotContain(late);
        }
    }

    private static long storedCheckpoint(RocksStore store) {
        byte[] v = store.get(store.checkpoints, STREAM.getBytes(StandardCharsets.UTF_8));
        return v == null ? 0 : Keys.getLong(v, 0);
    }

    private static DeviceTwin stored(RocksStore store, DeviceId id) {
        byte[] v = store.get(store.devices, Keys.device(id));
        return v == null ? DeviceTwin.empty(id) : DeviceTwinCodec.decode(v);
    }

    private List<JournalEntry> register(List<DeviceId> devices) {
        List<JournalEntry> out = new ArrayList<>();
        for (DeviceId id : devices) out.addAll(append(new TwinEvent.DeviceRegistered(id, "edge-a", "thermometer", Map.of(), Map.of())));
        return out;
    }

    private List<JournalEntry> report(DeviceId id, String text) {
        return append(new TwinEvent.ReportedSet(id, "temperature", JsonValues.text(text)));
    }

    private List<JournalEntry> append(TwinEvent event) {
        long hlc = BASE + journal.nextSeq(STREAM);
        return journal.append(STREAM, List.of(new EntryDraft(hlc, "edge-a", Hlc.millis(hlc), "", EventCodec.encode(event))));
    }
}
