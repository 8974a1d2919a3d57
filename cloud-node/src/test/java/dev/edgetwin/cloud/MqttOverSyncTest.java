package dev.edgetwin.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.edge.EdgeNode;
import dev.edgetwin.edge.testkit.MqttProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole twin path across sync: a desired value set at the cloud's REST API reaches a mapper
 * (a HiveMQ client on the edge's embedded broker) as a KubeEdge {@code twin/update/delta}, and the
 * value the mapper then reports on {@code twin/update} comes back into the cloud's twin document.
 */
class MqttOverSyncTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String DEV = "$hw/events/device/default/lamp-1";

    @TempDir
    Path dir;

    @Test
    void aDesiredValueFromTheCloudReachesTheMapperAndItsReportComesBack() {
        try (CloudNode cloud = CloudNode.start(CloudConfig.local("cloud", dir.resolve("cloud")));
             EdgeNode edge = EdgeNode.start(SyncedEdges.of(cloud, "edge-a", dir.resolve("edge-a")));
             MqttProbe mapper = MqttProbe.connect(edge.mqttPort(), DEV + "/twin/update/delta", DEV + "/twin/update/result")) {
            NodeApi api = new NodeApi(cloud.httpPort());
            assertThat(api.put("lamp-1", "{\"node\":\"edge-a\",\"model\":\"led-light\","
                    + "\"twin\":{\"powerstatus\":{\"type\":\"string\",\"desired\":{\"value\":\"OFF\"}}}}")).isEqualTo(201);
            // the registration's own delta (OFF) arrives first, once the twin reached the edge
            assertThat(mapper.json(DEV + "/twin/update/delta").at("/delta/powerstatus").asText()).isEqualTo("OFF");

            assertThat(api.patchDesired("lamp-1", "{\"powerstatus\":\"ON\"}")).isEqualTo(200);
            JsonNode delta = mapper.json(DEV + "/twin/update/delta");
            assertThat(delta.at("/delta/powerstatus").asText()).isEqualTo("ON");
            assertThat(delta.at("/twin/powerstatus/expected/value").asText()).isEqualTo("ON");

            // the lamp switched on: the mapper reports it at the edge
            mapper.publish(DEV + "/twin/update", "{\"event_id\":\"lamp-on\",\"timestamp\":" + System.currentTimeMillis()
                    + ",\"twin\":{\"powerstatus\":{\"actual\":{\"value\":\"ON\"},\"metadata\":{\"type\":\"string\"}}}}");
            assertThat(mapper.json(DEV + "/twin/update/result").at("/twin/powerstatus/actual/value").asText()).isEqualTo("ON");

            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode doc = api.getJson("/api/v1/devices/lamp-1");
                assertThat(doc.at("/twin/powerstatus/reported/value").asText()).isEqualTo("ON");
                assertThat(doc.at("/twin/powerstatus/reported/origin").asText()).isEqualTo("edge-a");
                assertThat(doc.at("/twin/powerstatus/inSync").asBoolean()).isTrue();
            });
        }
    }
}
