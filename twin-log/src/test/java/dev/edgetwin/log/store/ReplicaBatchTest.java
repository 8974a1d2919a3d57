package dev.edgetwin.log.store;

import dev.edgetwin.log.AppliedEvents;
import dev.edgetwin.log.EntryCodec;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.JournalException;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.TwinListener;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.EventRecord;
import dev.edgetwin.log.model.HybridClock;
import dev.edgetwin.log.model.TwinCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static dev.edgetwin.log.store.TwinStoreTest.applied;
import static dev.edgetwin.log.store.TwinStoreTest.json;
import static dev.edgetwin.log.store.TwinStoreTest.lamp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The replica path of {@link TwinStore} as a sync receiver drives it: several frames of decoded
 * entries appended as one batch ({@link TwinStore#acceptReplicaEntries}), each event decoded
 * once for the projection and every listener, and listeners told once per batch.
 */
class ReplicaBatchTest {
    @TempDir
    Path dir;

    final AtomicLong wall = new AtomicLong(1_732_300_000_000L);

    TwinStore open(String node, StoreOptions options) {
        return TwinStore.open(dir.resolve(node), node, options, new HybridClock(wall::get));
    }

    /** 3 devices registered on edge-a, then {@code reports} reported values spread over them: the edge's whole stream. */
    List<JournalEntry> edgeStream(TwinStore edge, int reports) {
        List<JournalEntry> out = new ArrayList<>();
        for (int d = 0; d < 3; d++) out.addAll(applied(edge.execute(lamp(DeviceId.of("lamp-" + d), "edge-a", "m"), null, null)).entries());
        for (int i = 0; i < reports; i++) {
            wall.incrementAndGet();
            out.addAll(applied(edge.execute(new TwinCommand.PatchReported(DeviceId.of("lamp-" + i % 3),
                    java.util.Map.of("powerstatus", json("\"P" + i + "\""))), null, null)).entries());
        }
        return out;
    }

    static List<JournalEntry> decoded(List<JournalEntry> entries) {
        return entries.stream().map(e -> EntryCodec.decode(e.bytes().clone())).toList();
    }

    @Test
    void coalescedFramesGiveTheSameReplicaAndTwinsAsFrameByFrame() {
        try (TwinStore edge = open("edge-a", StoreOptions.edge());
             TwinStore byFrame = open("cloud-1", StoreOptions.cloud());
             TwinStore batched = open("cloud-2", StoreOptions.cloud())) {
            List<JournalEntry> up = edgeStream(edge, 40);
            for (int i = 0; i < up.size(); i += 7) {
                byFrame.acceptReplica("edge/edge-a", up.subList(i, Math.min(up.size(), i + 7)).stream().map(JournalEntry::bytes).toList());
            }
            // three "frames" appended together, then the rest
            List<JournalEntry> first = batched.acceptReplicaEntries("edge/edge-a", decoded(up.subList(0, 21)));
            batched.acceptReplicaEntries("edge/edge-a", decoded(up.subList(21, up.size())));

            assertThat(first).extracting(JournalEntry::seq).containsExactlyElementsOf(
                    up.subList(0, 21).stream().map(JournalEntry::seq).toList());
            assertThat(batched.journal().nextSeq("edge/edge-a")).isEqualTo(up.size());
            assertThat(batched.journal().lastHash("edge/edge-a")).isEqualTo(edge.journal().lastHash("edge/edge-a"));
            assertThat(batched.projection().checkpoint("edge/edge-a")).isEqualTo(up.size());
            assertThat(batched.projection().digest()).isEqualTo(byFrame.projection().digest());
            for (int d = 0; d < 3; d++) {
                DeviceId id = DeviceId.of("lamp-" + d);
                assertThat(batched.get(id).orElseThrow().documentJson()).isEqualTo(edge.get(id).orElseThrow().documentJson());
            }
            try (var c = batched.journal().read("edge/edge-a", 0)) {
                for (JournalEntry e : up) assertThat(c.next().bytes()).isEqualTo(e.bytes());
            }
            assertThat(batched.clock().last()).isGreaterThanOrEqualTo(up.get(up.size() - 1).hlc());
        }
    }

    @Test
    void aRefusedBatchChangesNothingEvenWhenOnlyItsLastFrameIsBad() {
        try (TwinStore edge = open("edge-a", StoreOptions.edge());
             TwinStore cloud = open("cloud", StoreOptions.cloud())) {
            List<JournalEntry> up = decoded(edgeStream(edge, 10));
            cloud.acceptReplicaEntries("edge/edge-a", up.subList(0, 3));
            String digest = cloud.projection().digest();
            List<JournalEntry> gap = new ArrayList<>(up.subList(3, 8));
            gap.addAll(up.subList(9, 13));
            assertThatThrownBy(() -> cloud.acceptReplicaEntries("edge/edge-a", gap))
                    .isInstanceOfSatisfying(JournalException.class, ex -> assertThat(ex.code()).isEqualTo("journal:gap"));
            assertThatThrownBy(() -> cloud.acceptReplicaEntries("cloud/edge-a", up.subList(3, 5)))
                    .isInstanceOfSatisfying(JournalException.class, ex -> assertThat(ex.code()).isEqualTo("journal:stream.forbidden"));
            assertThat(cloud.journal().nextSeq("edge/edge-a")).isEqualTo(3);
            assertThat(cloud.projection().digest()).isEqualTo(digest);
            cloud.acceptReplicaEntries("edge/edge-a", up.subList(3, 13));
            assertThat(cloud.projection().checkpoint("edge/edge-a")).isEqualTo(13);
        }
    }

    @Test
    void listenersHearEachBatchOnceAndShareTheDecodedEvents() {
        try (TwinStore edge = open("edge-a", StoreOptions.edge());
             TwinStore cloud = open("cloud", StoreOptions.cloud())) {
            List<JournalEntry> up = decoded(edgeStream(edge, 9));
            List<EventRecord> perEvent = new ArrayList<>();
            List<String> positions = new ArrayList<>();
            List<DeviceTwin> afters = new ArrayList<>();
            List<Integer> batches = new ArrayList<>();
            List<EventRecord> fromBatch = new ArrayList<>();
            cloud.addListener((entry, record, after) -> {
                perEvent.add(record);
                positions.add(entry.stream() + ":" + entry.seq());
                afters.add(after);
            });
            cloud.addListener(new TwinListener() {
                @Override
                public void onChange(JournalEntry entry, EventRecord record, DeviceTwin after) {
                    throw new AssertionError("the store calls onApplied");
                }

                @Override
                public void onApplied(AppliedEvents events) {
                    batches.add(events.size());
                    for (int i = 0; i < events.size(); i++) fromBatch.add(events.record(i));
                }
            });
            cloud.acceptReplicaEntries("edge/edge-a", up);

            assertThat(batches).containsExactly(up.size());
            assertThat(positions).containsExactlyElementsOf(up.stream().map(e -> "edge/edge-a:" + e.seq()).toList());
            for (int i = 0; i < up.size(); i++) {
                assertThat(fromBatch.get(i)).isSameAs(perEvent.get(i)); // decoded once, shared
                assertThat(perEvent.get(i).envelope().seq()).isEqualTo(up.get(i).seq());
                DeviceId id = perEvent.get(i).event().device();
                assertThat(afters.get(i)).isEqualTo(cloud.get(id).orElseThrow()); // the twin after the whole batch
            }
        }
    }

    @Test
    void aFailingListenerLosesNoEventForTheOthersNorForItself() {
        try (TwinStore edge = open("edge-a", StoreOptions.edge());
             TwinStore cloud = open("cloud", StoreOptions.cloud())) {
            List<JournalEntry> up = decoded(edgeStream(edge, 4));
            List<Long> flaky = new ArrayList<>();
            List<Long> others = new ArrayList<>();
            cloud.addListener((entry, record, after) -> {
                flaky.add(entry.seq());
                if (entry.seq() == 2) throw new IllegalStateException("listener bug");
            });
            cloud.addListener(new TwinListener() {
                @Override
                public void onChange(JournalEntry entry, EventRecord record, DeviceTwin after) {
                }

                @Override
                public void onApplied(AppliedEvents events) {
                    throw new IllegalStateException("batch listener bug");
                }
            });
            cloud.addListener((entry, record, after) -> others.add(entry.seq()));
            cloud.acceptReplicaEntries("edge/edge-a", up);
            List<Long> all = up.stream().map(JournalEntry::seq).toList();
            assertThat(flaky).containsExactlyElementsOf(all);
            assertThat(others).containsExactlyElementsOf(all);
            assertThat(cloud.projection().checkpoint("edge/edge-a")).isEqualTo(up.size());
        }
    }
}
