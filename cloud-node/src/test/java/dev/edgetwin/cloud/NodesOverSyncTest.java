package dev.edgetwin.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.edge.EdgeConfig;
import dev.edgetwin.edge.EdgeNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/v1/nodes} and the sync meters with a real edge connected over {@code /sync/v1}:
 * connected with the replication lag of each stream while it runs, disconnected (with the lag
 * building up) once it stops, connected and caught up again after it restarts.
 */
class NodesOverSyncTest {
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void anEdgeOverSyncIsConnectedWithItsLagPerStreamThenDisconnected() {
        try (CloudNode cloud = CloudNode.start(CloudConfig.local("cloud", dir.resolve("cloud")))) {
            NodeApi api = new NodeApi(cloud.httpPort());
            EdgeConfig edgeConfig = SyncedEdges.of(cloud, "edge-a", dir.resolve("edge-a"));
            Instant started = Instant.now();
            try (EdgeNode edge = EdgeNode.start(edgeConfig)) {
                assertThat(api.put("lamp-1", "{\"node\":\"edge-a\",\"model\":\"led-light\","
                        + "\"twin\":{\"powerstatus\":{\"desired\":{\"value\":\"ON\"}}}}")).isEqualTo(201); // cloud/edge-a: 2 entries
                NodeApi edgeApi = new NodeApi(edge.httpPort());
                await().atMost(WAIT).until(() -> edgeApi.getJson("/api/v1/devices/lamp-1") != null);
                assertThat(edgeApi.patchDesired("lamp-1", "{\"powerstatus\":\"OFF\"}")).isEqualTo(200); // edge/edge-a: 1 entry

                await().atMost(WAIT).untilAsserted(() -> {
                    JsonNode a = node(api, "edge-a");
                    assertThat(a.at("/connection/state").textValue()).isEqualTo("connected");
                    Map<String, JsonNode> streams = streams(a);
                    assertThat(streams.get("cloud/edge-a").get("direction").textValue()).isEqualTo("outbound");
                    assertThat(streams.get("cloud/edge-a").get("held").longValue()).isEqualTo(2);
                    assertThat(streams.get("cloud/edge-a").get("peerHeld").longValue()).isEqualTo(2);
                    assertThat(streams.get("cloud/edge-a").get("replicationLag").longValue()).isZero();
                    assertThat(streams.get("edge/edge-a").get("direction").textValue()).isEqualTo("inbound");
                    assertThat(streams.get("edge/edge-a").get("held").longValue()).isEqualTo(1);
                    assertThat(streams.get("edge/edge-a").get("peerHeld").longValue()).isEqualTo(1);
                    assertThat(streams.get("edge/edge-a").get("replicationLag").longValue()).isZero();
                });
                JsonNode a = node(api, "edge-a");
                assertThat(Instant.parse(a.at("/connection/since").textValue())).isAfterOrEqualTo(started.minusSeconds(1));
                assertThat(a.at("/connection/remoteAddress").textValue()).startsWith("127.0.0.1:");
                String metrics = api.send("GET", "/metrics", null, null, null).body();
                assertThat(metrics).contains("edgetwin_sync_connected_edges 1.0",
                        "edgetwin_sync_lag_entries{direction=\"down\",node=\"edge-a\"} 0.0",
                        "edgetwin_sync_lag_entries{direction=\"up\",node=\"edge-a\"} 0.0");
            }

            // the edge is gone: disconnected; what the cloud writes for it now waits, and the lag says so
            await().atMost(WAIT).until(() -> node(api, "edge-a").at("/connection/state").textValue().equals("disconnected"));
            assertThat(api.patchDesired("lamp-1", "{\"powerstatus\":\"ON\"}")).isEqualTo(200);
            JsonNode gone = node(api, "edge-a");
            assertThat(gone.at("/connection/remoteAddress").isNull()).isTrue();
            assertThat(streams(gone).get("cloud/edge-a").get("held").longValue()).isEqualTo(3);
            assertThat(streams(gone).get("cloud/edge-a").get("replicationLag").longValue()).isEqualTo(1);
            assertThat(api.send("GET", "/metrics", null, null, null).body()).contains("edgetwin_sync_connected_edges 0.0",
                    "edgetwin_sync_lag_entries{direction=\"down\",node=\"edge-a\"} 1.0");

            // back again: it catches up
            try (EdgeNode edge = EdgeNode.start(edgeConfig)) {
                await().atMost(WAIT).untilAsserted(() -> {
                    JsonNode back = node(api, "edge-a");
                    assertThat(back.at("/connection/state").textValue()).isEqualTo("connected");
                    assertThat(streams(back).get("cloud/edge-a").get("replicationLag").longValue()).isZero();
                });
                assertThat(edge.core().store().journal().nextSeq("cloud/edge-a")).isEqualTo(3);
            }
        }
    }

    static JsonNode node(NodeApi api, String node) {
        for (JsonNode n : api.getJson("/api/v1/nodes").get("items")) {
            if (n.get("node").textValue().equals(node)) return n;
        }
        throw new AssertionError("no node " + node + " in /api/v1/nodes");
    }

    static Map<String, JsonNode> streams(JsonNode node) {
        Map<String, JsonNode> out = new TreeMap<>();
        node.get("streams").forEach(s -> out.put(s.get("stream").textValue(), s));
        return out;
    }
}
