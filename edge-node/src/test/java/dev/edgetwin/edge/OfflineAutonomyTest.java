package dev.edgetwin.edge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.edge.testkit.MqttProbe;
import dev.edgetwin.log.Result;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.TwinCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A brand-new edge whose cloud is unreachable from its first start: a device registered
 * locally (as through the edge REST API) is served on the twin topics, and everything is
 * still there after a restart, still without the cloud.
 */
class OfflineAutonomyTest {
    static final DeviceId PUMP = new DeviceId("farm", "pump-1");
    static final String DEV = "$hw/events/device/farm/pump-1";

    @TempDir
    Path dir;

    EdgeConfig config() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();     // closed again: nothing listens there
        }
        return EdgeConfig.local("edge-f", dir).withCloud("ws://127.0.0.1:" + deadPort + "/sync/v1", "token");
    }

    @Test
    void worksWithoutTheCloudFromTheFirstStartAndAfterARestart() throws Exception {
        EdgeConfig config = config();
        try (EdgeNode edge = EdgeNode.start(config);
             MqttProbe mapper = MqttProbe.connect(edge.mqttPort(), "$hw/#")) {
            Result r = edge.core().writer().submit(TwinStore.Request.of(new TwinCommand.RegisterDevice(PUMP, "edge-f", "pump",
                    Map.of(), Map.of(), Map.of("speed", JsonValues.parse("3"))))).get(20, TimeUnit.SECONDS);
            assertThat(r).isInstanceOf(Result.Applied.class);
            assertThat(mapper.json("$hw/events/node/edge-f/membership/updated").path("added_devices").get(0).path("id").asText())
                    .isEqualTo("farm/pump-1");
            assertThat(mapper.json(DEV + "/twin/update/delta").path("delta").path("speed").asText()).isEqualTo("3");
            mapper.publish(DEV + "/twin/update", "{\"event_id\":\"e1\",\"timestamp\":1,\"twin\":{\"speed\":{\"actual\":{\"value\":\"3\"}}}}");
            assertThat(mapper.json(DEV + "/twin/update/result").path("twin").path("speed").path("actual").path("value").asText())
                    .isEqualTo("3");
        }
        try (EdgeNode edge = EdgeNode.start(config);
             MqttProbe app = MqttProbe.connect(edge.mqttPort(), "$hw/#")) {
            app.publish(DEV + "/twin/get", "{\"event_id\":\"g\"}");
            JsonNode speed = app.json(DEV + "/twin/get/result").path("twin").path("speed");
            assertThat(speed.path("expected").path("value").asText()).isEqualTo("3");
            assertThat(speed.path("actual").path("value").asText()).isEqualTo("3");
            assertThat(speed.path("metadata").path("type").asText()).isEqualTo("int");
            app.publish("$hw/events/node/edge-f/membership/get", "{}");
            JsonNode devices = app.json("$hw/events/node/edge-f/membership/get/result").path("devices");
            assertThat(devices).hasSize(1);
            assertThat(devices.get(0).path("id").asText()).isEqualTo("farm/pump-1");
        }
    }
}
