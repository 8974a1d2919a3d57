package dev.edgetwin.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.Result;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.TwinCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.edgetwin.node.http.ApiNode.lamp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The SSE change stream: live events, filters, resumption without gap or duplicate, slow clients. */
class WatchApiTest {
    static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    ApiNode node;
    final List<SseClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(SseClient::close);
        if (node != null) node.close();
    }

    SseClient watch(String query, String lastEventId) {
        SseClient c = SseClient.open(node.http, node.uri("/api/v1/watch" + query), lastEventId, node.token, true);
        clients.add(c);
        return c;
    }

    /** Every journal position in append order. */
    List<String> journalOrder() {
        List<String> out = new ArrayList<>();
        try (JournalCursor c = node.core.store().journal().readAll()) {
            for (JournalEntry e = c.next(); e != null; e = c.next()) out.add(e.stream() + ":" + e.seq());
        }
        return out;
    }

    static List<String> ids(List<SseClient.Event> events) {
        return events.stream().map(SseClient.Event::id).toList();
    }

    /** Desired-value patches of {@code devices} in turns, through the writer (group commit mixes streams in a batch). */
    void write(List<DeviceId> devices, int count) {
        List<CompletableFuture<Result>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            DeviceId d = devices.get(i % devices.size());
            pending.add(node.core.writer().submit(TwinStore.Request.of(
                    new TwinCommand.PatchDesired(d, Map.of("level", JsonValues.parse(String.valueOf(i)))))));
        }
        pending.forEach(f -> assertThat(f.join()).isInstanceOf(Result.Applied.class));
    }

    @Test
    void liveEventsCarryTheirJournalPositionAsId() {
        node = ApiNode.cloud(dir, ApiOptions.DEFAULT);
        SseClient c = watch("", null);
        assertThat(c.status).isEqualTo(200);
        assertThat(c.contentType).startsWith("text/event-stream");
        node.put("/api/v1/devices/lamp-1", lamp("edge-a", "ON"));
        node.patch("/api/v1/devices/lamp-1/desired", "{\"powerstatus\":\"OFF\"}");
        await().atMost(PATIENCE).until(() -> c.changes().size() == 3);
        List<SseClient.Event> events = c.changes();
        assertThat(ids(events)).containsExactly("cloud/edge-a:0", "cloud/edge-a:1", "cloud/edge-a:2");
        JsonNode last = JsonValues.parse(events.get(2).data());
        assertThat(last.get("type").textValue()).isEqualTo("desired.set");
        assertThat(last.get("device").textValue()).isEqualTo("lamp-1");
        assertThat(last.get("namespace").textValue()).isEqualTo("default");
        assertThat(last.get("property").textValue()).isEqualTo("powerstatus");
        assertThat(last.get("value").textValue()).isEqualTo("OFF");
        assertThat(last.get("position").textValue()).isEqualTo("cloud/edge-a:2");
        assertThat(JsonValues.parse(events.get(0).data()).get("type").textValue()).isEqualTo("registered");
        // a client that connects later starts with a bookmark at the last event before it: resuming from there misses nothing
        SseClient later = watch("", null);
        await().atMost(PATIENCE).until(() -> !later.events.isEmpty());
        assertThat(later.events.get(0).type()).isEqualTo("bookmark");
        assertThat(later.events.get(0).id()).isEqualTo("cloud/edge-a:2");
    }

    @Test
    void filtersByDeviceNodeModelAndNamespace() {
        node = ApiNode.cloud(dir, ApiOptions.DEFAULT);
        SseClient byDevice = watch("?device=lamp-1&device=plant/pump-1", null);
        SseClient byNode = watch("?node=edge-b", null);
        SseClient byModel = watch("?model=pump", null);
        SseClient byNamespace = watch("?namespace=plant", null);
        SseClient combined = watch("?node=edge-a&model=led-light", null);
        node.put("/api/v1/devices/lamp-1", lamp("edge-a", "ON"));                                   // cloud/edge-a:0,1
        node.put("/api/v1/devices/lamp-2", lamp("edge-b", "ON"));                                   // cloud/edge-b:0,1
        node.put("/api/v1/namespaces/plant/devices/pump-1", "{\"node\":\"edge-b\",\"model\":\"pump\"}"); // cloud/edge-b:2
        node.patch("/api/v1/namespaces/plant/devices/pump-1/desired", "{\"rpm\":900}");            // cloud/edge-b:3
        node.delete("/api/v1/devices/lamp-1");                                                    // cloud/edge-a:2
        SseClient all = watch("", null);
        await().atMost(PATIENCE).until(() -> !all.events.isEmpty()); // the bookmark: everything above was notified
        await().atMost(PATIENCE).until(() -> byDevice.changes().size() == 5 && byNode.changes().size() == 4
                && byModel.changes().size() == 3 && byNamespace.changes().size() == 2 && combined.changes().size() == 3);
        assertThat(ids(byDevice.changes())).containsExactly("cloud/edge-a:0", "cloud/edge-a:1", "cloud/edge-b:2", "cloud/edge-b:3",
                "cloud/edge-a:2");
        assertThat(ids(byNode.changes())).containsExactly("cloud/edge-b:0", "cloud/edge-b:1", "cloud/edge-b:2", "cloud/edge-b:3");
        // model: pump-1's events, and the removal of lamp-1 (a removed device has no model left: removals always pass)
        assertThat(ids(byModel.changes())).containsExactly("cloud/edge-b:2", "cloud/edge-b:3", "cloud/edge-a:2");
        assertThat(ids(byNamespace.changes())).containsExactly("cloud/edge-b:2", "cloud/edge-b:3");
        assertThat(ids(combined.changes())).containsExactly("cloud/edge-a:0", "cloud/edge-a:1", "cloud/edge-a:2");
    }

    @Test
    void eventsOfLargeGroupCommitsArriveWholeAndInOrder() {
        node = ApiNode.cloud(dir, ApiOptions.DEFAULT);
        List<DeviceId> devices = List.of(DeviceId.of("a-1"), DeviceId.of("b-1"), new DeviceId("plant", "c-1"));
        for (DeviceId d : devices) node.put("/api/v1/namespaces/" + d.namespace() + "/devices/" + d.name(), lamp("edge-a", "ON"));
        SseClient c = watch("", null);
        await().atMost(PATIENCE).until(() -> !c.events.isEmpty());
        int before = journalOrder().size();
        // submitted at once: the writer commits them in large groups, and a drain writes many events per
        // write, cut every WatchSession.DRAIN_CHUNK_BYTES — far more bytes than one chunk
        write(devices, 3_000);
        await().atMost(PATIENCE).until(() -> c.changes().size() >= 3_000);
        List<SseClient.Event> events = c.changes();
        assertThat(ids(events)).isEqualTo(journalOrder().subList(before, before + 3_000));
        for (int i = 0; i < events.size(); i++) {
            JsonNode data = JsonValues.parse(events.get(i).data());
            assertThat(data.get("position").textValue()).isEqualTo(events.get(i).id());
            assertThat(data.get("value").asInt()).isEqualTo(i);
        }
        // the events span many chunks: a cut inside an event would have shown above
        assertThat(events.stream().mapToLong(e -> e.data().length()).sum()).isGreaterThan(10L * WatchSession.DRAIN_CHUNK_BYTES);
    }

    @Test
    void reconnectingWithLastEventIdResumesWithNoGapAndNoDuplicateWhileWritesGoOn() throws Exception {
        node = ApiNode.cloud(dir, ApiOptions.DEFAULT.withWatch(100_000, 15_000, 64));
        List<DeviceId> devices = List.of(DeviceId.of("a-1"), DeviceId.of("b-1"), DeviceId.of("c-1"), new DeviceId("plant", "a-2"));
        String[] nodes = {"edge-a", "edge-b", "edge-c", "edge-a"};
        for (int i = 0; i < devices.size(); i++) {
            DeviceId d = devices.get(i);
            node.put("/api/v1/namespaces/" + d.namespace() + "/devices/" + d.name(), lamp(nodes[i], "ON"));
        }
        SseClient first = watch("", null);
        await().atMost(PATIENCE).until(() -> !first.events.isEmpty());
        String start = first.events.get(0).id();
        int reconnectsWanted = 6;
        java.util.concurrent.atomic.AtomicInteger reconnects = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger();
        Thread writer = new Thread(() -> {
            try {
                // bounded: stops once the reader has reconnected often enough, or after 50,000 events
                while (reconnects.get() < reconnectsWanted && written.get() < 50_000) {
                    write(devices, 50);
                    written.addAndGet(50);
                    Thread.sleep(2);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-writer");
        writer.start();

        List<SseClient.Event> received = new ArrayList<>();
        SseClient current = first;
        // drop the connection at changing moments while the writer runs; each reconnect resumes from the last id seen
        while (reconnects.get() < reconnectsWanted && writer.isAlive()) {
            SseClient c = current;
            int seen = c.changes().size();
            await().atMost(PATIENCE).until(() -> c.changes().size() > seen + 100 || !writer.isAlive());
            c.close();
            received.addAll(c.changes());
            current = watch("", c.lastId());
            assertThat(current.status).isEqualTo(200);
            reconnects.incrementAndGet();
        }
        writer.join();
        SseClient last = current;
        int expected = journalOrder().size() - journalOrder().indexOf(start) - 1;
        await().atMost(PATIENCE).until(() -> received.size() + last.changes().size() >= expected);
        received.addAll(last.changes());
        List<String> all = journalOrder();
        assertThat(all).hasSize(devices.size() * 2 + written.get());
        assertThat(reconnects.get()).isEqualTo(reconnectsWanted);
        assertThat(ids(received)).doesNotHaveDuplicates().isEqualTo(all.subList(all.indexOf(start) + 1, all.size()));
    }

    @Test
    void filteredWatchGetsBookmarksAndResumesFromThem() {
        node = ApiNode.cloud(dir, ApiOptions.DEFAULT.withWatch(10_000, 200, 1_000));
        node.put("/api/v1/devices/lamp-1", lamp("edge-a", "ON"));
        node.put("/api/v1/devices/lamp-2", lamp("edge-b", "ON"));
        SseClient c = watch("?device=lamp-1", null);
        node.patch("/api/v1/devices/lamp-2/desired", "{\"powerstatus\":\"OFF\"}"); // cloud/edge-b:2, filtered out
        await().atMost(PATIENCE).until(() -> "cloud/edge-b:2".equals(c.lastId()));
        assertThat(c.changes()).isEmpty();
        assertThat(c.events.get(c.events.size() - 1).type()).isEqualTo("bookmark");
        c.close();
        node.patch("/api/v1/devices/lamp-2/desired", "{\"powerstatus\":\"ON\"}");   // cloud/edge-b:3, filtered out
        node.patch("/api/v1/devices/lamp-1/desired", "{\"powerstatus\":\"OFF\"}");  // cloud/edge-a:2
        SseClient resumed = watch("?device=lamp-1", "cloud/edge-b:2");
        await().atMost(PATIENCE).until(() -> resumed.changes().size() == 1);
        assertThat(ids(resumed.changes())).containsExactly("cloud/edge-a:2");
    }

    @Test
    void unknownOrMalformedLastEventIdIsAProblem() {
        node = ApiNode.cloud(dir, ApiOptions.DEFAULT);
        node.put("/api/v1/devices/lamp-1", lamp("edge-a", "ON"));
        ApiNode.Reply unknown = node.get("/api/v1/watch", Map.of("last-event-id", "cloud/edge-a:99"));
        ProblemApiTest.problem(unknown, 404, "twin:position.notfound");
        ProblemApiTest.problem(node.get("/api/v1/watch", Map.of("last-event-id", "yesterday")), 400, "http:param.invalid");
        ProblemApiTest.problem(node.get("/api/v1/watch?lastEventId=cloud/nowhere:0"), 404, "twin:position.notfound");
        // the query form works like the header
        SseClient viaQuery = SseClient.open(node.http, node.uri("/api/v1/watch?lastEventId=cloud/edge-a:0"), null, null, true);
        clients.add(viaQuery);
        await().atMost(PATIENCE).until(() -> viaQuery.changes().size() == 1);
        assertThat(viaQuery.changes().get(0).id()).isEqualTo("cloud/edge-a:1");
    }

    @Test
    void aStreamPastTheLimitIsRefusedAndAPlaceComesBackWhenOneCloses() {
        node = ApiNode.cloud(dir, ApiOptions.DEFAULT.withWatchMaxStreams(2));
        node.put("/api/v1/devices/lamp-1", lamp("edge-a", "ON"));
        // a resume the journal cannot serve takes no place
        ProblemApiTest.problem(node.get("/api/v1/watch", Map.of("last-event-id", "cloud/edge-a:99")), 404, "twin:position.notfound");
        SseClient first = watch("", null);
        SseClient second = watch("?device=lamp-1", "cloud/edge-a:0");
        assertThat(List.of(first.status, second.status)).containsExactly(200, 200);
        JsonNode refused = ProblemApiTest.problem(node.get("/api/v1/watch"), 503, "watch:toomany");
        assertThat(refused.get("detail").asText()).contains("--watch-max-streams");
        ProblemApiTest.problem(node.get("/api/v1/watch", Map.of("last-event-id", "cloud/edge-a:0")), 503, "watch:toomany");
        assertThat(node.get("/metrics").body()).contains("edgetwin_watch_refused_total 2.0");

        node.patch("/api/v1/devices/lamp-1/desired", "{\"powerstatus\":\"OFF\"}");
        await().atMost(PATIENCE).until(() -> first.changes().size() == 1 && second.changes().size() == 2);
        first.close();
        await().atMost(PATIENCE).untilAsserted(() -> {
            SseClient third = SseClient.open(node.http, node.uri("/api/v1/watch"), null, node.token, true);
            clients.add(third);
            assertThat(third.status).isEqualTo(200);
        });
    }

    @Test
    void aClientTooSlowToReadIsDroppedWithAnOverflowEventAndResumesWithoutGap() throws Exception {
        int buffer = 2_000; // more than a write batch: only a client that stops reading fills it
        node = ApiNode.cloud(dir, ApiOptions.DEFAULT.withWatch(buffer, 15_000, 1_000));
        node.put("/api/v1/devices/lamp-1", lamp("edge-a", "ON"));
        SseClient slow = SseClient.open(node.http, node.uri("/api/v1/watch"), null, null, false); // reads nothing yet
        clients.add(slow);
        var overflows = node.core.metrics().get("edgetwin.watch.overflows").counter();
        // write until the server gives up on the slow client: its socket and the server's write queue fill, then the buffer
        int rounds = 0;
        for (; rounds < 400 && overflows.count() == 0; rounds++) {
            write(List.of(DeviceId.of("lamp-1")), 250);
            Thread.sleep(1);
        }
        assertThat(overflows.count()).as("overflows after %d events", rounds * 250).isEqualTo(1.0);
        slow.startReading();
        await().atMost(PATIENCE).until(() -> slow.ended);
        SseClient.Event lastEvent = slow.events.get(slow.events.size() - 1);
        assertThat(lastEvent.type()).isEqualTo("overflow");
        JsonNode problem = JsonValues.parse(lastEvent.data());
        assertThat(problem.get("code").textValue()).isEqualTo("watch:overflow");
        String resumeFrom = problem.get("resumeFrom").textValue();
        List<SseClient.Event> before = slow.changes();
        assertThat(resumeFrom).isEqualTo(before.get(before.size() - 1).id());
        List<String> all = journalOrder();
        assertThat(ids(before)).isEqualTo(all.subList(2, all.indexOf(resumeFrom) + 1));
        assertThat(all.size() - 1 - all.indexOf(resumeFrom)).isGreaterThan(buffer);

        SseClient resumed = watch("", resumeFrom);
        int expected = all.size() - 1 - all.indexOf(resumeFrom);
        await().atMost(PATIENCE).until(() -> resumed.changes().size() >= expected);
        assertThat(ids(resumed.changes())).isEqualTo(all.subList(all.indexOf(resumeFrom) + 1, all.size()));
    }
}
