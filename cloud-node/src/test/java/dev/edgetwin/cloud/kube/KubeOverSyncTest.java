package dev.edgetwin.cloud.kube;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.cloud.CloudConfig;
import dev.edgetwin.cloud.CloudNode;
import dev.edgetwin.cloud.NodeApi;
import dev.edgetwin.cloud.SyncedEdges;
import dev.edgetwin.edge.EdgeNode;
import dev.edgetwin.edge.testkit.MqttProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Kubernetes bridge end to end, with a real edge node connected to the cloud node over
 * {@code /sync/v1} (what the other bridge tests stand in for with {@link EdgeReplica}): a Device
 * applied in the API server becomes a twin seen at the edge's REST API; a mapper's report on the
 * edge's MQTT twin topic travels back over sync and lands in the Device's DeviceStatus.
 */
class KubeOverSyncTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String DEV = "$hw/events/device/default/lamp-1";

    @TempDir
    Path dir;

    @Test
    void aDeviceAppliedInKubernetesIsSeenAtTheEdgeAndItsReportReachesTheDeviceStatus() throws Exception {
        try (KubeMock kube = new KubeMock();
             CloudNode cloud = CloudNode.start(CloudConfig.local("cloud", dir.resolve("cloud"))
                     .withKube(BridgeHarness.fast().withKubeconfig(kube.kubeconfig(dir))));
             EdgeNode edge = EdgeNode.start(SyncedEdges.of(cloud, "edge-a", dir.resolve("edge-a")));
             MqttProbe mapper = MqttProbe.connect(edge.mqttPort(), DEV + "/twin/update/result")) {
            kube.apply("kubeedge/devicemodel-lamp.yaml", "default");
            kube.apply("kubeedge/device-lamp.yaml", "default");

            // see it at the edge: the twin with the Device's desired values and the model's types
            NodeApi edgeApi = new NodeApi(edge.httpPort());
            await().atMost(WAIT).until(() -> edgeApi.getJson("/api/v1/devices/lamp-1") != null);
            JsonNode atEdge = edgeApi.getJson("/api/v1/devices/lamp-1");
            assertThat(atEdge.get("node").asText()).isEqualTo("edge-a");
            assertThat(atEdge.get("model").asText()).isEqualTo("led-light");
            assertThat(atEdge.at("/twin/powerstatus/desired/value").asText()).isEqualTo("ON");
            assertThat(atEdge.at("/twin/brightness/desired/value").asInt()).isEqualTo(80);

            // the mapper reports at the edge, over the KubeEdge twin topic
            mapper.publish(DEV + "/twin/update", "{\"event_id\":\"r1\",\"timestamp\":" + System.currentTimeMillis()
                    + ",\"twin\":{\"brightness\":{\"actual\":{\"value\":\"75\"}},\"powerstatus\":{\"actual\":{\"value\":\"ON\"}}}}");
            assertThat(mapper.json(DEV + "/twin/update/result").at("/twin/brightness/actual/value").asText()).isEqualTo("75");

            // ... and the DeviceStatus in the API server says so
            await().atMost(WAIT).until(() -> kube.statusTwin("default", "lamp-1", "brightness", "reported") != null);
            Map<String, Object> brightness = kube.statusTwin("default", "lamp-1", "brightness", "reported");
            assertThat(brightness).containsEntry("value", "75");
            assertThat(kube.statusTwin("default", "lamp-1", "powerstatus", "reported")).containsEntry("value", "ON");
            assertThat(kube.statusTwin("default", "lamp-1", "powerstatus", "observedDesired")).containsEntry("value", "ON");
            assertThat(cloud.nodes().node("edge-a").orElseThrow().connected()).isTrue();
        }
    }
}
