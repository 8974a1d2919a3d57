package dev.edgetwin.edge.kubeedge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.edge.EdgeConfig;
import dev.edgetwin.edge.EdgeNode;
import dev.edgetwin.edge.testkit.MqttProbe;
import dev.edgetwin.log.Result;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;
import dev.edgetwin.log.TwinStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A twin update whose write fails (here: the journal is closed under the running edge) gets
 * KubeEdge's 500 with the write's own reason on its result topic — the same message whether the
 * update wrote one half or both — and the connection stays usable.
 */
class TwinWriteFailureTest {
    static final DeviceId LAMP = new DeviceId("home", "lamp-9");
    static final String DEV = "$hw/events/device/home/lamp-9";

    @TempDir
    Path dir;
    EdgeNode edge;
    MqttProbe mapper;

    @BeforeEach
    void start() throws Exception {
        edge = EdgeNode.start(EdgeConfig.local("edge-w", dir.resolve("edge")));
        Result r = edge.core().writer().submit(TwinStore.Request.of(new TwinCommand.RegisterDevice(LAMP, "edge-w", "led-light",
                Map.of(), Map.of("powerstatus", new PropertyDef("string", false)), Map.of()))).get(10, TimeUnit.SECONDS);
        assertThat(r).isInstanceOf(Result.Applied.class);
        mapper = MqttProbe.connect(edge.mqttPort(), DEV + "/twin/update/result");
    }

    @AfterEach
    void stop() {
        if (edge != null) {
            mapper.close();
            edge.close();
        }
    }

    @Test
    void aFailedWriteIsAnsweredWith500AndTheWritesOwnReason() {
        String ok = "{\"event_id\":\"e-0\",\"timestamp\":1,\"twin\":{\"powerstatus\":{\"actual\":{\"value\":\"ON\"}}}}";
        mapper.publish(DEV + "/twin/update", ok);
        assertThat(mapper.json(DEV + "/twin/update/result").path("twin").path("powerstatus").path("actual").path("value").asText())
                .isEqualTo("ON");

        edge.core().store().journal().close();   // every write fails from here on
        mapper.publish(DEV + "/twin/update", "{\"event_id\":\"e-1\",\"timestamp\":1,\"twin\":{\"powerstatus\":{\"actual\":{\"value\":\"OFF\"}}}}");
        JsonNode reportedOnly = mapper.json(DEV + "/twin/update/result");
        mapper.publish(DEV + "/twin/update", "{\"event_id\":\"e-2\",\"timestamp\":1,\"twin\":{\"powerstatus\":"
                + "{\"expected\":{\"value\":\"OFF\"},\"actual\":{\"value\":\"OFF\"}}}}");
        JsonNode bothHalves = mapper.json(DEV + "/twin/update/result");

        assertThat(reportedOnly.path("event_id").asText()).isEqualTo("e-1");
        assertThat(bothHalves.path("event_id").asText()).isEqualTo("e-2");
        for (JsonNode r : new JsonNode[]{reportedOnly, bothHalves}) {
            assertThat(r.path("code").asInt()).isEqualTo(500);
            assertThat(r.path("error").asText()).isEqualTo(KubeEdgeError.WRITE_FAILED);
            assertThat(r.path("reason").asText()).startsWith("failed to write the twin: ").doesNotContain("CompletionException");
            assertThat(r.has("twin")).isFalse();
        }
        assertThat(bothHalves.path("reason")).as("one write or two: the same reason").isEqualTo(reportedOnly.path("reason"));
        assertThat(edge.core().store().get(LAMP).orElseThrow().reported("powerstatus")).contains(JsonValues.text("ON"));

        // stopping the failed node still releases its projection; what was written before stays
        mapper.close();
        edge.close();
        edge = null;
        try (TwinStore reopened = TwinStore.open(dir.resolve("edge"), "edge-w", dev.edgetwin.log.StoreOptions.edge(),
                dev.edgetwin.log.model.HybridClock.system())) {
            assertThat(reopened.get(LAMP).orElseThrow().reported("powerstatus")).contains(JsonValues.text("ON"));
        }
    }
}
