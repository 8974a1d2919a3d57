package dev.edgetwin.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.edgetwin.node.http.ApiNode.lamp;
import static org.assertj.core.api.Assertions.assertThat;

/** The API on an edge: the edge's own devices, registered locally from the first start, written to edge/<node>. */
class EdgeApiTest {
    @TempDir
    Path dir;
    ApiNode edge;

    @BeforeEach
    void start() {
        edge = ApiNode.edge(dir.resolve("edge-a"), "edge-a", ApiOptions.DEFAULT);
    }

    @AfterEach
    void stop() {
        edge.close();
    }

    @Test
    void aNewEdgeRegistersDevicesLocallyBoundToItself() {
        ApiNode.Reply created = edge.put("/api/v1/devices/lamp-1", "{\"model\":\"led-light\",\"twin\":{\"powerstatus\":"
                + "{\"desired\":{\"value\":\"ON\"}}}}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("node").textValue()).isEqualTo("edge-a");
        assertThat(created.json().at("/twin/powerstatus/desired/origin").textValue()).isEqualTo("edge-a");
        assertThat(edge.put("/api/v1/devices/lamp-2", lamp("edge-a", "OFF")).status()).isEqualTo(201);
        assertThat(edge.core.store().journal().streams()).containsExactly("edge/edge-a");
    }

    @Test
    void aPutNamingAnotherNodeIsRefusedWithACode() {
        JsonNode p = ProblemApiTest.problem(edge.put("/api/v1/devices/lamp-1", lamp("edge-b", "ON")), 403, "twin:node.foreign");
        assertThat(p.get("detail").textValue()).contains("edge-b");
        assertThat(edge.core.store().journal().streams()).isEmpty();
        assertThat(edge.get("/api/v1/devices/lamp-1").status()).isEqualTo(404);
    }

    @Test
    void desiredValuesSetAtTheEdgeAreEventsOnItsStream() {
        edge.put("/api/v1/devices/lamp-1", lamp("edge-a", "ON"));
        assertThat(edge.patch("/api/v1/devices/lamp-1/desired", "{\"powerstatus\":\"OFF\"}").status()).isEqualTo(200);
        JsonNode history = edge.get("/api/v1/devices/lamp-1/history").json().get("items");
        List<String> positions = new ArrayList<>();
        history.forEach(e -> positions.add(e.get("position").textValue() + " " + e.get("type").textValue() + " " + e.get("origin").textValue()));
        assertThat(positions).containsExactly("edge/edge-a:0 registered edge-a", "edge/edge-a:1 desired.set edge-a",
                "edge/edge-a:2 desired.set edge-a");
        // exactly what the sync layer will ship to the cloud: a cloud store takes it as a replica and shows the same document
        try (TwinStore cloud = TwinStore.open(dir.resolve("cloud"), "cloud", StoreOptions.cloud())) {
            List<byte[]> entries = new ArrayList<>();
            try (JournalCursor c = edge.core.store().journal().read("edge/edge-a", 0)) {
                for (JournalEntry e = c.next(); e != null; e = c.next()) entries.add(e.bytes());
            }
            cloud.acceptReplica("edge/edge-a", entries);
            assertThat(cloud.get(DeviceId.of("lamp-1")).orElseThrow().documentJson())
                    .isEqualTo(edge.get("/api/v1/devices/lamp-1").body());
        }
    }

    @Test
    void devicesTheCloudPlacesOnTheEdgeAreServedAndListsStayOnTheEdge() {
        try (TwinStore cloud = TwinStore.open(dir.resolve("cloud"), "cloud", StoreOptions.cloud())) {
            var reg = cloud.execute(new TwinCommand.RegisterDevice(DeviceId.of("lamp-9"), "edge-a", "led-light", Map.of(),
                    Map.of("powerstatus", new PropertyDef("string", false)), Map.of("powerstatus", JsonValues.text("ON"))), null, null);
            List<byte[]> entries = ((dev.edgetwin.log.Result.Applied) reg).entries().stream().map(JournalEntry::bytes).toList();
            edge.core.writer().call(() -> edge.core.store().acceptReplica("cloud/edge-a", entries)).join();
        }
        edge.put("/api/v1/devices/lamp-1", lamp("edge-a", "ON"));
        assertThat(edge.get("/api/v1/devices/lamp-9").json().at("/twin/powerstatus/desired/origin").textValue()).isEqualTo("cloud");
        JsonNode all = edge.get("/api/v1/devices").json().get("items");
        assertThat(all).extracting(d -> d.get("id").textValue()).containsExactly("lamp-1", "lamp-9");
        assertThat(edge.get("/api/v1/devices?node=edge-a").json().get("items").size()).isEqualTo(2);
        assertThat(edge.get("/api/v1/devices?node=edge-b").json().get("items").size()).isZero();
        // the edge serves no node list
        ProblemApiTest.problem(edge.get("/api/v1/nodes"), 404, "http:route.notfound");
    }
}
