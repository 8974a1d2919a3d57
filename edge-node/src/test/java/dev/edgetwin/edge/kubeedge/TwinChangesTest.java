package dev.edgetwin.edge.kubeedge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.edge.EdgeConfig;
import dev.edgetwin.edge.EdgeNode;
import dev.edgetwin.edge.testkit.CloudFeed;
import dev.edgetwin.edge.testkit.MqttProbe;
import dev.edgetwin.log.Result;
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
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Desired values changed anywhere (the cloud's replicated stream, a local write as the edge
 * REST API makes it) reach the mapper as a delta; devices joining and leaving the node are
 * announced on membership/updated.
 */
class TwinChangesTest {
    static final DeviceId LAMP = new DeviceId("home", "lamp-2");
    static final String DEV = "$hw/events/device/home/lamp-2";
    static final String UPDATED = "$hw/events/node/edge-d/membership/updated";

    @TempDir
    Path dir;
    EdgeNode edge;
    CloudFeed cloud;
    MqttProbe mapper;

    @BeforeEach
    void start() {
        edge = EdgeNode.start(EdgeConfig.local("edge-d", dir.resolve("edge")));
        cloud = new CloudFeed(dir.resolve("cloud"), "edge-d");
        mapper = MqttProbe.connect(edge.mqttPort(), DEV + "/twin/update/delta", "$hw/events/node/edge-d/#");
    }

    @AfterEach
    void stop() {
        mapper.close();
        edge.close();
        cloud.close();
    }

    void replicate() throws Exception {
        cloud.replicate(edge.core().store(), edge.core().writer());
    }

    @Test
    void cloudDesiredChangeReachesTheMapperAsADelta() throws Exception {
        cloud.execute(new TwinCommand.RegisterDevice(LAMP, "edge-d", "led-light", Map.of(),
                Map.of("powerstatus", new PropertyDef("string", false), "brightness", new PropertyDef("int", false)),
                Map.of("powerstatus", JsonValues.text("ON"))));
        replicate();
        assertThat(mapper.json(UPDATED).path("added_devices").get(0).path("id").asText()).isEqualTo("home/lamp-2");
        JsonNode first = mapper.json(DEV + "/twin/update/delta");
        assertThat(first.path("delta")).isEqualTo(JsonValues.parse("{\"powerstatus\":\"ON\"}"));

        cloud.execute(new TwinCommand.PatchDesired(LAMP, Map.of("brightness", JsonValues.parse("70"))));
        replicate();
        JsonNode delta = mapper.json(DEV + "/twin/update/delta");
        assertThat(delta.path("event_id").asText()).hasSize(36).isNotEqualTo(first.path("event_id").asText());
        assertThat(delta.path("delta")).isEqualTo(JsonValues.parse("{\"brightness\":\"70\",\"powerstatus\":\"ON\"}"));
        JsonNode brightness = delta.path("twin").path("brightness");
        assertThat(brightness.path("expected").path("value").asText()).isEqualTo("70");
        assertThat(brightness.path("metadata").path("type").asText()).isEqualTo("int");
        assertThat(brightness.path("optional").asBoolean()).isFalse();
    }

    @Test
    void localDesiredWriteReachesTheMapperAndMembershipFollowsRegistrationAndRemoval() throws Exception {
        TwinStore store = edge.core().store();
        // a device registered at the edge itself (as the edge REST API does): it joins at once
        submit(new TwinCommand.RegisterDevice(LAMP, "edge-d", "", Map.of("description", JsonValues.text("hall")), Map.of(), Map.of()));
        JsonNode joined = mapper.json(UPDATED);
        assertThat(joined.path("added_devices").get(0)).isEqualTo(JsonValues.parse(
                "{\"id\":\"home/lamp-2\",\"name\":\"lamp-2\",\"description\":\"hall\"}"));
        assertThat(joined.path("removed_devices").isNull()).isTrue();

        submit(new TwinCommand.PatchDesired(LAMP, Map.of("mode", JsonValues.text("eco"))));
        assertThat(mapper.json(DEV + "/twin/update/delta").path("delta").path("mode").asText()).isEqualTo("eco");

        // the mapper reports what is wanted: no delta any more
        submit(new TwinCommand.PatchReported(LAMP, Map.of("mode", JsonValues.text("eco"))));
        submit(new TwinCommand.PatchDesired(LAMP, Map.of("mode", JsonValues.text("eco"))));
        mapper.assertNothingOn(DEV + "/twin/update/delta", Duration.ofMillis(500));

        // removed at the edge (as the edge REST API does): it leaves
        submit(new TwinCommand.RemoveDevice(LAMP));
        JsonNode left = mapper.json(UPDATED);
        assertThat(left.path("added_devices").isNull()).isTrue();
        assertThat(left.path("removed_devices").get(0)).isEqualTo(JsonValues.parse(
                "{\"id\":\"home/lamp-2\",\"name\":\"lamp-2\",\"description\":\"hall\"}"));
        assertThat(store.get(LAMP)).isEmpty();
    }

    void submit(TwinCommand command) throws Exception {
        Result r = edge.core().writer().submit(dev.edgetwin.log.TwinStore.Request.of(command)).get(20, TimeUnit.SECONDS);
        assertThat(r).isInstanceOf(Result.Applied.class);
    }
}
