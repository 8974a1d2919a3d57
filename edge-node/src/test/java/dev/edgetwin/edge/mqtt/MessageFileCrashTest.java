package dev.edgetwin.edge.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import dev.edgetwin.edge.mqtt.broker.StoredMessages;
import dev.edgetwin.edge.mqtt.broker.StoredMessagesCodec;
import dev.edgetwin.edge.testkit.ChildEdge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The stored-messages file under SIGKILL: an edge in a child JVM saving its messages each second
 * (mqtt.messageSaveSeconds=1) is killed while a publisher keeps changing retained messages; the
 * next start reads the file (nothing moved aside) and has the retained messages and the messages
 * a persistent session held as of the last save before the kill.
 */
class MessageFileCrashTest {
    @TempDir
    Path dir;

    @Test
    void killedWhileSavingTheEdgeComesBackWithTheMessagesOfItsLastSave() throws Exception {
        Path data = dir.resolve("data");
        Path config = dir.resolve("mqtt.properties");
        Files.writeString(config, "mqtt.messageSaveSeconds=1\n");
        Path file = data.resolve(BrokerFile.MESSAGES);
        Process edge = ChildEdge.start("edge-crash", data, dir.resolve("edge-1.log"), "--mqtt-config", config.toString());
        try {
            int port = ChildEdge.mqttPort(dir.resolve("edge-1.log"));
            Mqtt3BlockingClient mapper = client(port, "mapper");
            mapper.connectWith().cleanSession(false).send();
            mapper.subscribeWith().topicFilter("cmd/#").qos(MqttQos.AT_LEAST_ONCE).send();
            mapper.disconnect();
            Mqtt3BlockingClient publisher = client(port, "publisher");
            publisher.connect();
            publisher.publishWith().topic("state/lamp").qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(bytes("ON")).send();
            publisher.publishWith().topic("cmd/lamp").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("switch")).send();
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(file) && read(file).count() == 2);

            // retained messages changing without pause: saves follow each other until the kill
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2_500);
            for (int i = 0; System.nanoTime() < until; i++) {
                publisher.publishWith().topic("churn/" + (i % 50)).qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(bytes("v" + i)).send();
            }
        } finally {
            edge.destroyForcibly();   // SIGKILL
            assertThat(edge.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        StoredMessages saved = read(file);
        assertThat(saved.retained()).extracting(m -> m.topic()).contains("state/lamp");

        edge = ChildEdge.start("edge-crash", data, dir.resolve("edge-2.log"), "--mqtt-config", config.toString());
        try {
            int port = ChildEdge.mqttPort(dir.resolve("edge-2.log"));
            assertThat(data.resolve(BrokerFile.MESSAGES + ".bad")).as("the file read").doesNotExist();
            Mqtt3BlockingClient reader = client(port, "reader");
            reader.connect();
            try (Mqtt3BlockingClient.Mqtt3Publishes publishes = reader.publishes(MqttGlobalPublishFilter.ALL)) {
                reader.subscribeWith().topicFilter("state/lamp").qos(MqttQos.AT_LEAST_ONCE).send();
                Mqtt3Publish p = publishes.receive(20, TimeUnit.SECONDS).orElseThrow();
                assertThat(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("ON");
            }
            reader.disconnect();
            Mqtt3BlockingClient mapper = client(port, "mapper");
            try (Mqtt3BlockingClient.Mqtt3Publishes publishes = mapper.publishes(MqttGlobalPublishFilter.ALL)) {
                assertThat(mapper.connectWith().cleanSession(false).send().isSessionPresent()).isTrue();
                Mqtt3Publish p = publishes.receive(20, TimeUnit.SECONDS).orElseThrow();
                assertThat(p.getTopic().toString()).isEqualTo("cmd/lamp");
                assertThat(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("switch");
            }
            mapper.disconnect();
        } finally {
            edge.destroyForcibly();
            edge.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static StoredMessages read(Path file) throws Exception {
        return StoredMessagesCodec.decode(Files.readAllBytes(file), System.currentTimeMillis()).messages();
    }

    private static Mqtt3BlockingClient client(int port, String id) {
        return MqttClient.builder().useMqttVersion3().identifier(id).serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
