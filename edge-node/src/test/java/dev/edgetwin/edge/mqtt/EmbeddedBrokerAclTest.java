package dev.edgetwin.edge.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import dev.edgetwin.edge.EdgeConfig;
import dev.edgetwin.edge.EdgeNode;
import dev.edgetwin.edge.mqtt.broker.Acl;
import dev.edgetwin.edge.mqtt.broker.Credentials;
import dev.edgetwin.log.Result;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The embedded broker's ACL ({@code --mqtt-acl}) with HiveMQ's client: a mapper allowed one
 * lamp's twin topics updates that lamp and gets its result; its update of another lamp is
 * acknowledged and changes nothing; its SUBSCRIBE to the other lamp's topics gets 0x80. A deny
 * rule inside a granted filter keeps those topics from the client both ways.
 */
class EmbeddedBrokerAclTest {
    static final String LAMP_1 = "$hw/events/device/default/lamp-1";
    static final String LAMP_2 = "$hw/events/device/default/lamp-2";

    @TempDir
    Path dir;

    @Test
    void aMapperUsesOnlyTheTopicsItsRulesGrant() throws Exception {
        Credentials users = Credentials.parse(List.of("mapper-a:secret-a"), "users");
        Acl acl = Acl.parse(List.of("user mapper-a", "topic readwrite " + LAMP_1 + "/#"), "acl");
        EdgeConfig config = EdgeConfig.local("edge-acl", dir);
        try (EdgeNode edge = EdgeNode.start(config.withMqtt(config.mqtt().withUsers(users).withAcl(acl)))) {
            for (String lamp : new String[]{"lamp-1", "lamp-2"}) {
                Result r = edge.core().writer().submit(TwinStore.Request.of(new TwinCommand.RegisterDevice(new DeviceId("default", lamp),
                        "edge-acl", "", Map.of(), Map.of("powerstatus", new PropertyDef("string", false)), Map.of()))).get(20, TimeUnit.SECONDS);
                assertThat(r).isInstanceOf(Result.Applied.class);
            }
            Mqtt3BlockingClient mapper = MqttClient.builder().useMqttVersion3().identifier("mapper-a").serverHost("127.0.0.1")
                    .serverPort(edge.mqttPort()).simpleAuth().username("mapper-a").password("secret-a".getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth().buildBlocking();
            mapper.connect();
            Mqtt3SubAck ack = catchThrowableOfType(() -> mapper.subscribeWith()
                    .addSubscription().topicFilter(LAMP_1 + "/twin/update/result").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                    .addSubscription().topicFilter(LAMP_2 + "/twin/update/result").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                    .send(), Mqtt3SubAckException.class).getMqttMessage();
            assertThat(ack.getReturnCodes()).containsExactly(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1, Mqtt3SubAckReturnCode.FAILURE);

            try (Mqtt3BlockingClient.Mqtt3Publishes publishes = mapper.publishes(MqttGlobalPublishFilter.ALL)) {
                // refused: acknowledged (the blocking publish returns) and dropped
                mapper.publishWith().topic(LAMP_2 + "/twin/update").qos(MqttQos.AT_LEAST_ONCE).payload(report("evt-2")).send();
                mapper.publishWith().topic(LAMP_1 + "/twin/update").qos(MqttQos.AT_LEAST_ONCE).payload(report("evt-1")).send();
                Mqtt3Publish result = publishes.receive(20, TimeUnit.SECONDS).orElseThrow();
                assertThat(result.getTopic().toString()).isEqualTo(LAMP_1 + "/twin/update/result");
                assertThat(JsonValues.MAPPER.readTree(result.getPayloadAsBytes()).path("event_id").asText()).isEqualTo("evt-1");
            }
            mapper.disconnect();
            assertThat(edge.core().store().get(new DeviceId("default", "lamp-1")).orElseThrow().reported("powerstatus"))
                    .contains(JsonValues.text("ON"));
            assertThat(edge.core().store().get(new DeviceId("default", "lamp-2")).orElseThrow().reported("powerstatus"))
                    .as("the refused update changed nothing").isEmpty();
            assertThat(edge.core().metrics().scrape()).contains("edgetwin_mqtt_denied_total 2.0");
        }
    }

    @Test
    void aDenyRuleKeepsTopicsInsideAGrantedFilterFromTheClient() throws Exception {
        Credentials users = Credentials.parse(List.of("app:secret", "sensor:secret"), "users");
        Acl acl = Acl.parse(List.of("user app", "topic readwrite sensors/#", "topic deny sensors/secret/#",
                "user sensor", "topic write sensors/#"), "acl");
        EdgeConfig config = EdgeConfig.local("edge-deny", dir);
        try (EdgeNode edge = EdgeNode.start(config.withMqtt(config.mqtt().withUsers(users).withAcl(acl)))) {
            Mqtt3BlockingClient app = client(edge, "app");
            Mqtt3BlockingClient sensor = client(edge, "sensor");
            app.connect();
            sensor.connect();
            try (Mqtt3BlockingClient.Mqtt3Publishes publishes = app.publishes(MqttGlobalPublishFilter.ALL)) {
                app.subscribeWith().topicFilter("sensors/#").qos(MqttQos.AT_LEAST_ONCE).send();
                Mqtt3SubAck refused = catchThrowableOfType(() -> app.subscribeWith().topicFilter("sensors/secret/#").qos(MqttQos.AT_LEAST_ONCE)
                        .send(), Mqtt3SubAckException.class).getMqttMessage();
                assertThat(refused.getReturnCodes()).containsExactly(Mqtt3SubAckReturnCode.FAILURE);
                sensor.publishWith().topic("sensors/secret/key").qos(MqttQos.AT_LEAST_ONCE).payload("k".getBytes(StandardCharsets.UTF_8)).send();
                sensor.publishWith().topic("sensors/temp").qos(MqttQos.AT_LEAST_ONCE).payload("21".getBytes(StandardCharsets.UTF_8)).send();
                app.publishWith().topic("sensors/secret/mine").qos(MqttQos.AT_LEAST_ONCE).payload("x".getBytes(StandardCharsets.UTF_8)).send();
                Mqtt3Publish p = publishes.receive(20, TimeUnit.SECONDS).orElseThrow();
                assertThat(p.getTopic().toString()).isEqualTo("sensors/temp");
                assertThat(publishes.receive(300, TimeUnit.MILLISECONDS)).as("nothing on the denied topics").isEmpty();
            }
            app.disconnect();
            sensor.disconnect();
        }
    }

    private static Mqtt3BlockingClient client(EdgeNode edge, String user) {
        return MqttClient.builder().useMqttVersion3().identifier(user).serverHost("127.0.0.1").serverPort(edge.mqttPort())
                .simpleAuth().username(user).password("secret".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
    }

    static byte[] report(String eventId) {
        return ("{\"event_id\":\"" + eventId + "\",\"timestamp\":1,\"twin\":{\"powerstatus\":{\"actual\":{\"value\":\"ON\"}}}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
