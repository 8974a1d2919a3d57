package dev.edgetwin.sync.vertx;

import dev.edgetwin.log.FsyncPolicy;
import dev.edgetwin.log.Result;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.chronicle.JournalOptions;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;
import dev.edgetwin.sync.wire.SyncProtocol;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static dev.edgetwin.sync.vertx.SyncFixture.CONVERGE;
import static dev.edgetwin.sync.vertx.SyncFixture.JSON;
import static dev.edgetwin.sync.vertx.SyncFixture.OPTIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Edge retention end to end: acknowledged entries are trimmed into a snapshot, a cloud that
 * lost them gets the snapshot and converges; an edge over its disk budget with entries the
 * cloud has not acknowledged refuses local writes until the cloud catches up.
 */
class RetentionOverSyncTest {
    static final StoreOptions SECONDLY = StoreOptions.edge().withJournal(JournalOptions.DEFAULT
            .withRollCycle(TestRollCycles.TEST_SECONDLY).withFsync(FsyncPolicy.parse("never")));

    @TempDir
    Path dir;

    static void writeFor(SyncFixture.Edge edge, DeviceId id, Duration d) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        int i = 0;
        while (System.nanoTime() < end) {
            Result r = edge.core().writer().submit(TwinStore.Request.of(new TwinCommand.PatchReported(id, Map.of("level", JSON.numberNode(i++))))).join();
            if (r instanceof Result.Rejected) return;
            Thread.sleep(20);
        }
    }

    static void register(SyncFixture.Edge edge, DeviceId id) {
        SyncFixture.apply(edge.core(), new TwinCommand.RegisterDevice(id, edge.id(), "sensor", Map.of(), Map.of("level", PropertyDef.ANY), Map.of()));
    }

    @Test
    void acknowledgedEntriesAreTrimmedAndACloudThatLostThemGetsTheSnapshot() throws Exception {
        String up = SyncProtocol.edgeStream("edge-a");
        DeviceId sensor = DeviceId.of("edge-a-sensor");
        Map<String, String> docs;
        long base;
        try (SyncFixture.Cloud first = SyncFixture.cloud(dir.resolve("cloud-1"), 0);
             SyncFixture.Edge a = SyncFixture.edge("edge-a", dir.resolve("a"), SyncClient.Options.of(first.url(), null, OPTIONS).withReconnect(50, 500),
                     SECONDLY)) {
            register(a, sensor);
            writeFor(a, sensor, Duration.ofMillis(3_500));
            SyncFixture.awaitConverged(first, a);
            EdgeRetention retention = new EdgeRetention(a.core().vertx(), a.store(), a.core().writer(), a.client(), a.core().metrics(),
                    new EdgeRetention.Options(Duration.ofMillis(1), 0, Duration.ofMillis(200)));
            retention.start();
            await().atMost(CONVERGE).until(() -> a.store().journal().firstSeq(up) > 0);
            retention.close();
            base = a.store().journal().firstSeq(up);
            assertThat(base).isLessThanOrEqualTo(first.store().journal().nextSeq(up));
            assertThat(first.store().journal().firstSeq(up)).as("the cloud keeps everything").isZero();
            assertThat(a.core().metrics().scrape()).contains("edgetwin_retention_trimmed_entries_total " + base + ".0");
            docs = SyncFixture.documents(a.store(), "edge-a");
        }
        // the cloud lost its data: a fresh one asks for edge/edge-a from 0
        try (SyncFixture.Cloud fresh = SyncFixture.cloud(dir.resolve("cloud-2"), 0);
             SyncFixture.Edge a = SyncFixture.edge("edge-a", dir.resolve("a"), SyncClient.Options.of(fresh.url(), null, OPTIONS).withReconnect(50, 500),
                     SECONDLY)) {
            SyncFixture.report(a, sensor, "level", JSON.numberNode(-1));
            SyncFixture.awaitConverged(fresh, a);
            assertThat(fresh.store().journal().firstSeq(up)).isEqualTo(base);
            assertThat(SyncFixture.documents(fresh.store(), "edge-a").get("default/edge-a-sensor")).contains("\"value\":-1");
            String live = fresh.store().projection().digest();
            fresh.store().rebuildProjection();
            assertThat(fresh.store().projection().digest()).isEqualTo(live);
            assertThat(docs).isNotEmpty();
        }
    }

    @Test
    void overItsBudgetWithUnacknowledgedEntriesTheEdgeRefusesWritesInsteadOfLosingThem() throws Exception {
        DeviceId sensor = DeviceId.of("edge-b-sensor");
        URI nowhere = URI.create("ws://127.0.0.1:9" + SyncProtocol.PATH); // the discard port: nobody listens
        SyncFixture.Edge b = SyncFixture.edge("edge-b", dir.resolve("b"), SyncClient.Options.of(nowhere, null, OPTIONS).withReconnect(50, 200),
                SECONDLY);
        try (b) {
            register(b, sensor);
            writeFor(b, sensor, Duration.ofMillis(2_500));
            long budget = b.store().journalDiskBytes();
            EdgeRetention retention = new EdgeRetention(b.core().vertx(), b.store(), b.core().writer(), b.client(), b.core().metrics(),
                    new EdgeRetention.Options(Duration.ofMillis(1), budget, Duration.ofMillis(100)));
            b.core().onClose(retention);
            retention.start();
            writeFor(b, sensor, Duration.ofMillis(2_500)); // more files: over the budget, nothing acknowledged
            await().atMost(CONVERGE).until(retention::storageFull);
            Result refused = b.core().writer().submit(TwinStore.Request.of(new TwinCommand.PatchReported(sensor, Map.of("level", JSON.numberNode(7))))).join();
            assertThat(refused).isInstanceOfSatisfying(Result.Rejected.class, r -> {
                assertThat(r.error().code()).isEqualTo("twin:storage.full");
                assertThat(r.error().status()).isEqualTo(507);
            });
            assertThat(b.store().journal().firstSeq(SyncProtocol.edgeStream("edge-b"))).as("nothing unacknowledged trimmed").isZero();
            assertThat(b.core().metrics().scrape()).contains("edgetwin_retention_storage_full 1.0").contains("edgetwin_retention_refused_writes_total");
        }
        // with a cloud acknowledging, retention frees the budget and writes are accepted again
        try (SyncFixture.Cloud cloud = SyncFixture.cloud(dir.resolve("cloud"), 0);
             SyncFixture.Edge again = SyncFixture.edge("edge-b", dir.resolve("b"), SyncClient.Options.of(cloud.url(), null, OPTIONS).withReconnect(50, 200),
                     SECONDLY)) {
            long budget = again.store().journalDiskBytes();
            EdgeRetention retention = new EdgeRetention(again.core().vertx(), again.store(), again.core().writer(), again.client(),
                    again.core().metrics(), new EdgeRetention.Options(Duration.ofMillis(1), budget, Duration.ofMillis(100)));
            again.core().onClose(retention);
            retention.start();
            await().atMost(CONVERGE).until(() -> again.store().journal().firstSeq(SyncProtocol.edgeStream("edge-b")) > 0);
            assertThat(retention.storageFull()).isFalse();
            SyncFixture.report(again, sensor, "level", JSON.numberNode(8));
            SyncFixture.awaitConverged(cloud, again);
        }
    }

    @Test
    void belowTheFreeSpaceFloorLocalWritesAreRefused() throws Exception {
        DeviceId sensor = DeviceId.of("edge-c-sensor");
        URI nowhere = URI.create("ws://127.0.0.1:9" + SyncProtocol.PATH);
        try (SyncFixture.Edge c = SyncFixture.edge("edge-c", dir.resolve("c"), SyncClient.Options.of(nowhere, null, OPTIONS), SECONDLY)) {
            register(c, sensor);
            EdgeRetention retention = new EdgeRetention(c.core().vertx(), c.store(), c.core().writer(), c.client(), c.core().metrics(),
                    new EdgeRetention.Options(null, 0, Long.MAX_VALUE / 4, Duration.ofMillis(100)));
            c.core().onClose(retention);
            retention.start();
            await().atMost(CONVERGE).until(retention::storageFull);
            Result r = c.core().writer().submit(TwinStore.Request.of(new TwinCommand.PatchReported(sensor, Map.of("level", JSON.numberNode(1))))).join();
            assertThat(r).isInstanceOfSatisfying(Result.Rejected.class, rej -> assertThat(rej.error().code()).isEqualTo("twin:storage.full"));
            // replicas from the cloud are not local writes: the gate leaves the writer's calls alone
            assertThat(c.core().writer().call(() -> 42).join()).isEqualTo(42);
        }
    }
}
