package dev.edgetwin.edge.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.edge.EdgeConfig;
import dev.edgetwin.edge.EdgeNode;
import dev.edgetwin.edge.testkit.MqttProbe;
import dev.edgetwin.edge.testkit.Moquette;
import dev.edgetwin.log.Result;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * External-broker mode against Moquette, an independent broker: the edge starts while the
 * broker is down, connects when it appears, reconnects after a broker restart, and handles
 * requests that were published while the edge itself was down (its persistent session).
 */
class ExternalBrokerTest {
    static final DeviceId LAMP = new DeviceId("default", "lamp-x");
    static final String DEV = "$hw/events/device/default/lamp-x";

    @TempDir
    Path dir;
    Moquette moquette;
    EdgeNode edge;

    @AfterEach
    void stop() {
        if (edge != null) edge.close();
        if (moquette != null) moquette.close();
    }

    EdgeNode startEdge() {
        EdgeConfig config = EdgeConfig.local("edge-x", dir.resolve("edge"));
        Properties fastRetry = new Properties();
        fastRetry.setProperty("external.reconnectMaxMillis", "1000");
        MqttSettings mqtt = config.mqtt().withProperties(fastRetry, "test").withExternal(MqttSettings.parseExternal(moquette.url()), null, null);
        return EdgeNode.start(config.withMqtt(mqtt));
    }

    static void register(EdgeNode edge) throws Exception {
        Result r = edge.core().writer().submit(TwinStore.Request.of(new TwinCommand.RegisterDevice(LAMP, "edge-x", "", Map.of(),
                Map.of("powerstatus", new PropertyDef("string", false)), Map.of()))).get(20, TimeUnit.SECONDS);
        assertThat(r).isInstanceOf(Result.Applied.class);
    }

    static String report(String eventId, String value) {
        return "{\"event_id\":\"" + eventId + "\",\"timestamp\":1,\"twin\":{\"powerstatus\":{\"actual\":{\"value\":\"" + value + "\"}}}}";
    }

    @Test
    void startsWithoutTheBrokerThenConnectsAndSurvivesABrokerRestart() throws Exception {
        moquette = Moquette.start();
        moquette.stop();
        edge = startEdge();
        assertThat(edge.mqtt().connected()).isFalse();
        register(edge);

        moquette.restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> edge.mqtt().connected());
        try (MqttProbe mapper = MqttProbe.connect(moquette.port(), DEV + "/twin/update/+")) {
            mapper.publish(DEV + "/twin/update", report("evt-1", "ON"));
            JsonNode result = mapper.json(DEV + "/twin/update/result");
            assertThat(result.path("event_id").asText()).isEqualTo("evt-1");
            assertThat(result.path("twin").path("powerstatus").path("actual").path("value").asText()).isEqualTo("ON");
        }

        moquette.stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> !edge.mqtt().connected());
        moquette.restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> edge.mqtt().connected());
        try (MqttProbe mapper = MqttProbe.connect(moquette.port(), DEV + "/twin/update/+")) {
            mapper.publish(DEV + "/twin/update", report("evt-2", "OFF"));
            assertThat(mapper.json(DEV + "/twin/update/result").path("event_id").asText()).isEqualTo("evt-2");
        }
        assertThat(edge.core().store().get(LAMP).orElseThrow().reported("powerstatus")).contains(JsonValues.text("OFF"));
    }

    @Test
    void requestsPublishedWhileTheEdgeIsDownAreHandledWhenItReturns() throws Exception {
        moquette = Moquette.start();
        edge = startEdge();
        await().atMost(Duration.ofSeconds(30)).until(() -> edge.mqtt().connected());
        register(edge);
        edge.close();
        edge = null;

        try (MqttProbe mapper = MqttProbe.connect(moquette.port(), DEV + "/twin/update/result")) {
            // the broker holds these for the edge's persistent session
            mapper.publish(DEV + "/twin/update", report("while-down-1", "ON"));
            mapper.publish(DEV + "/twin/update", report("while-down-2", "OFF"));
            edge = startEdge();
            assertThat(mapper.json(DEV + "/twin/update/result").path("event_id").asText()).isEqualTo("while-down-1");
            assertThat(mapper.json(DEV + "/twin/update/result").path("event_id").asText()).isEqualTo("while-down-2");
        }
        assertThat(edge.core().store().get(LAMP).orElseThrow().reported("powerstatus")).contains(JsonValues.text("OFF"));
    }
}
