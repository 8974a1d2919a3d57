package dev.edgetwin.sync.vertx;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.node.NodeCore;
import dev.edgetwin.sync.ReplicationStatus;
import dev.edgetwin.sync.wire.SyncProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.edgetwin.sync.vertx.SyncFixture.CONVERGE;
import static dev.edgetwin.sync.vertx.SyncFixture.JSON;
import static dev.edgetwin.sync.vertx.SyncFixture.awaitConverged;
import static dev.edgetwin.sync.vertx.SyncFixture.cloud;
import static dev.edgetwin.sync.vertx.SyncFixture.desireOnCloud;
import static dev.edgetwin.sync.vertx.SyncFixture.desireOnEdge;
import static dev.edgetwin.sync.vertx.SyncFixture.device;
import static dev.edgetwin.sync.vertx.SyncFixture.edge;
import static dev.edgetwin.sync.vertx.SyncFixture.registerOnCloud;
import static dev.edgetwin.sync.vertx.SyncFixture.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Cloud and edges in one JVM over real WebSockets on loopback: replication both ways, catch-up, restarts, status. */
class SyncOverWebSocketTest {
    @TempDir
    Path dir;

    @Test
    void writesOnBothSidesReplicateAndTwinsConverge() {
        try (SyncFixture.Cloud cloud = cloud(dir.resolve("cloud"), 0);
             SyncFixture.Edge a = edge("edge-a", dir.resolve("a"), cloud.url(), null);
             SyncFixture.Edge b = edge("edge-b", dir.resolve("b"), cloud.url(), null)) {
            registerOnCloud(cloud, "edge-a", 3);
            registerOnCloud(cloud, "edge-b", 2);
            await().atMost(CONVERGE).until(() -> a.store().get(device("edge-a", 2)).isPresent() && b.store().get(device("edge-b", 1)).isPresent());
            for (int i = 0; i < 50; i++) {
                report(a, device("edge-a", i % 3), "level", JSON.numberNode(i));
                desireOnEdge(b, device("edge-b", i % 2), "level", JSON.numberNode(100 + i));
                desireOnCloud(cloud, device("edge-a", i % 3), "power", JSON.textNode(i % 2 == 0 ? "ON" : "OFF"));
            }
            report(a, device("edge-a", 0), "power", JSON.textNode("OFF"));
            awaitConverged(cloud, a);
            awaitConverged(cloud, b);
            assertThat(cloud.store().get(device("edge-a", 0)).orElseThrow().reported("power")).contains(JSON.textNode("OFF"));
            assertThat(b.store().get(device("edge-a", 0))).as("edge-b holds only its own devices").isEmpty();

            await().atMost(CONVERGE).untilAsserted(() -> {
                ReplicationStatus s = cloud.server().node("edge-a").orElseThrow();
                assertThat(s.connected()).isTrue();
                assertThat(s.session()).isNotNull();
                assertThat(s.lastSeen()).isNotNull();
                assertThat(s.up().lag()).isZero();
                assertThat(s.down().lag()).isZero();
                assertThat(s.up().replica()).isEqualTo(a.store().journal().nextSeq(SyncProtocol.edgeStream("edge-a")));
            });
            assertThat(cloud.server().nodes()).extracting(ReplicationStatus::node).containsExactly("edge-a", "edge-b");
            assertThat(a.client().status().connected()).isTrue();
            String metrics = cloud.core().metrics().scrape();
            assertThat(metrics).contains("edgetwin_sync_connected_edges 2.0").contains("edgetwin_sync_received_entries_total")
                    .contains("edgetwin_sync_lag_entries{direction=\"up\",node=\"edge-a\"} 0.0");
            assertThat(a.core().metrics().scrape()).contains("edgetwin_sync_connected 1.0");
            // frames by type: the edges' entries went as data frames; the cloud acks once per append, and an append takes one frame or more
            assertThat(frames(a.core(), "data")).isPositive();
            assertThat(frames(cloud.core(), "ack")).isPositive().isLessThanOrEqualTo(frames(a.core(), "data") + frames(b.core(), "data"));
            assertThat(frames(cloud.core(), "other")).as("the welcome").isPositive();
        }
    }

    @Test
    void anEdgeThatWasOfflineCatchesUpBothWays() {
        try (SyncFixture.Cloud cloud = cloud(dir.resolve("cloud"), 0)) {
            registerOnCloud(cloud, "edge-a", 2);
            try (SyncFixture.Edge a = edge("edge-a", dir.resolve("a"), cloud.url(), null)) {
                awaitConverged(cloud, a);
            }
            // offline: both sides keep writing
            for (int i = 0; i < 300; i++) desireOnCloud(cloud, device("edge-a", i % 2), "level", JSON.numberNode(i));
            try (SyncFixture.Edge a = edge("edge-a", dir.resolve("a"), cloud.url(), null)) {
                awaitConverged(cloud, a);
                a.client().close();
                for (int i = 0; i < 300; i++) report(a, device("edge-a", i % 2), "level", JSON.numberNode(i));
            }
            try (SyncFixture.Edge a = edge("edge-a", dir.resolve("a"), cloud.url(), null)) {
                awaitConverged(cloud, a);
                assertThat(cloud.store().get(device("edge-a", 1)).orElseThrow().reported("level").map(JsonNode::asLong)).contains(299L);
            }
        }
    }

    @Test
    void theCloudRestartsAndEveryoneResumesFromTheJournals() {
        int port;
        SyncFixture.Cloud cloud = cloud(dir.resolve("cloud"), 0);
        port = cloud.port();
        try (SyncFixture.Edge a = edge("edge-a", dir.resolve("a"), cloud.url(), null)) {
            registerOnCloud(cloud, "edge-a", 2);
            awaitConverged(cloud, a);
            cloud.close();
            for (int i = 0; i < 100; i++) report(a, device("edge-a", i % 2), "level", JSON.numberNode(i));
            await().atMost(CONVERGE).until(() -> !a.client().connected());
            cloud = cloud(dir.resolve("cloud"), port);
            for (int i = 0; i < 100; i++) desireOnCloud(cloud, device("edge-a", i % 2), "power", JSON.textNode("P" + i));
            awaitConverged(cloud, a);
            DeviceId d = device("edge-a", 1);
            assertThat(cloud.store().get(d).orElseThrow().reported("level").map(JsonNode::asLong)).contains(99L);
            assertThat(a.store().get(d).orElseThrow().desired("power")).contains(JSON.textNode("P99"));
        } finally {
            cloud.close();
        }
    }

    private static double frames(NodeCore node, String type) {
        return node.metrics().get("edgetwin.sync.sent.frames").tag("type", type).counter().count();
    }
}
