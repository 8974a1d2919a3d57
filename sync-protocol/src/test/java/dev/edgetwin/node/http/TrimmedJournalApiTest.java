package dev.edgetwin.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.Result;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The REST API on a journal that starts a stream from a snapshot (a cloud that installed an
 * edge's snapshot because the edge had trimmed what it asked for; PROTOCOL.md §7): the document
 * as of now and of a held position is served, moments before the snapshot's newest event and
 * change-stream ids below the base are 404 {@code twin:position.notfound} saying why.
 */
class TrimmedJournalApiTest {
    static final DeviceId SENSOR = DeviceId.of("sensor-1");

    @TempDir
    Path dir;

    @Test
    void timeTravelAndWatchResumeKnowWhereTheJournalStarts() {
        List<JournalEntry> written = new ArrayList<>();
        try (TwinStore edge = TwinStore.open(dir.resolve("edge"), "edge-a", StoreOptions.edge());
             ApiNode cloud = ApiNode.cloud(dir.resolve("cloud"), ApiOptions.DEFAULT)) {
            written.addAll(applied(edge.execute(new TwinCommand.RegisterDevice(SENSOR, "edge-a", "thermo", Map.of(),
                    Map.of("t", PropertyDef.ANY), Map.of()), null, null)));
            for (int i = 1; i <= 4; i++) {
                written.addAll(applied(edge.execute(new TwinCommand.PatchReported(SENSOR, Map.of("t", JsonValues.parse("" + i))), null, null)));
            }
            // the edge trimmed seqs 0..2: the cloud gets their snapshot (registration, newest report), then the rest
            List<byte[]> snapshot = List.of(written.get(0).bytes(), written.get(2).bytes());
            cloud.core.writer().call(() -> cloud.core.store().installSnapshot("edge/edge-a", 3, written.get(2).hash(), snapshot)).join();
            List<byte[]> rest = List.of(written.get(3).bytes(), written.get(4).bytes());
            cloud.core.writer().call(() -> cloud.core.store().acceptReplica("edge/edge-a", rest)).join();

            JsonNode now = cloud.get("/api/v1/devices/sensor-1?at=" + java.time.Instant.now()).json();
            assertThat(now.at("/twin/t/reported/value").asInt()).isEqualTo(4);
            assertThat(cloud.get("/api/v1/devices/sensor-1?at=edge/edge-a:3").json().at("/twin/t/reported/value").asInt()).isEqualTo(3);

            JsonNode early = ProblemApiTest.problem(cloud.get("/api/v1/devices/sensor-1?at=1970-01-01T00:00:00Z"), 404, "twin:position.notfound");
            assertThat(early.get("detail").textValue()).contains("trimmed by retention");
            JsonNode below = ProblemApiTest.problem(cloud.get("/api/v1/devices/sensor-1?at=edge/edge-a:1"), 404, "twin:position.notfound");
            assertThat(below.get("detail").textValue()).contains("trimmed");
            JsonNode resume = ProblemApiTest.problem(cloud.get("/api/v1/watch?lastEventId=edge/edge-a:2"), 404, "twin:position.notfound");
            assertThat(resume.get("detail").textValue()).contains("trimmed", "reconnect without it");
        }
    }

    private static List<JournalEntry> applied(Result r) {
        assertThat(r).isInstanceOf(Result.Applied.class);
        return ((Result.Applied) r).entries();
    }
}
