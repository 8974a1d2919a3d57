package dev.edgetwin.edge.kubeedge;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import dev.edgetwin.edge.EdgeConfig;
import dev.edgetwin.edge.EdgeNode;
import dev.edgetwin.edge.mqtt.MqttSettings;
import dev.edgetwin.edge.testkit.MqttProbe;
import dev.edgetwin.edge.testkit.RawMqtt;
import dev.edgetwin.log.Result;
import dev.edgetwin.log.Role;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input on the twin topics: each gets KubeEdge's code and reason plus EdgeTwin's stable
 * error code on the result topic, writes nothing to the journal, and leaves the connection
 * (and the node) working. Limits here are set low through a settings file.
 */
class TwinBadInputTest {
    static final String DEV = "$hw/events/device/default/sensor-1";
    static final String RESULT = DEV + "/twin/update/result";
    static final String NO_ID = "$hw/events/device//twin/update/result";

    @TempDir
    static Path dir;
    static EdgeNode edge;
    static MqttProbe client;

    @BeforeAll
    static void start() throws Exception {
        Path settings = dir.resolve("mqtt.properties");
        Properties p = new Properties();
        p.setProperty("twin.maxPayloadBytes", "2048");
        p.setProperty("twin.maxProperties", "6");
        p.setProperty("mqtt.maxMessageBytes", "65536");
        try (var w = java.nio.file.Files.newBufferedWriter(settings)) {
            p.store(w, null);
        }
        EdgeConfig config = EdgeConfig.local("edge-e", dir.resolve("edge"));
        edge = EdgeNode.start(config.withMqtt(config.mqtt().withFile(settings)));
        Result r = edge.core().writer().submit(TwinStore.Request.of(new TwinCommand.RegisterDevice(
                new DeviceId("default", "sensor-1"), "edge-e", "", Map.of(),
                Map.of("powerstatus", new PropertyDef("string", false), "level", new PropertyDef("int", false),
                        "ratio", new PropertyDef("float", false), "flag", new PropertyDef("boolean", false)),
                Map.of()))).get(20, TimeUnit.SECONDS);
        assertThat(r).isInstanceOf(Result.Applied.class);
        client = MqttProbe.connect(edge.mqttPort(), "$hw/#");
    }

    @AfterAll
    static void stop() {
        client.close();
        edge.close();
    }

    static long journalled() {
        return edge.core().store().journal().nextSeq(Role.edgeStream("edge-e"));
    }

    static String update(String twin) {
        return "{\"event_id\":\"evt-bad\",\"timestamp\":1,\"twin\":" + twin + "}";
    }

    static String key(int length) {
        return "k".repeat(length);
    }

    static Stream<Arguments> badUpdates() {
        String kubeKey = "The key of twin must only include upper or lowercase letters, number, english, and special letter"
                + " - _ . , : / @ # and the length of key should be less than 128 bytes";
        String kubeValue = kubeKey.replace("key", "value").replace("128", "512");
        String unmarshal = "Unmarshal update request body failed, please check the request";
        return Stream.of(
                // body-level: empty-id topic, empty event_id
                Arguments.of("not json", "{oops", true, 400, "mqtt:payload.invalid", unmarshal),
                Arguments.of("empty", "", true, 400, "mqtt:payload.invalid", unmarshal),
                Arguments.of("array", "[1,2]", true, 400, "mqtt:payload.invalid", unmarshal),
                Arguments.of("string timestamp", "{\"timestamp\":\"now\",\"twin\":{}}", true, 400, "mqtt:payload.invalid", unmarshal),
                Arguments.of("property not an object", update("{\"level\":\"5\"}"), true, 400, "mqtt:payload.invalid", unmarshal),
                Arguments.of("no twin", "{\"event_id\":\"x\"}", true, 400, "mqtt:twin.missing", "Update twin error, key:twin does not exist"),
                Arguments.of("bad key", update("{\"test^\":{\"actual\":{\"value\":\"1\"}}}"), true, 400, "mqtt:key.invalid", kubeKey),
                Arguments.of("long key", update("{\"" + key(129) + "\":{\"actual\":{\"value\":\"1\"}}}"), true, 400, "mqtt:key.invalid", kubeKey),
                Arguments.of("bad value", update("{\"level\":{\"actual\":{\"value\":\"1~\"}}}"), true, 400, "mqtt:value.invalid", kubeValue),
                Arguments.of("long value", update("{\"powerstatus\":{\"actual\":{\"value\":\"" + "v".repeat(513) + "\"}}}"), true, 400,
                        "mqtt:value.invalid", kubeValue),
                Arguments.of("too many properties", update("{\"a\":null,\"b\":null,\"c\":null,\"d\":null,\"e\":null,\"f\":null,\"g\":null}"),
                        true, 400, "mqtt:limit.properties", "the update names 7 properties; the limit is 6"),
                Arguments.of("payload too large", update("{\"powerstatus\":{\"actual\":{\"value\":\"" + "v".repeat(2100) + "\"}}}"), true, 400,
                        "mqtt:payload.toolarge", null),
                // semantic: the device's topic, event_id echoed
                Arguments.of("int", update("{\"level\":{\"actual\":{\"value\":\"high\"}}}"), false, 400, "mqtt:type.mismatch",
                        "the value is not int or integer"),
                Arguments.of("empty int", update("{\"level\":{\"actual\":{\"value\":\"\"}}}"), false, 400, "mqtt:type.mismatch",
                        "the value is not int or integer"),
                Arguments.of("float", update("{\"ratio\":{\"actual\":{\"value\":\"test\"}}}"), false, 400, "mqtt:type.mismatch",
                        "the value is not float"),
                Arguments.of("boolean", update("{\"flag\":{\"actual\":{\"value\":\"yes\"}}}"), false, 400, "mqtt:type.mismatch",
                        "the bool value must be true or false"),
                Arguments.of("unknown type", update("{\"extra\":{\"actual\":{\"value\":\"1\"},\"metadata\":{\"type\":\"double\"}}}"), false, 400,
                        "mqtt:type.invalid", "the value type is not allowed"),
                Arguments.of("new int", update("{\"extra\":{\"actual\":{\"value\":\"abc\"},\"metadata\":{\"type\":\"int\"}}}"), false, 400,
                        "mqtt:type.mismatch", "the value is not int or integer"),
                Arguments.of("expected without value", update("{\"powerstatus\":{\"expected\":{}}}"), false, 400,
                        "mqtt:value.missing", "the expected of powerstatus has no value"),
                Arguments.of("null value", update("{\"powerstatus\":{\"actual\":{\"value\":null}}}"), false, 400,
                        "mqtt:value.missing", "the actual of powerstatus has no value"),
                Arguments.of("delete unknown", update("{\"ghost\":null}"), false, 400, "mqtt:property.unknown",
                        "cannot delete property ghost: the device has no such property"),
                Arguments.of("one bad among good", update("{\"powerstatus\":{\"actual\":{\"value\":\"ON\"}},\"level\":{\"actual\":{\"value\":\"x\"}}}"),
                        false, 400, "mqtt:type.mismatch", "the value is not int or integer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badUpdates")
    void badUpdateIsAnsweredAndChangesNothing(String what, String payload, boolean bodyLevel, int code, String error, String reason) {
        long before = journalled();
        client.publish(DEV + "/twin/update", payload);
        JsonNode r = client.json(RESULT);
        if (bodyLevel) {
            assertThat(client.json(NO_ID)).isEqualTo(r);
            assertThat(r.path("event_id").asText()).isEmpty();
        } else {
            assertThat(r.path("event_id").asText()).isEqualTo("evt-bad");
        }
        assertThat(r.path("code").asInt()).isEqualTo(code);
        assertThat(r.path("error").asText()).isEqualTo(error);
        if (reason != null) assertThat(r.path("reason").asText()).isEqualTo(reason);
        assertThat(r.has("twin")).isFalse();
        assertThat(journalled()).as("nothing written").isEqualTo(before);
        // the connection still works
        client.publish(DEV + "/twin/update", update("{\"powerstatus\":{\"actual\":{\"value\":\"ON\"}}}"));
        assertThat(client.json(RESULT).has("code")).isFalse();
        client.json(DEV + "/twin/update/document");
    }

    @Test
    void nullForADeclaredPropertyIsIgnoredAndValidTypedValuesAreStoredTyped() throws Exception {
        client.publish(DEV + "/twin/update", update("{\"powerstatus\":null,\"level\":{\"actual\":{\"value\":\"-42\"}},"
                + "\"ratio\":{\"actual\":{\"value\":\"1e5\"}},\"flag\":{\"actual\":{\"value\":\"true\"}}}"));
        JsonNode r = client.json(RESULT);
        assertThat(r.path("twin").has("powerstatus")).as("not optional: the null is ignored").isFalse();
        assertThat(r.path("twin").path("level").path("actual").path("value").asText()).isEqualTo("-42");
        assertThat(r.path("twin").path("ratio").path("metadata").path("type").asText()).isEqualTo("float");
        client.json(DEV + "/twin/update/document");
        var twin = edge.core().store().get(new DeviceId("default", "sensor-1")).orElseThrow();
        assertThat(twin.reported("level").orElseThrow()).isEqualTo(JsonValues.parse("-42"));
        assertThat(twin.reported("ratio").orElseThrow()).isEqualTo(JsonValues.parse("100000"));
        assertThat(twin.reported("flag").orElseThrow()).isEqualTo(JsonValues.parse("true"));
        assertThat(twin.reported("powerstatus")).isPresent();
    }

    @Test
    void unknownAndInvalidDevices() {
        client.publish("$hw/events/device/default/nobody/twin/update", update("{}"));
        JsonNode r = client.json("$hw/events/device/default/nobody/twin/update/result");
        assertThat(r.path("code").asInt()).isEqualTo(404);
        assertThat(r.path("error").asText()).isEqualTo("twin:device.notfound");
        client.publish("$hw/events/device/Default/UPPER/twin/update", update("{}"));
        JsonNode invalid = client.json("$hw/events/device/Default/UPPER/twin/update/result");
        assertThat(invalid.path("code").asInt()).isEqualTo(400);
        assertThat(invalid.path("error").asText()).isEqualTo("twin:id.invalid");
    }

    @Test
    void badGetAndMembershipBodiesGet400AndBadStatesNoReply() {
        long before = journalled();
        client.publish(DEV + "/twin/get", "{not json");
        JsonNode get = client.json(DEV + "/twin/get/result");
        assertThat(get.path("code").asInt()).isEqualTo(400);
        assertThat(get.path("event_id").asText()).isEmpty();
        assertThat(get.path("reason").asText()).startsWith("Unmarshal twin info {not json failed , err: ");

        client.publish("$hw/events/node/any/membership/get", "[]");
        JsonNode members = client.json("$hw/events/node/edge-e/membership/get/result");
        assertThat(members.path("code").asInt()).isEqualTo(400);
        assertThat(members.path("reason").asText()).startsWith("Unmarshal get membership info [] failed , err: ");

        client.publish(DEV + "/state/update", "{\"state\":\"sleepy\"}");
        client.publish(DEV + "/state/update", "garbage");
        client.publish("$hw/events/device/default/nobody/state/update", "{\"state\":\"online\"}");
        // a valid one after them: its result is the only one
        client.publish(DEV + "/state/update", "{\"event_id\":\"s\",\"timestamp\":1,\"State\":\"Online\"}");
        JsonNode state = client.json(DEV + "/state/update/result");
        assertThat(state.path("device").path("state").asText()).as("stored as sent").isEqualTo("Online");
        assertThat(client.topics()).doesNotContain(DEV + "/state/update/result", "$hw/events/device/default/nobody/state/update/result");
        assertThat(journalled()).isEqualTo(before + 1);
    }

    @Test
    void oversizedMqttPacketClosesOnlyThatConnection() throws Exception {
        RawMqtt raw = RawMqtt.connect(edge.mqttPort(), "big", 60, null, null);
        raw.publish(DEV + "/twin/update", new byte[70_000]);
        assertThat(raw.closedByBroker()).isTrue();
        raw.close();
        client.publish(DEV + "/twin/get", "{\"event_id\":\"still-here\"}");
        assertThat(client.json(DEV + "/twin/get/result").path("event_id").asText()).isEqualTo("still-here");
    }

    @Test
    void garbageBytesAtQos0DoNotHurt() {
        var c = MqttClient.builder().useMqttVersion3().identifier("garbage").serverHost("127.0.0.1").serverPort(edge.mqttPort())
                .buildBlocking();
        c.connect();
        byte[] junk = new byte[512];
        new java.util.Random(7).nextBytes(junk);
        for (String t : new String[]{"/twin/update", "/twin/get", "/state/update", "/twin/cloud_updated"}) {
            c.publishWith().topic(DEV + t).payload(junk).qos(MqttQos.AT_MOST_ONCE).send();
        }
        c.publishWith().topic(DEV + "/twin/get").payload("{}".getBytes(StandardCharsets.UTF_8)).qos(MqttQos.AT_LEAST_ONCE).send();
        assertThat(c.getState().isConnected()).isTrue();
        c.disconnect();
        JsonNode update = client.json(RESULT);
        assertThat(update.path("error").asText()).isEqualTo("mqtt:payload.invalid");
        client.json(NO_ID);
        assertThat(client.json(DEV + "/twin/get/result").path("code").asInt()).isEqualTo(400);
        assertThat(client.json(DEV + "/twin/get/result").has("twin")).isTrue();
        client.assertNothingOn(DEV + "/twin/cloud_updated/result", Duration.ofMillis(100));
    }
}
