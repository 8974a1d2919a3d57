package dev.edgetwin.edge.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.edgetwin.edge.EdgeConfig;
import dev.edgetwin.edge.EdgeNode;
import dev.edgetwin.edge.mqtt.broker.StoredMessagesCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded broker's retained messages and the QoS 1 messages its persistent sessions hold
 * survive a restart of the edge (mqtt-messages.bin), with HiveMQ's MQTT 5 client: a new
 * subscriber gets the retained state with its properties, a mapper that was away gets what was
 * published for it, in order, less what expired meanwhile.
 */
class MessagePersistenceTest {
    @TempDir
    Path dir;

    @Test
    void retainedAndQueuedMessagesOutliveARestartOfTheEdge() throws Exception {
        try (EdgeNode edge = start(new Properties())) {
            Mqtt5BlockingClient mapper = client(edge, "mapper");
            mapper.connectWith().cleanStart(false).sessionExpiryInterval(3_600).send();
            mapper.subscribeWith().topicFilter("cmd/#").qos(MqttQos.AT_LEAST_ONCE).send();
            mapper.disconnect();
            Mqtt5BlockingClient publisher = client(edge, "publisher");
            publisher.connect();
            publisher.publishWith().topic("state/lamp").qos(MqttQos.AT_LEAST_ONCE).retain(true).contentType("text/plain")
                    .userProperties().add("unit", "none").applyUserProperties().payload(bytes("ON")).send();
            publisher.publishWith().topic("state/gone").qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(bytes("x")).send();
            publisher.publishWith().topic("state/gone").qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(new byte[0]).send();
            for (int i = 1; i <= 3; i++) publisher.publishWith().topic("cmd/" + i).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("c" + i)).send();
            publisher.publishWith().topic("cmd/short").qos(MqttQos.AT_LEAST_ONCE).messageExpiryInterval(1).payload(bytes("late")).send();
            publisher.disconnect();
        }
        Path file = dir.resolve(BrokerFile.MESSAGES);
        assertThat(StoredMessagesCodec.decode(Files.readAllBytes(file), System.currentTimeMillis()).messages().count()).isBetween(4, 5);
        Thread.sleep(1_100);   // the 1 s message runs out while the edge is down

        try (EdgeNode edge = start(new Properties())) {
            assertThat(edge.core().metrics().scrape()).contains("edgetwin_mqtt_retained 1.0");
            Mqtt5BlockingClient reader = client(edge, "reader");
            reader.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = reader.publishes(MqttGlobalPublishFilter.ALL)) {
                reader.subscribeWith().topicFilter("state/#").qos(MqttQos.AT_LEAST_ONCE).send();
                Mqtt5Publish p = publishes.receive(20, TimeUnit.SECONDS).orElseThrow();
                assertThat(p.getTopic().toString()).isEqualTo("state/lamp");
                assertThat(p.isRetain()).isTrue();
                assertThat(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("ON");
                assertThat(p.getContentType().map(Object::toString)).hasValue("text/plain");
                assertThat(p.getUserProperties().asList()).hasSize(1);
                assertThat(publishes.receive(300, TimeUnit.MILLISECONDS)).as("the cleared topic stays cleared").isEmpty();
            }
            reader.disconnect();

            Mqtt5BlockingClient mapper = client(edge, "mapper");
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = mapper.publishes(MqttGlobalPublishFilter.ALL)) {
                assertThat(mapper.connectWith().cleanStart(false).sessionExpiryInterval(3_600).send().isSessionPresent()).isTrue();
                List<String> got = new ArrayList<>();
                for (Optional<Mqtt5Publish> p; (p = publishes.receive(1, TimeUnit.SECONDS)).isPresent(); ) {
                    got.add(new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
                }
                assertThat(got).as("in order, without the expired one").containsExactly("c1", "c2", "c3");
            }
            mapper.disconnect();
        }
    }

    @Test
    void anUnreadableMessagesFileIsMovedAsideAndTheEdgeStartsWithoutIt() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(BrokerFile.MESSAGES), "ETMM not really");
        try (EdgeNode edge = start(new Properties())) {
            assertThat(dir.resolve(BrokerFile.MESSAGES + ".bad")).hasContent("ETMM not really");
            Mqtt5BlockingClient c = client(edge, "c");
            c.connect();
            c.publishWith().topic("state/x").qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(bytes("1")).send();
            c.disconnect();
        }
        assertThat(StoredMessagesCodec.decode(Files.readAllBytes(dir.resolve(BrokerFile.MESSAGES)), 0).messages().retained())
                .as("written anew").hasSize(1);
    }

    @Test
    void withPersistMessagesOffNothingIsKept() throws Exception {
        Properties off = new Properties();
        off.setProperty("mqtt.persistMessages", "false");
        try (EdgeNode edge = start(off)) {
            Mqtt5BlockingClient c = client(edge, "c");
            c.connect();
            c.publishWith().topic("state/x").qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(bytes("1")).send();
            c.disconnect();
        }
        assertThat(dir.resolve(BrokerFile.MESSAGES)).doesNotExist();
        try (EdgeNode edge = start(off)) {
            assertThat(edge.core().metrics().scrape()).contains("edgetwin_mqtt_retained 0.0");
        }
    }

    private EdgeNode start(Properties mqtt) {
        EdgeConfig defaults = EdgeConfig.local("edge-m", dir);
        return EdgeNode.start(defaults.withMqtt(defaults.mqtt().withProperties(mqtt, "test")));
    }

    private static Mqtt5BlockingClient client(EdgeNode edge, String id) {
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1").serverPort(edge.mqttPort()).buildBlocking();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
