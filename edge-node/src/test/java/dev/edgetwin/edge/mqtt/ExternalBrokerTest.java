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

    @Test
    void whatTheEdgePublishesWhileTheBrokerIsDownWaitsWithinTheByteLimitAndGoesOutOnReconnect() throws Exception {
        moquette = Moquette.start();
        Properties p = new Properties();
        p.setProperty("external.reconnectMaxMillis", "1000");
        p.setProperty("mqtt.maxQueuedBytes", "1000");
        p.setProperty("twin.retain", "true");   // so that a subscriber after the reconnect sees what went out
        EdgeConfig config = EdgeConfig.local("edge-x", dir.resolve("edge"));
        edge = EdgeNode.start(config.withMqtt(config.mqtt().withProperties(p, "test")
                .withExternal(MqttSettings.parseExternal(moquette.url()), null, null)));
        await().atMost(Duration.ofSeconds(30)).until(() -> edge.mqtt().connected());
        int devices = 10;
        // what the registrations publish (membership/updated) must be out before the broker goes: it would take outbox room
        try (MqttProbe membership = MqttProbe.connect(moquette.port(), "$hw/events/node/edge-x/membership/updated")) {
            for (int i = 0; i < devices; i++) {
                Result r = edge.core().writer().submit(TwinStore.Request.of(new TwinCommand.RegisterDevice(new DeviceId("default", "lamp-" + i),
                        "edge-x", "", Map.of(), Map.of("powerstatus", new PropertyDef("string", false)), Map.of()))).get(20, TimeUnit.SECONDS);
                assertThat(r).isInstanceOf(Result.Applied.class);
            }
            StringBuilder announced = new StringBuilder();
            for (int i = 0; i < devices; i++) {
                while (announced.indexOf("\"lamp-" + i + "\"") < 0) announced.append(membership.text("$hw/events/node/edge-x/membership/updated"));
            }
        }
        assertThat(metric(edge, "edgetwin_mqtt_queued_bytes")).isZero();
        assertThat(metric(edge, "edgetwin_mqtt_dropped_total")).isZero();
        moquette.stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> !edge.mqtt().connected());

        // a desired value set at the edge while the broker is away: a delta per lamp (about 250 bytes each) for the outbox
        for (int i = 0; i < devices; i++) {
            Result r = edge.core().writer().submit(TwinStore.Request.of(new TwinCommand.PatchDesired(new DeviceId("default", "lamp-" + i),
                    Map.of("powerstatus", JsonValues.text("ON"))))).get(20, TimeUnit.SECONDS);
            assertThat(r).isInstanceOf(Result.Applied.class);
        }
        long[] dropped = {-1};
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
            long before = dropped[0];
            dropped[0] = (long) metric(edge, "edgetwin_mqtt_dropped_total");
            return dropped[0] > 0 && dropped[0] == before;   // the deltas have all been published (or dropped)
        });
        double waiting = metric(edge, "edgetwin_mqtt_queued_bytes");
        assertThat(waiting).isPositive().isLessThanOrEqualTo(1000);
        int kept = (int) (devices - dropped[0]);
        assertThat(kept).as("some deltas fit in 1,000 bytes, not all").isBetween(1, devices - 1);

        moquette.restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> edge.mqtt().connected());
        await().atMost(Duration.ofSeconds(20)).until(() -> metric(edge, "edgetwin_mqtt_queued_bytes") == 0);
        try (MqttProbe mapper = MqttProbe.connect(moquette.port(), "$hw/events/device/default/+/twin/update/delta")) {
            for (int i = 0; i < kept; i++) {
                JsonNode delta = mapper.json("$hw/events/device/default/lamp-" + i + "/twin/update/delta");
                assertThat(delta.path("delta").path("powerstatus").asText()).as("lamp-" + i + ", queued first: sent").isEqualTo("ON");
            }
            mapper.assertNothingOn("$hw/events/device/default/lamp-" + kept + "/twin/update/delta", Duration.ofMillis(300));
            assertThat(mapper.topics()).as("the deltas past the limit were dropped").isEmpty();
        }
    }

    @Test
    void overTlsTheEdgeConnectsOnlyTrustingTheGivenCaAndWorksAsOverTcp() throws Exception {
        Path cert = Path.of(getClass().getResource("/tls/cert.pem").toURI());
        moquette = Moquette.startTls(cert, Path.of(getClass().getResource("/tls/key.pem").toURI()));
        EdgeConfig config = EdgeConfig.local("edge-x", dir.resolve("edge"));
        Properties fastRetry = new Properties();
        fastRetry.setProperty("external.reconnectMaxMillis", "500");
        MqttSettings tls = config.mqtt().withProperties(fastRetry, "test").withExternal(MqttSettings.parseExternal(moquette.tlsUrl()), null, null);
        assertThat(tls.externalTls()).isTrue();

        // the JVM's trust store does not know the test certificate: the edge keeps trying and never connects
        edge = EdgeNode.start(config.withMqtt(tls));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> !edge.mqtt().connected());
        edge.close();
        edge = null;

        edge = EdgeNode.start(config.withMqtt(tls.withExternalCa(cert)));
        await().atMost(Duration.ofSeconds(30)).until(() -> edge.mqtt().connected());
        register(edge);
        try (MqttProbe mapper = MqttProbe.connect(moquette.port(), DEV + "/twin/update/+")) {   // the mapper on the broker's plain port
            mapper.publish(DEV + "/twin/update", report("over-tls", "ON"));
            assertThat(mapper.json(DEV + "/twin/update/result").path("event_id").asText()).isEqualTo("over-tls");
        }
        assertThat(edge.core().store().get(LAMP).orElseThrow().reported("powerstatus")).contains(JsonValues.text("ON"));
    }

    /** A sample's value in the edge's /metrics scrape. */
    static double metric(EdgeNode edge, String name) {
        for (String line : edge.core().metrics().scrape().split("\n")) {
            if (line.startsWith(name + " ")) return Double.parseDouble(line.substring(name.length() + 1).trim());
        }
        throw new AssertionError("no " + name + " in the scrape");
    }
}
