package dev.edgetwin.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.HistoryEntry;
import dev.edgetwin.log.model.DeviceId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.edgetwin.node.http.ApiNode.lamp;
import static org.assertj.core.api.Assertions.assertThat;

/** Register, read, patch and remove devices over real HTTP on the cloud. */
class DeviceApiTest {
    @TempDir
    Path dir;
    ApiNode node;

    @BeforeEach
    void start() {
        node = ApiNode.cloud(dir, ApiOptions.DEFAULT);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void putCreatesWith201ThenReplacesWith200_andGetServesTheDocumentWithItsEtag() {
        ApiNode.Reply created = node.put("/api/v1/devices/lamp-1", lamp("edge-a", "ON"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("location")).isEqualTo("/api/v1/devices/lamp-1");
        assertThat(created.contentType()).startsWith("application/json");
        JsonNode doc = created.json();
        assertThat(doc.get("id").textValue()).isEqualTo("lamp-1");
        assertThat(doc.get("namespace").textValue()).isEqualTo("default");
        assertThat(doc.get("node").textValue()).isEqualTo("edge-a");
        assertThat(doc.get("model").textValue()).isEqualTo("led-light");
        assertThat(doc.at("/attributes/serial").textValue()).isEqualTo("A1");
        assertThat(doc.at("/twin/powerstatus/desired/value").textValue()).isEqualTo("ON");
        assertThat(doc.at("/twin/powerstatus/desired/origin").textValue()).isEqualTo("cloud");
        assertThat(doc.at("/twin/powerstatus/inSync").booleanValue()).isFalse();
        assertThat(doc.get("state").textValue()).isEqualTo("unknown");

        ApiNode.Reply got = node.get("/api/v1/devices/lamp-1");
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.header("etag")).isEqualTo(created.header("etag")).matches("\"[0-9a-f]{16}\"");
        assertThat(got.json()).isEqualTo(doc);

        ApiNode.Reply replaced = node.put("/api/v1/devices/lamp-1", lamp("edge-a", "OFF"));
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.header("location")).isNull();
        assertThat(replaced.json().at("/twin/powerstatus/desired/value").textValue()).isEqualTo("OFF");
        assertThat(replaced.header("etag")).isNotEqualTo(created.header("etag"));
    }

    @Test
    void ifNoneMatchGives304WhileTheDocumentIsUnchanged() {
        String etag = node.put("/api/v1/devices/lamp-1", lamp("edge-a", "ON")).header("etag");
        ApiNode.Reply notModified = node.get("/api/v1/devices/lamp-1", Map.of("if-none-match", etag));
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(notModified.header("etag")).isEqualTo(etag);
        node.patch("/api/v1/devices/lamp-1/desired", "{\"powerstatus\":\"OFF\"}");
        assertThat(node.get("/api/v1/devices/lamp-1", Map.of("if-none-match", etag)).status()).isEqualTo(200);
    }

    @Test
    void namespacedPathsAddressTheirOwnDevices() {
        assertThat(node.put("/api/v1/namespaces/plant/devices/lamp-1", lamp("edge-a", "ON")).status()).isEqualTo(201);
        assertThat(node.get("/api/v1/devices/lamp-1").status()).isEqualTo(404);
        ApiNode.Reply got = node.get("/api/v1/namespaces/plant/devices/lamp-1");
        assertThat(got.json().get("namespace").textValue()).isEqualTo("plant");
        assertThat(node.patch("/api/v1/namespaces/plant/devices/lamp-1/desired", "{\"powerstatus\":\"OFF\"}").status()).isEqualTo(200);
        assertThat(node.put("/api/v1/namespaces/default/devices/lamp-1", lamp("edge-b", "ON")).status()).isEqualTo(201);
        assertThat(node.get("/api/v1/devices/lamp-1").json().get("node").textValue()).isEqualTo("edge-b");
        assertThat(node.delete("/api/v1/namespaces/plant/devices/lamp-1").status()).isEqualTo(204);
        assertThat(node.get("/api/v1/namespaces/plant/devices/lamp-1").status()).isEqualTo(404);
        assertThat(node.get("/api/v1/devices/lamp-1").status()).isEqualTo(200);
    }

    @Test
    void mergePatchSetsAndNullClearsAndMergesObjects() {
        node.put("/api/v1/devices/lamp-1", "{\"node\":\"edge-a\",\"twin\":{\"powerstatus\":{\"desired\":{\"value\":\"ON\"}},"
                + "\"config\":{\"desired\":{\"value\":{\"mode\":\"eco\",\"level\":3,\"extra\":{\"a\":1}}}}}}");
        ApiNode.Reply r = node.patch("/api/v1/devices/lamp-1/desired", "{\"powerstatus\":null,\"brightness\":70,"
                + "\"config\":{\"level\":5,\"extra\":null,\"new\":true}}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode doc = r.json();
        assertThat(doc.at("/twin/powerstatus/desired").isMissingNode()).isTrue();
        assertThat(doc.at("/twin/brightness/desired/value").intValue()).isEqualTo(70);
        assertThat(doc.at("/twin/config/desired/value")).isEqualTo(JsonValuesOf("{\"mode\":\"eco\",\"level\":5,\"new\":true}"));
        assertThat(r.header("etag")).isEqualTo(node.get("/api/v1/devices/lamp-1").header("etag"));
        // application/json is accepted too, and an empty patch changes nothing
        ApiNode.Reply same = node.send("PATCH", "/api/v1/devices/lamp-1/desired", "application/json", "{}", Map.of());
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.header("etag")).isEqualTo(r.header("etag"));
    }

    private static JsonNode JsonValuesOf(String json) {
        return dev.edgetwin.log.model.JsonValues.parse(json);
    }

    @Test
    void ifMatchWritesOnlyOverTheCurrentEtag() {
        String etag = node.put("/api/v1/devices/lamp-1", lamp("edge-a", "ON")).header("etag");
        ApiNode.Reply ok = node.patch("/api/v1/devices/lamp-1/desired", "{\"powerstatus\":\"OFF\"}", Map.of("if-match", etag));
        assertThat(ok.status()).isEqualTo(200);
        long next = node.core.store().journal().nextSeq("cloud/edge-a");
        ApiNode.Reply stale = node.patch("/api/v1/devices/lamp-1/desired", "{\"powerstatus\":\"ON\"}", Map.of("if-match", etag));
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.contentType()).isEqualTo("application/problem+json");
        assertThat(stale.json().get("code").textValue()).isEqualTo("twin:version.mismatch");
        assertThat(node.core.store().journal().nextSeq("cloud/edge-a")).isEqualTo(next);
        assertThat(node.get("/api/v1/devices/lamp-1").json().at("/twin/powerstatus/desired/value").textValue()).isEqualTo("OFF");
        // If-Match guards PUT and DELETE too; * means "if it exists"
        assertThat(node.put("/api/v1/devices/lamp-1", lamp("edge-a", "ON"), Map.of("if-match", etag)).status()).isEqualTo(412);
        assertThat(node.send("DELETE", "/api/v1/devices/lamp-1", null, null, Map.of("if-match", etag)).status()).isEqualTo(412);
        assertThat(node.put("/api/v1/devices/lamp-1", lamp("edge-a", "ON"), Map.of("if-match", "*")).status()).isEqualTo(200);
        assertThat(node.patch("/api/v1/devices/lamp-1/desired", "{}", Map.of("if-match", "\"a\", \"b\"")).status()).isEqualTo(400);
    }

    @Test
    void reportedValuesAndReadOnlyMembersInAPutAreIgnored_aDocumentCanBeSentBackAsItIs() {
        node.put("/api/v1/devices/lamp-1", "{\"node\":\"edge-a\",\"twin\":{\"powerstatus\":{\"desired\":{\"value\":\"ON\"},"
                + "\"reported\":{\"value\":\"OFF\",\"updatedAt\":\"2020-01-01T00:00:00Z\",\"origin\":\"x\"},\"inSync\":true}},"
                + "\"state\":\"online\"}");
        JsonNode doc = node.get("/api/v1/devices/lamp-1").json();
        assertThat(doc.at("/twin/powerstatus/reported").isMissingNode()).isTrue();
        assertThat(doc.get("state").textValue()).isEqualTo("unknown");
        // GET → PUT unchanged: 200, same desired value (and desired.updatedAt/origin ignored)
        ApiNode.Reply again = node.put("/api/v1/devices/lamp-1", doc.toString());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().at("/twin/powerstatus/desired/value").textValue()).isEqualTo("ON");
        ApiNode.Reply wrongId = node.put("/api/v1/devices/lamp-1", doc.toString().replace("\"lamp-1\"", "\"lamp-2\""));
        assertThat(wrongId.status()).isEqualTo(400);
        assertThat(wrongId.json().get("code").textValue()).isEqualTo("http:field.invalid");
    }

    @Test
    void propertyDefinitionsAreEnforced() {
        node.put("/api/v1/devices/lamp-1", "{\"node\":\"edge-a\",\"twin\":{\"level\":{\"type\":\"int\"},"
                + "\"temperature\":{\"type\":\"float\",\"readOnly\":true}}}");
        ApiNode.Reply badType = node.patch("/api/v1/devices/lamp-1/desired", "{\"level\":\"high\"}");
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.json().get("code").textValue()).isEqualTo("twin:value.invalid");
        ApiNode.Reply readOnly = node.patch("/api/v1/devices/lamp-1/desired", "{\"temperature\":21.5}");
        assertThat(readOnly.status()).isEqualTo(400);
        assertThat(readOnly.json().get("code").textValue()).isEqualTo("twin:property.readonly");
        assertThat(node.patch("/api/v1/devices/lamp-1/desired", "{\"level\":4}").json().at("/twin/level/desired/value").intValue())
                .isEqualTo(4);
    }

    @Test
    void deleteRemovesThenTheDeviceIsGone() {
        node.put("/api/v1/devices/lamp-1", lamp("edge-a", "ON"));
        ApiNode.Reply deleted = node.delete("/api/v1/devices/lamp-1");
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        ApiNode.Reply gone = node.get("/api/v1/devices/lamp-1");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().get("code").textValue()).isEqualTo("twin:device.notfound");
        assertThat(node.delete("/api/v1/devices/lamp-1").status()).isEqualTo(404);
        assertThat(node.patch("/api/v1/devices/lamp-1/desired", "{\"powerstatus\":\"ON\"}").status()).isEqualTo(404);
        // registering again is a creation
        assertThat(node.put("/api/v1/devices/lamp-1", lamp("edge-a", "ON")).status()).isEqualTo(201);
    }

    @Test
    void requestIdIsKeptInTheJournalAsTheClientToken() {
        node.put("/api/v1/devices/lamp-1", lamp("edge-a", "ON"), Map.of("x-request-id", "req-42"));
        node.patch("/api/v1/devices/lamp-1/desired", "{\"powerstatus\":\"OFF\"}", Map.of("x-request-id", "req-43"));
        List<HistoryEntry> history = node.core.store().history(DeviceId.of("lamp-1"), null, null, 10);
        assertThat(history).extracting(h -> h.record().envelope().clientToken()).containsExactly("req-42", "req-42", "req-43");
        assertThat(node.put("/api/v1/devices/lamp-2", lamp("edge-a", "ON"), Map.of("x-request-id", "x".repeat(201))).status())
                .isEqualTo(400);
    }

    @Test
    void movingADeviceThroughTheApiWritesTheRemovalForTheOldNodeAndTheRegistrationForTheNew() {
        node.put("/api/v1/devices/lamp-1", lamp("edge-a", "ON"));
        ApiNode.Reply moved = node.put("/api/v1/devices/lamp-1", lamp("edge-b", "OFF"));
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.json().get("node").textValue()).isEqualTo("edge-b");
        JsonNode history = node.get("/api/v1/devices/lamp-1/history").json().get("items");
        assertThat(history).extracting(e -> e.get("position").textValue() + " " + e.get("type").textValue()).containsExactly(
                "cloud/edge-a:0 registered", "cloud/edge-a:1 desired.set", "cloud/edge-a:2 removed",
                "cloud/edge-b:0 registered", "cloud/edge-b:1 desired.set");
    }
}
