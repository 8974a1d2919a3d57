package dev.edgetwin.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.Result;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.TwinCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.edgetwin.node.http.ApiNode.lamp;
import static dev.edgetwin.node.http.OperationsApiTest.metric;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /api/v1/nodes on the cloud: nodes from the journal's streams, connection facts from the sync
 * layer's PeerLinks (a hand-made one here; the real sync server's in cloud-node's CloudNodesOverSyncTest).
 */
class NodesApiTest {
    @TempDir
    Path dir;

    /** A sync layer that knows edge-a (connected, holding 1 entry of cloud/edge-a, having 3 of edge/edge-a) and edge-z (gone). */
    static final Instant SINCE = Instant.parse("2025-01-31T12:00:00Z");
    static final PeerLinks LINKS = new PeerLinks() {
        @Override
        public Set<String> nodes() {
            return Set.of("edge-a", "edge-z");
        }

        @Override
        public Link link(String node) {
            return switch (node) {
                case "edge-a" -> new Link(NodeStatus.LinkState.CONNECTED, SINCE, "10.0.0.7:50000",
                        Map.of("cloud/edge-a", 1L, "edge/edge-a", 3L));
                case "edge-z" -> new Link(NodeStatus.LinkState.DISCONNECTED, SINCE, null, Map.of());
                default -> null;
            };
        }
    };

    @Test
    void listsNodesWithStreamsAndLags() {
        try (ApiNode cloud = ApiNode.cloud(dir.resolve("cloud"), ApiOptions.DEFAULT, LINKS);
             TwinStore edgeA = TwinStore.open(dir.resolve("edge-a"), "edge-a", StoreOptions.edge())) {
            cloud.put("/api/v1/devices/lamp-1", lamp("edge-a", "ON"));   // cloud/edge-a: 2 entries
            cloud.put("/api/v1/devices/lamp-2", lamp("edge-b", "ON"));   // cloud/edge-b: 2 entries
            // edge-a reported one value; the cloud holds it as a replica
            edgeA.execute(new TwinCommand.RegisterDevice(DeviceId.of("own"), "edge-a", "", Map.of(), Map.of(), Map.of()), null, null);
            Result r = edgeA.execute(new TwinCommand.PatchReported(DeviceId.of("own"), Map.of("t", JsonValues.parse("1"))), null, null);
            List<byte[]> up = new java.util.ArrayList<>();
            try (var c = edgeA.journal().read("edge/edge-a", 0)) {
                for (JournalEntry e = c.next(); e != null; e = c.next()) up.add(e.bytes());
            }
            assertThat(r).isInstanceOf(Result.Applied.class);
            cloud.core.writer().call(() -> cloud.core.store().acceptReplica("edge/edge-a", up)).join();

            JsonNode items = cloud.get("/api/v1/nodes").json().get("items");
            assertThat(items).extracting(n -> n.get("node").textValue()).containsExactly("edge-a", "edge-b", "edge-z");
            JsonNode a = items.get(0);
            assertThat(a.at("/connection/state").textValue()).isEqualTo("connected");
            assertThat(a.at("/connection/since").textValue()).isEqualTo(SINCE.toString());
            assertThat(a.at("/connection/remoteAddress").textValue()).isEqualTo("10.0.0.7:50000");
            JsonNode out = a.get("streams").get(0);
            assertThat(out.get("stream").textValue()).isEqualTo("cloud/edge-a");
            assertThat(out.get("direction").textValue()).isEqualTo("outbound");
            assertThat(out.get("held").longValue()).isEqualTo(2);
            assertThat(out.get("applied").longValue()).isEqualTo(2);
            assertThat(out.get("projectionLag").longValue()).isZero();
            assertThat(out.get("peerHeld").longValue()).isEqualTo(1);
            assertThat(out.get("replicationLag").longValue()).isEqualTo(1);
            JsonNode in = a.get("streams").get(1);
            assertThat(in.get("stream").textValue()).isEqualTo("edge/edge-a");
            assertThat(in.get("direction").textValue()).isEqualTo("inbound");
            assertThat(in.get("held").longValue()).isEqualTo(2);
            assertThat(in.get("replicationLag").longValue()).isEqualTo(1); // the edge has 3, the cloud 2

            JsonNode b = items.get(1);
            assertThat(b.at("/connection/state").textValue()).isEqualTo("unknown");
            assertThat(b.at("/connection/since").isNull()).isTrue();
            assertThat(b.get("streams").get(0).get("peerHeld").isNull()).isTrue();
            assertThat(b.get("streams").get(0).get("replicationLag").isNull()).isTrue();
            JsonNode z = items.get(2);
            assertThat(z.at("/connection/state").textValue()).isEqualTo("disconnected");
            assertThat(z.get("streams").size()).isZero();

            // connected peers and lags are the sync layer's meters (CloudNodesOverSyncTest); the REST layer counts events
            String metrics = cloud.get("/metrics").body();
            assertThat(metric(metrics, "edgetwin_events_applied_total{source=\"replica\"}")).isEqualTo(2.0);
            assertThat(metrics).doesNotContain("edgetwin_nodes_connected", "edgetwin_replication_lag");
        }
    }

    @Test
    void withoutTheSyncLayerEveryNodeIsUnknown() {
        try (ApiNode cloud = ApiNode.cloud(dir.resolve("cloud"), ApiOptions.DEFAULT)) {
            assertThat(cloud.get("/api/v1/nodes").json().get("items").size()).isZero();
            cloud.put("/api/v1/devices/lamp-1", lamp("edge-a", "ON"));
            JsonNode a = cloud.get("/api/v1/nodes").json().get("items").get(0);
            assertThat(a.get("node").textValue()).isEqualTo("edge-a");
            assertThat(a.at("/connection/state").textValue()).isEqualTo("unknown");
            assertThat(a.get("streams").get(0).get("held").longValue()).isEqualTo(2);
        }
    }
}
