package dev.edgetwin.edge.kubeedge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgetwin.edge.EdgeConfig;
import dev.edgetwin.edge.EdgeNode;
import dev.edgetwin.edge.testkit.CloudFeed;
import dev.edgetwin.edge.testkit.MqttProbe;
import dev.edgetwin.edge.testkit.Vectors;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import dev.edgetwin.edge.mqtt.MqttSettings;
import dev.edgetwin.edge.testkit.Moquette;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replays the story of KubeEdge's example messages (kubeedge-vectors/README.md) through a real
 * edge: a HiveMQ client plays the mapper and the apps, the device arrives and leaves through a
 * replicated {@code cloud/edge-a} stream, and every reply is compared with its vector field by
 * field ({@link Vectors} names the few variable fields).
 */
class KubeEdgeVectorReplayTest {
    static final String DEV = "$hw/events/device/default/lamp-1";
    static final String NODE = "$hw/events/node/edge-a";
    static final DeviceId LAMP = new DeviceId("default", "lamp-1");

    @TempDir
    Path dir;
    EdgeNode edge;
    CloudFeed cloud;
    MqttProbe mqtt;
    final Vectors vectors = new Vectors();

    Moquette moquette;

    /** The edge with its embedded broker, or as a client of Moquette (external-broker mode); the probe talks to that broker. */
    void start(String mode) {
        EdgeConfig config = EdgeConfig.local("edge-a", dir.resolve("edge"));
        if (mode.equals("moquette")) {
            moquette = Moquette.start();
            config = config.withMqtt(config.mqtt().withExternal(MqttSettings.parseExternal(moquette.url()), null, null));
        }
        edge = EdgeNode.start(config);
        await().atMost(Duration.ofSeconds(30)).until(() -> edge.mqtt().connected());
        cloud = new CloudFeed(dir.resolve("cloud"), "edge-a");
        mqtt = MqttProbe.connect(moquette == null ? edge.mqttPort() : moquette.port(), "$hw/#");
    }

    @AfterEach
    void stop() {
        if (mqtt != null) mqtt.close();
        if (edge != null) edge.close();
        if (cloud != null) cloud.close();
        if (moquette != null) moquette.close();
    }

    @ParameterizedTest(name = "{0} broker")
    @ValueSource(strings = {"embedded", "moquette"})
    void replaysEveryVector(String mode) throws Exception {
        start(mode);
        // 1. the device is added through the cloud
        cloud.execute(new TwinCommand.RegisterDevice(LAMP, "edge-a", "led-light",
                Map.of("description", JsonValues.text("living-room-lamp")),
                Map.of("powerstatus", new PropertyDef("string", false)), Map.of()));
        cloud.replicate(edge.core().store(), edge.core().writer());
        vectors.assertMatches("membership-updated.json", mqtt.json(NODE + "/membership/updated"));

        // setup: the mapper reports OFF (no delta: nothing is expected yet)
        mqtt.publish(DEV + "/twin/update", "{\"event_id\":\"evt-setup\",\"timestamp\":1732299980000,"
                + "\"twin\":{\"powerstatus\":{\"actual\":{\"value\":\"OFF\"},\"metadata\":{\"type\":\"string\"}}}}");
        assertThat(mqtt.json(DEV + "/twin/update/result").path("event_id").asText()).isEqualTo("evt-setup");
        mqtt.json(DEV + "/twin/update/document");

        // 2. an app sets expected ON while actual is OFF: a delta
        mqtt.publish(DEV + "/twin/update", vectors.text("twin-update-request-expected.json"));
        JsonNode result = mqtt.json(DEV + "/twin/update/result");
        assertThat(result.path("event_id").asText()).isEqualTo("evt-0000");
        assertThat(result.path("twin").path("powerstatus").path("expected").path("value").asText()).isEqualTo("ON");
        mqtt.json(DEV + "/twin/update/document");
        vectors.assertMatches("twin-delta.json", mqtt.json(DEV + "/twin/update/delta"));

        // 3. the mapper reports ON: result and document, no delta (expected equals actual)
        mqtt.publish(DEV + "/twin/update", vectors.text("twin-update-request.json"));
        vectors.assertMatches("twin-update-result-ok.json", mqtt.json(DEV + "/twin/update/result"));
        vectors.assertMatches("twin-document.json", mqtt.json(DEV + "/twin/update/document"));

        // 4. a client gets the twin; replies of one device come in order, so a delta would be here by now
        mqtt.publish(DEV + "/twin/get", vectors.text("twin-get-request.json"));
        vectors.assertMatches("twin-get-result.json", mqtt.json(DEV + "/twin/get/result"));
        assertThat(mqtt.topics()).doesNotContain(DEV + "/twin/update/delta");

        ObjectNode getLamp9 = vectors.load("twin-get-request.json").put("event_id", "evt-0003");
        mqtt.publish("$hw/events/device/default/lamp-9/twin/get", getLamp9.toString());
        vectors.assertMatches("twin-get-result-notfound.json", mqtt.json("$hw/events/device/default/lamp-9/twin/get/result"));

        // 5. errors, then adding and deleting an int property
        mqtt.publish(DEV + "/twin/update", vectors.text("twin-update-request-bad-type.json"));
        vectors.assertMatches("twin-update-result-error.json", mqtt.json(DEV + "/twin/update/result"));

        mqtt.publish(DEV + "/twin/update", vectors.text("twin-update-request-add-int.json"));
        vectors.assertMatches("twin-update-result-add.json", mqtt.json(DEV + "/twin/update/result"));
        JsonNode addDoc = mqtt.json(DEV + "/twin/update/document");
        assertThat(addDoc.path("twin").path("brightness").path("last").isNull()).isTrue();
        assertThat(addDoc.path("twin").path("brightness").path("current").path("expected").path("value").asText()).isEqualTo("80");
        vectors.assertMatches("twin-delta-after-add.json", mqtt.json(DEV + "/twin/update/delta"));

        mqtt.publish(DEV + "/twin/update", vectors.text("twin-update-request-delete.json"));
        vectors.assertMatches("twin-update-result-delete.json", mqtt.json(DEV + "/twin/update/result"));
        JsonNode deleteDoc = mqtt.json(DEV + "/twin/update/document");
        assertThat(deleteDoc.path("event_id").asText()).isEqualTo("evt-0006");
        assertThat(deleteDoc.path("twin").path("brightness").path("last").path("actual").path("value").asText()).isEqualTo("0");
        assertThat(deleteDoc.path("twin").path("brightness").path("current").isNull()).isTrue();

        mqtt.publish(DEV + "/twin/update", vectors.text("twin-update-request-no-twin.json"));
        vectors.assertMatches("twin-update-result-badbody.json", mqtt.json("$hw/events/device//twin/update/result"));
        // EdgeTwin also answers on the device's own topic (KubeEdge does not)
        vectors.assertMatches("twin-update-result-badbody.json", mqtt.json(DEV + "/twin/update/result"));

        ObjectNode updateLamp9 = vectors.load("twin-update-request.json").put("event_id", "evt-0008");
        mqtt.publish("$hw/events/device/default/lamp-9/twin/update", updateLamp9.toString());
        vectors.assertMatches("twin-update-result-notfound.json",
                mqtt.json("$hw/events/device/default/lamp-9/twin/update/result"));

        // state update, membership
        mqtt.publish(DEV + "/state/update", vectors.text("state-update-request.json"));
        vectors.assertMatches("state-update-result.json", mqtt.json(DEV + "/state/update/result"));

        mqtt.publish(NODE + "/membership/get", vectors.text("membership-get-request.json"));
        vectors.assertMatches("membership-get-result.json", mqtt.json(NODE + "/membership/get/result"));

        cloud.execute(new TwinCommand.RemoveDevice(LAMP));
        cloud.replicate(edge.core().store(), edge.core().writer());
        vectors.assertMatches("membership-updated-removed.json", mqtt.json(NODE + "/membership/updated"));

        // every example message of the vector folder took part
        assertThat(vectors.used()).isEqualTo(vectorFiles());
    }

    /** The test resources are a copy of shared/kubeedge-vectors; where that folder is at hand, they must be equal. */
    @Test
    void vectorsAreTheSharedOnes() throws IOException {
        Path shared = null;
        for (Path p = Path.of("").toAbsolutePath(); p != null && shared == null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("shared/kubeedge-vectors"))) shared = p.resolve("shared/kubeedge-vectors");
        }
        Assumptions.assumeTrue(shared != null, "shared/kubeedge-vectors is not beside this checkout");
        for (String name : vectorFiles()) {
            assertThat(Files.readString(Path.of("src/test/resources/kubeedge-vectors", name)))
                    .as(name).isEqualTo(Files.readString(shared.resolve(name)));
        }
        try (Stream<Path> files = Files.list(shared)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).toList())
                    .containsExactlyInAnyOrderElementsOf(vectorFiles());
        }
    }

    static Set<String> vectorFiles() throws IOException {
        Path folder = Path.of("src/test/resources/kubeedge-vectors");
        try (Stream<Path> files = Files.list(folder)) {
            Set<String> out = new TreeSet<>();
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).forEach(out::add);
            return out;
        }
    }
}
