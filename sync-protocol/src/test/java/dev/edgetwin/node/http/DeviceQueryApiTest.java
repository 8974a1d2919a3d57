package dev.edgetwin.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceState;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.TwinCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.edgetwin.node.http.ApiNode.lamp;
import static org.assertj.core.api.Assertions.assertThat;

/** Lists with filters and cursors, history ranges and pages, and documents as of a time or position. */
class DeviceQueryApiTest {
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

    /** Every name over all pages of {@code query}, following nextCursor; fails on a page larger than asked. */
    List<String> collect(String query, int limit) {
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            String sep = query.contains("?") ? "&" : "?";
            ApiNode.Reply r = node.get(query + sep + "limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            JsonNode page = r.json();
            assertThat(page.get("items").size()).isLessThanOrEqualTo(limit);
            page.get("items").forEach(d -> names.add(d.get("namespace").textValue() + "/" + d.get("id").textValue()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").textValue();
        } while (cursor != null);
        return names;
    }

    void registerFleet() {
        for (int i = 0; i < 12; i++) {
            String body = "{\"node\":\"" + (i % 2 == 0 ? "edge-a" : "edge-b") + "\",\"model\":\"" + (i % 3 == 0 ? "sensor" : "led-light")
                    + "\",\"twin\":{\"powerstatus\":{\"desired\":{\"value\":\"" + (i % 4 == 0 ? "ON" : "OFF") + "\"}},"
                    + "\"level\":{\"desired\":{\"value\":" + i + "}}}}";
            assertThat(node.put(String.format("/api/v1/devices/dev-%02d", i), body).status()).isEqualTo(201);
        }
        node.put("/api/v1/namespaces/plant/devices/pump-1", lamp("edge-a", "ON"));
        node.put("/api/v1/namespaces/plant/devices/pump-2", lamp("edge-b", "ON"));
        // dev-00 reports what it was asked: in sync, and online
        TwinStore store = node.core.store();
        store.execute(new TwinCommand.PatchReported(DeviceId.of("dev-00"), Map.of("powerstatus", JsonValues.text("ON"),
                "level", JsonValues.parse("0"))), null, null);
        store.execute(new TwinCommand.ChangeState(DeviceId.of("dev-00"), DeviceState.ONLINE), null, null);
    }

    @Test
    void listsEveryNamespaceOrOneInIdOrderAcrossPages() {
        registerFleet();
        List<String> all = collect("/api/v1/devices", 5);
        assertThat(all).hasSize(14).doesNotHaveDuplicates().isSorted();
        assertThat(all.get(0)).isEqualTo("default/dev-00");
        assertThat(collect("/api/v1/devices", 1000)).isEqualTo(all);
        assertThat(collect("/api/v1/namespaces/plant/devices", 1)).containsExactly("plant/pump-1", "plant/pump-2");
        assertThat(collect("/api/v1/namespaces/default/devices", 4)).hasSize(12);
        assertThat(collect("/api/v1/namespaces/nothing/devices", 4)).isEmpty();
    }

    @Test
    void filtersByNodeModelPropertyValueInSyncAndState() {
        registerFleet();
        assertThat(collect("/api/v1/devices?node=edge-a", 3)).hasSize(7).contains("plant/pump-1");
        assertThat(collect("/api/v1/namespaces/default/devices?node=edge-b&model=sensor", 1))
                .containsExactly("default/dev-03", "default/dev-09");
        assertThat(collect("/api/v1/devices?property=powerstatus&value=ON", 2))
                .containsExactly("default/dev-00", "default/dev-04", "default/dev-08", "plant/pump-1", "plant/pump-2");
        // value as JSON: a number matches a number, "3" as text does not
        assertThat(collect("/api/v1/devices?property=level&value=3", 10)).containsExactly("default/dev-03");
        assertThat(collect("/api/v1/devices?property=level&value=" + enc("\"3\""), 10)).isEmpty();
        assertThat(collect("/api/v1/devices?inSync=true", 10)).containsExactly("default/dev-00");
        assertThat(collect("/api/v1/devices?inSync=false", 10)).hasSize(13);
        assertThat(collect("/api/v1/devices?state=online", 10)).containsExactly("default/dev-00");
        assertThat(collect("/api/v1/devices?state=ONLINE&model=sensor", 10)).containsExactly("default/dev-00");
    }

    @Test
    void badListParametersAreCodedProblems() {
        registerFleet();
        for (String q : List.of("limit=0", "limit=1001", "limit=x", "cursor=%25%25", "inSync=maybe", "state=sleepy", "value=1",
                "node=edge-a&node=edge-b")) {
            ApiNode.Reply r = node.get("/api/v1/devices?" + q);
            assertThat(r.status()).as(q).isEqualTo(400);
            assertThat(r.json().get("code").textValue()).as(q).isEqualTo("http:param.invalid");
            assertThat(r.json().get("detail").textValue()).as(q).isNotBlank();
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Registers lamp-1 and changes it {@code n} times, each write in its own millisecond; returns each write's document. */
    List<JsonNode> changeLamp(int n) throws InterruptedException {
        List<JsonNode> docs = new ArrayList<>();
        docs.add(node.put("/api/v1/devices/lamp-1", lamp("edge-a", "ON")).json());
        for (int i = 0; i < n; i++) {
            Thread.sleep(3);
            docs.add(node.patch("/api/v1/devices/lamp-1/desired", "{\"level\":" + i + "}").json());
        }
        return docs;
    }

    @Test
    void historyPagesThroughEveryEventOnceInOrder() throws Exception {
        changeLamp(9);
        JsonNode everything = node.get("/api/v1/devices/lamp-1/history").json();
        assertThat(everything.get("nextCursor").isNull()).isTrue();
        JsonNode items = everything.get("items");
        assertThat(items.size()).isEqualTo(11);
        assertThat(items.get(0).get("type").textValue()).isEqualTo("registered");
        assertThat(items.get(0).get("node").textValue()).isEqualTo("edge-a");
        assertThat(items.get(0).at("/properties/powerstatus/type").textValue()).isEqualTo("string");
        assertThat(items.get(1).get("type").textValue()).isEqualTo("desired.set");
        assertThat(items.get(2).get("value").intValue()).isEqualTo(0);
        assertThat(items.get(2).get("position").textValue()).isEqualTo("cloud/edge-a:2");
        assertThat(items.get(2).get("origin").textValue()).isEqualTo("cloud");

        List<String> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = node.get("/api/v1/devices/lamp-1/history?limit=3" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("items").forEach(e -> paged.add(e.get("position").textValue()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").textValue();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(4);
        List<String> expected = new ArrayList<>();
        items.forEach(e -> expected.add(e.get("position").textValue()));
        assertThat(paged).isEqualTo(expected);
        assertThat(node.get("/api/v1/devices/lamp-1/history?cursor=nonsense").status()).isEqualTo(400);
        assertThat(node.get("/api/v1/devices/ghost/history").status()).isEqualTo(404);
    }

    @Test
    void historyTimeRangesAreInclusive() throws Exception {
        changeLamp(6);
        JsonNode items = node.get("/api/v1/devices/lamp-1/history").json().get("items");
        Instant third = Instant.parse(items.get(3).get("time").textValue());
        Instant fifth = Instant.parse(items.get(5).get("time").textValue());
        JsonNode window = node.get("/api/v1/devices/lamp-1/history?from=" + third + "&to=" + fifth).json().get("items");
        Set<String> expected = new HashSet<>();
        for (JsonNode e : items) {
            Instant t = Instant.parse(e.get("time").textValue());
            if (!t.isBefore(third) && !t.isAfter(fifth)) expected.add(e.get("position").textValue());
        }
        Set<String> got = new HashSet<>();
        window.forEach(e -> got.add(e.get("position").textValue()));
        assertThat(got).isEqualTo(expected).contains(items.get(3).get("position").textValue(), items.get(5).get("position").textValue());
        assertThat(node.get("/api/v1/devices/lamp-1/history?from=" + fifth.plusSeconds(60)).json().get("items").size()).isZero();
        assertThat(node.get("/api/v1/devices/lamp-1/history?to=2000-01-01T00:00:00Z").json().get("items").size()).isZero();
        // an offset time, with the + left unencoded as browsers and curl users do
        assertThat(node.get("/api/v1/devices/lamp-1/history?from=2000-01-01T01:00:00+01:00").json().get("items").size()).isEqualTo(8);
        assertThat(node.get("/api/v1/devices/lamp-1/history?from=yesterday").status()).isEqualTo(400);
        assertThat(node.get("/api/v1/devices/lamp-1/history?from=" + fifth + "&to=" + third).status()).isEqualTo(400);
    }

    @Test
    void aDocumentAsOfATimeOrAJournalPosition() throws Exception {
        List<JsonNode> docs = changeLamp(4);
        JsonNode items = node.get("/api/v1/devices/lamp-1/history").json().get("items");
        // as of the time of the third write (its patch event): exactly the document that write returned
        String time = items.get(3).get("time").textValue();
        ApiNode.Reply atTime = node.get("/api/v1/devices/lamp-1?at=" + time);
        assertThat(atTime.status()).isEqualTo(200);
        assertThat(atTime.json()).isEqualTo(docs.get(2));
        assertThat(atTime.header("etag")).isNotBlank();
        // as of a journal position
        String position = items.get(4).get("position").textValue();
        assertThat(node.get("/api/v1/devices/lamp-1?at=" + position).json()).isEqualTo(docs.get(3));
        // before it existed; a position the journal does not hold; nonsense
        ApiNode.Reply before = node.get("/api/v1/devices/lamp-1?at=2000-01-01T00:00:00Z");
        assertThat(before.status()).isEqualTo(404);
        assertThat(before.json().get("code").textValue()).isEqualTo("twin:device.notfound");
        ApiNode.Reply nowhere = node.get("/api/v1/devices/lamp-1?at=cloud/edge-a:999");
        assertThat(nowhere.status()).isEqualTo(404);
        assertThat(nowhere.json().get("code").textValue()).isEqualTo("twin:position.notfound");
        assertThat(node.get("/api/v1/devices/lamp-1?at=cloud/edge-a:x").status()).isEqualTo(400);
        assertThat(node.get("/api/v1/devices/lamp-1?at=soon").status()).isEqualTo(400);
        // a removed device can still be read as it was
        node.delete("/api/v1/devices/lamp-1");
        assertThat(node.get("/api/v1/devices/lamp-1?at=" + position).json()).isEqualTo(docs.get(3));
    }
}
