package dev.edgetwin.log.store;

import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.ListFilter;
import dev.edgetwin.log.Result;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.HybridClock;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;
import dev.edgetwin.log.model.TwinError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static dev.edgetwin.log.store.TwinStoreTest.applied;
import static dev.edgetwin.log.store.TwinStoreTest.assertCode;
import static dev.edgetwin.log.store.TwinStoreTest.bytes;
import static dev.edgetwin.log.store.TwinStoreTest.json;
import static dev.edgetwin.log.store.TwinStoreTest.patchReported;
import static org.assertj.core.api.Assertions.assertThat;

/** Which node a device lives on: moves between edges through the cloud, and an edge's own registrations. */
class DevicePlacementTest {
    static final DeviceId LAMP = DeviceId.of("lamp-1");

    @TempDir
    Path dir;

    final AtomicLong wall = new AtomicLong(1_732_300_000_000L);

    TwinStore open(String node, StoreOptions options) {
        return TwinStore.open(dir.resolve(node), node, options, new HybridClock(wall::get));
    }

    static TwinCommand.RegisterDevice lamp(String node, String desiredPower) {
        return new TwinCommand.RegisterDevice(LAMP, node, "led-light", Map.of("serial", json("\"A1\"")),
                Map.of("powerstatus", new PropertyDef("string", false), "level", PropertyDef.ANY),
                desiredPower == null ? Map.of() : Map.of("powerstatus", json(desiredPower)));
    }

    /** Ships everything the cloud wrote to {@code cloud/<edge>} that the edge does not hold yet. */
    static void replicate(TwinStore from, TwinStore to, String stream) {
        List<JournalEntry> missing = new ArrayList<>();
        try (JournalCursor c = from.journal().read(stream, to.journal().nextSeq(stream))) {
            for (JournalEntry e = c.next(); e != null; e = c.next()) missing.add(e);
        }
        if (!missing.isEmpty()) to.acceptReplica(stream, bytes(missing));
    }

    static List<String> kinds(List<JournalEntry> entries) {
        return entries.stream().map(e -> e.stream() + " " + EventCodec.kindName(EventCodec.decode(e.payload()))).toList();
    }

    @Test
    void movingADeviceRemovesItFromTheOldEdgeAndRegistersItWithItsDesiredValuesOnTheNew() {
        try (TwinStore cloud = open("cloud", StoreOptions.cloud());
             TwinStore edgeA = open("edge-a", StoreOptions.edge());
             TwinStore edgeB = open("edge-b", StoreOptions.edge())) {
            applied(cloud.execute(lamp("edge-a", "\"ON\""), null, null));
            applied(cloud.execute(new TwinCommand.PatchDesired(LAMP, Map.of("level", json("3"))), null, null));
            replicate(cloud, edgeA, "cloud/edge-a");
            wall.addAndGet(10);
            cloud.acceptReplica("edge/edge-a", bytes(applied(edgeA.execute(patchReported(LAMP, "powerstatus", "\"ON\""), null, null)).entries()));
            assertThat(edgeA.get(LAMP)).isPresent();
            wall.addAndGet(10);

            Result.Applied move = applied(cloud.execute(lamp("edge-b", "\"OFF\""), "move-1", null));
            assertThat(kinds(move.entries())).containsExactly("cloud/edge-a DeviceRemoved", "cloud/edge-b DeviceRegistered",
                    "cloud/edge-b DesiredSet");
            assertThat(move.entries()).extracting(JournalEntry::hlc).isSorted();
            assertThat(move.twin().node()).isEqualTo("edge-b");

            replicate(cloud, edgeA, "cloud/edge-a");
            replicate(cloud, edgeB, "cloud/edge-b");
            assertThat(edgeA.get(LAMP)).isEmpty();
            var atB = edgeB.get(LAMP).orElseThrow();
            assertThat(atB.node()).isEqualTo("edge-b");
            assertThat(atB.desired("powerstatus")).contains(json("\"OFF\""));
            assertThat(atB.desired("level")).isEmpty(); // not stated by the move: cleared like any re-registration
            // the cloud's view: on edge-b, with the old edge's reported value gone and no level
            var inCloud = cloud.get(LAMP).orElseThrow();
            assertThat(inCloud.node()).isEqualTo("edge-b");
            assertThat(inCloud.reported("powerstatus")).isEmpty();
            assertThat(inCloud.desired("level")).isEmpty();
            assertThat(inCloud.documentJson()).isEqualTo(atB.documentJson());
            assertThat(TwinStoreTest.collect(cloud, ListFilter.node("edge-a"), 10)).isEmpty();
            assertThat(TwinStoreTest.collect(cloud, ListFilter.node("edge-b"), 10)).containsExactly("lamp-1");
        }
    }

    @Test
    void reRegistrationOnTheSameNodeIsNoMove() {
        try (TwinStore cloud = open("cloud", StoreOptions.cloud())) {
            applied(cloud.execute(lamp("edge-a", "\"ON\""), null, null));
            Result.Applied again = applied(cloud.execute(lamp("edge-a", "\"OFF\""), null, null));
            assertThat(kinds(again.entries())).containsExactly("cloud/edge-a DeviceRegistered", "cloud/edge-a DesiredSet");
            assertThat(cloud.journal().streams()).containsExactly("cloud/edge-a");
        }
    }

    @Test
    void aMovedDeviceCanMoveBackWithItsNewDesiredValues() {
        try (TwinStore cloud = open("cloud", StoreOptions.cloud());
             TwinStore edgeA = open("edge-a", StoreOptions.edge())) {
            applied(cloud.execute(lamp("edge-a", "\"ON\""), null, null));
            applied(cloud.execute(lamp("edge-b", "\"ON\""), null, null));
            applied(cloud.execute(lamp("edge-a", "\"OFF\""), null, null));
            replicate(cloud, edgeA, "cloud/edge-a");
            assertThat(edgeA.get(LAMP).orElseThrow().desired("powerstatus")).contains(json("\"OFF\""));
            assertThat(cloud.get(LAMP).orElseThrow().documentJson()).isEqualTo(edgeA.get(LAMP).orElseThrow().documentJson());
        }
    }

    @Test
    void anEdgeRegistersItsOwnDevicesAndRefusesOthersWithACode() {
        try (TwinStore edge = open("edge-a", StoreOptions.edge())) {
            Result.Applied own = applied(edge.execute(lamp("edge-a", "\"ON\""), null, null));
            assertThat(own.entries()).allMatch(e -> e.stream().equals("edge/edge-a"));
            long next = edge.journal().nextSeq("edge/edge-a");
            assertCode(edge.execute(lamp("edge-b", "\"ON\""), null, null), TwinError.NODE_FOREIGN, 403);
            // a malformed node name is a bad request, not a foreign node
            assertCode(edge.execute(lamp("Edge B", "\"ON\""), null, null), TwinError.NODE_INVALID, 400);
            assertThat(edge.journal().nextSeq("edge/edge-a")).isEqualTo(next);
            assertThat(edge.get(LAMP).orElseThrow().node()).isEqualTo("edge-a");
        }
    }
}
