package dev.edgetwin.edge.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import dev.edgetwin.edge.EdgeConfig;
import dev.edgetwin.edge.EdgeNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded broker's persistent sessions survive a restart of the edge (their subscriptions;
 * the messages they held: MessagePersistenceTest), with HiveMQ's client: a mapper that subscribed with clean session
 * off and does not subscribe again after reconnecting still gets what was published for it
 * while it was away, after the restart.
 */
class SessionPersistenceTest {
    @TempDir
    Path dir;

    @Test
    void aPersistentSessionsSubscriptionsOutliveARestartOfTheEdge() throws Exception {
        try (EdgeNode edge = start(new Properties())) {
            Mqtt3BlockingClient mapper = client(edge, "mapper");
            mapper.connectWith().cleanSession(false).send();
            mapper.subscribeWith().topicFilter("cmd/#").qos(MqttQos.AT_LEAST_ONCE).send();
            mapper.disconnect();
            Mqtt3BlockingClient app = client(edge, "app");
            app.connectWith().cleanSession(true).send();
            app.subscribeWith().topicFilter("app/#").qos(MqttQos.AT_LEAST_ONCE).send();
            app.disconnect();
        }
        assertThat(Files.readString(dir.resolve("mqtt-sessions.json"))).contains("\"mapper\"").contains("cmd/#").doesNotContain("\"app\"");

        try (EdgeNode edge = start(new Properties())) {
            assertThat(edge.core().metrics().scrape()).contains("edgetwin_mqtt_sessions_offline 1.0").contains("edgetwin_mqtt_subscriptions 1.0");
            Mqtt3BlockingClient publisher = client(edge, "publisher");
            publisher.connect();
            publisher.publishWith().topic("cmd/lamp-1").qos(MqttQos.AT_LEAST_ONCE).payload("ON".getBytes(StandardCharsets.UTF_8)).send();
            publisher.disconnect();

            Mqtt3BlockingClient mapper = client(edge, "mapper");
            try (Mqtt3BlockingClient.Mqtt3Publishes publishes = mapper.publishes(MqttGlobalPublishFilter.ALL)) {
                assertThat(mapper.connectWith().cleanSession(false).send().isSessionPresent()).isTrue();
                Mqtt3Publish p = publishes.receive(20, TimeUnit.SECONDS).orElseThrow();
                assertThat(p.getTopic().toString()).isEqualTo("cmd/lamp-1");
                assertThat(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("ON");
            }
            mapper.disconnect();
            Mqtt3BlockingClient app = client(edge, "app");
            assertThat(app.connectWith().cleanSession(false).send().isSessionPresent()).as("a clean session is not kept").isFalse();
            app.disconnect();
        }
    }

    @Test
    void anUnreadableSessionsFileIsMovedAsideAndTheEdgeStartsWithoutStoredSessions() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("mqtt-sessions.json"), "{\"format\":\"edgetwin-mqtt-sessions\",\"version\":1,\"sess");
        try (EdgeNode edge = start(new Properties())) {
            assertThat(Files.readString(dir.resolve("mqtt-sessions.json.bad"))).endsWith("\"sess");
            Mqtt3BlockingClient mapper = client(edge, "mapper");
            assertThat(mapper.connectWith().cleanSession(false).send().isSessionPresent()).isFalse();
            mapper.disconnect();
        }
        assertThat(Files.readString(dir.resolve("mqtt-sessions.json"))).as("written anew").contains("\"mapper\"");
    }

    @Test
    void aSessionsFileThatCannotBeReadStopsTheStartAndIsLeftAsItIs() throws Exception {
        Files.createDirectories(dir.resolve("mqtt-sessions.json"));   // reading it fails, and not for its content
        assertThatThrownBy(() -> start(new Properties())).hasStackTraceContaining("cannot read " + dir.resolve("mqtt-sessions.json"));
        assertThat(dir.resolve("mqtt-sessions.json")).isDirectory();
        assertThat(dir.resolve("mqtt-sessions.json.bad")).doesNotExist();
    }

    @Test
    void withPersistSessionsOffNothingIsKept() throws Exception {
        Properties off = new Properties();
        off.setProperty("mqtt.persistSessions", "false");
        try (EdgeNode edge = start(off)) {
            Mqtt3BlockingClient mapper = client(edge, "mapper");
            mapper.connectWith().cleanSession(false).send();
            mapper.subscribeWith().topicFilter("cmd/#").qos(MqttQos.AT_LEAST_ONCE).send();
            mapper.disconnect();
        }
        assertThat(dir.resolve("mqtt-sessions.json")).doesNotExist();
        try (EdgeNode edge = start(off)) {
            Mqtt3BlockingClient mapper = client(edge, "mapper");
            assertThat(mapper.connectWith().cleanSession(false).send().isSessionPresent()).isFalse();
            mapper.disconnect();
        }
    }

    private EdgeNode start(Properties mqtt) {
        EdgeConfig defaults = EdgeConfig.local("edge-p", dir);
        return EdgeNode.start(defaults.withMqtt(defaults.mqtt().withProperties(mqtt, "test")));
    }

    private static Mqtt3BlockingClient client(EdgeNode edge, String id) {
        return MqttClient.builder().useMqttVersion3().identifier(id).serverHost("127.0.0.1").serverPort(edge.mqttPort()).buildBlocking();
    }
}
