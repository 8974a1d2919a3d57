package dev.edgetwin.log.store;

import dev.edgetwin.log.HistoryEntry;
import dev.edgetwin.log.ListFilter;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.HybridClock;
import dev.edgetwin.log.model.TwinCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.edgetwin.log.store.TwinStoreTest.applied;
import static dev.edgetwin.log.store.TwinStoreTest.collect;
import static dev.edgetwin.log.store.TwinStoreTest.lamp;
import static dev.edgetwin.log.store.TwinStoreTest.patchReported;
import static org.assertj.core.api.Assertions.assertThat;

/** Namespace listing and exact (HLC) history ranges. */
class TwinStoreQueryTest {
    @TempDir
    Path dir;

    @Test
    void listsOneNamespaceWithAndWithoutIndexesAndPagesWithinIt() {
        try (TwinStore cloud = TwinStore.open(dir, "cloud", StoreOptions.cloud())) {
            for (String ns : List.of("alpha", "default", "plant", "plant2")) {
                for (int i = 0; i < 5; i++) {
                    applied(cloud.execute(lamp(new DeviceId(ns, "dev-" + i), i % 2 == 0 ? "edge-a" : "edge-b", "m"), null, null));
                }
            }
            assertThat(collect(cloud, ListFilter.ALL, 3)).hasSize(20);
            for (int pageSize : new int[]{1, 2, 10}) {
                assertThat(collect(cloud, ListFilter.ALL.inNamespace("plant"), pageSize))
                        .containsExactly("dev-0", "dev-1", "dev-2", "dev-3", "dev-4");
            }
            assertThat(collect(cloud, ListFilter.node("edge-a").inNamespace("plant2"), 1)).containsExactly("dev-0", "dev-2", "dev-4");
            assertThat(collect(cloud, ListFilter.ALL.inNamespace("nothing"), 5)).isEmpty();
            // a cursor from another namespace's listing starts this namespace from its beginning or ends it
            String alphaCursor = cloud.list(ListFilter.ALL.inNamespace("alpha"), null, 2).nextCursor();
            assertThat(cloud.list(ListFilter.ALL.inNamespace("plant"), alphaCursor, 10).items()).hasSize(5);
            String plant2Cursor = cloud.list(ListFilter.ALL.inNamespace("plant2"), null, 2).nextCursor();
            assertThat(cloud.list(ListFilter.ALL.inNamespace("plant"), plant2Cursor, 10).items()).isEmpty();
        }
    }

    @Test
    void historyByHlcRangeIsExactToTheCounter() {
        // a frozen wall clock: every event lands in one millisecond, told apart by the HLC counter
        try (TwinStore edge = TwinStore.open(dir, "edge-a", StoreOptions.edge(), new HybridClock(() -> 1_732_300_000_000L))) {
            DeviceId lamp = DeviceId.of("lamp-1");
            applied(edge.execute(lamp(lamp, "edge-a", "m"), null, null));
            for (int i = 0; i < 10; i++) applied(edge.execute(patchReported(lamp, "level", String.valueOf(i)), null, null));
            applied(edge.execute(new TwinCommand.PatchDesired(lamp, Map.of("level", TwinStoreTest.json("1"))), null, null));
            List<HistoryEntry> all = edge.history(lamp, 0, Long.MAX_VALUE, 100);
            assertThat(all).hasSize(13);
            long third = all.get(2).position().hlc();
            long fifth = all.get(4).position().hlc();
            assertThat(edge.history(lamp, third, fifth, 100)).extracting(HistoryEntry::position)
                    .containsExactlyElementsOf(new ArrayList<>(all.subList(2, 5)).stream().map(HistoryEntry::position).toList());
            assertThat(edge.history(lamp, third, Long.MAX_VALUE, 2)).hasSize(2);
        }
    }
}
