package dev.edgetwin.sync.vertx;

import dev.edgetwin.log.AppliedEvents;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.TwinListener;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.EventRecord;
import dev.edgetwin.log.model.TwinCommand;
import dev.edgetwin.sync.SyncOptions;
import dev.edgetwin.sync.wire.SyncProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.edgetwin.sync.vertx.SyncFixture.JSON;
import static dev.edgetwin.sync.vertx.SyncFixture.apply;
import static dev.edgetwin.sync.vertx.SyncFixture.awaitConverged;
import static dev.edgetwin.sync.vertx.SyncFixture.device;
import static dev.edgetwin.sync.vertx.SyncFixture.registerOnCloud;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Frames that wait for the receiver's writer are appended together (PROTOCOL.md §5): one
 * journal append and one projection write for all of them, acknowledged with the last one's end
 * only after that append returned.
 */
class ReplicaCoalescingTest {
    /** Frames of at most 8 entries, so a few hundred entries make many frames. */
    static final SyncOptions SMALL_FRAMES = SyncFixture.OPTIONS.withBatch(SyncFixture.OPTIONS.maxBatchBytes(), 8);

    @TempDir
    Path dir;

    @Test
    void framesWaitingForTheWriterAreAppendedAsOneBatchAndAckedAfterIt() throws Exception {
        try (SyncFixture.Cloud cloud = SyncFixture.cloud(dir.resolve("cloud"), new SyncServer.Options(SMALL_FRAMES, null, 64L << 20),
                dev.edgetwin.node.NodeHttp.options("127.0.0.1", 0))) {
            registerOnCloud(cloud, "edge-a", 4);
            try (SyncFixture.Edge a = SyncFixture.edge("edge-a", dir.resolve("a"),
                    SyncClient.Options.of(cloud.url(), null, SMALL_FRAMES).withReconnect(50, 500))) {
                awaitConverged(cloud, a);
                String up = SyncProtocol.edgeStream("edge-a");
                long before = cloud.store().journal().nextSeq(up);
                List<Integer> batches = new CopyOnWriteArrayList<>();
                cloud.store().addListener(new TwinListener() {
                    @Override
                    public void onChange(JournalEntry entry, EventRecord record, DeviceTwin after) {
                    }

                    @Override
                    public void onApplied(AppliedEvents events) {
                        if (events.entry(0).stream().equals(up)) batches.add(events.size());
                    }
                });
                double receivedBefore = received(cloud);
                // hold the cloud's writer while 200 entries arrive in 25 frames or more
                CountDownLatch release = new CountDownLatch(1);
                CompletableFuture<Boolean> held = cloud.core().writer().call(() -> {
                    try {
                        return release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                });
                for (int i = 0; i < 200; i++) {
                    apply(a.core(), new TwinCommand.PatchReported(device("edge-a", i % 4), java.util.Map.of("level", JSON.numberNode(i))));
                }
                long sent = a.store().journal().nextSeq(up);
                await().atMost(SyncFixture.CONVERGE).until(() -> received(cloud) - receivedBefore >= sent - before);
                // everything arrived; nothing may be acknowledged while the writer has not appended it
                assertThat(cloud.store().journal().nextSeq(up)).isEqualTo(before);
                assertThat(a.client().status().up().replica()).isEqualTo(before);
                release.countDown();
                assertThat(held.get(60, TimeUnit.SECONDS)).isTrue();

                awaitConverged(cloud, a);
                await().atMost(SyncFixture.CONVERGE).until(() -> Long.valueOf(sent).equals(a.client().status().up().replica()));
                assertThat(batches).containsExactly((int) (sent - before));
                assertThat(cloud.store().get(device("edge-a", 3)).orElseThrow().reported("level").orElseThrow().asLong()).isEqualTo(199);
            }
        }
    }

    private static double received(SyncFixture.Cloud cloud) {
        return cloud.core().metrics().get("edgetwin.sync.received.entries").counter().count();
    }

    @Test
    void theWakeListenerWakesOncePerRunOfAStreamWithoutLookingAtEvents() {
        List<String> woken = new CopyOnWriteArrayList<>();
        try (SyncFixture.Cloud cloud = SyncFixture.cloud(dir.resolve("cloud"), 0)) {
            cloud.store().addListener(new StreamWake(woken::add));
            registerOnCloud(cloud, "edge-a", 1);
            registerOnCloud(cloud, "edge-b", 1);
            var results = cloud.store().executeAll(List.of(
                    dev.edgetwin.log.TwinStore.Request.of(new TwinCommand.PatchDesired(device("edge-a", 0), java.util.Map.of("level", JSON.numberNode(1)))),
                    dev.edgetwin.log.TwinStore.Request.of(new TwinCommand.PatchDesired(device("edge-a", 0), java.util.Map.of("level", JSON.numberNode(2)))),
                    dev.edgetwin.log.TwinStore.Request.of(new TwinCommand.PatchDesired(device("edge-b", 0), java.util.Map.of("level", JSON.numberNode(3))))));
            assertThat(results).allMatch(r -> r instanceof dev.edgetwin.log.Result.Applied);
            assertThat(woken).containsExactly("cloud/edge-a", "cloud/edge-b", "cloud/edge-a", "cloud/edge-b");
        }
    }
}
