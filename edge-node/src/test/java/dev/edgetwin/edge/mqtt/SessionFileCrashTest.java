package dev.edgetwin.edge.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import dev.edgetwin.edge.mqtt.broker.StoredSessionsCodec;
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
 * The stored-sessions file under SIGKILL: an edge in a child JVM is killed four times while a
 * client keeps changing its subscriptions (a save each second until the kill; a kill rarely
 * lands inside one, which takes milliseconds: the file is replaced by a rename, never written in
 * place); after every restart the file reads (nothing is moved aside), every session saved before
 * the kill is back, and messages published for a restored session reach its client.
 */
class SessionFileCrashTest {
    @TempDir
    Path dir;

    @Test
    void killedWhileSavingTheEdgeComesBackWithEverySessionSavedBeforeTheKill() throws Exception {
        Path data = dir.resolve("data");
        Path file = data.resolve(BrokerFile.SESSIONS);
        int rounds = 4;
        for (int round = 0; round < rounds; round++) {
            Process edge = ChildEdge.start("edge-crash", data, dir.resolve("edge-" + round + ".log"));
            try {
                int port = ChildEdge.mqttPort(dir.resolve("edge-" + round + ".log"));
                assertThat(data.resolve(BrokerFile.SESSIONS + ".bad")).as("round " + round + ": the file read").doesNotExist();
                for (int earlier = 0; earlier < round; earlier++) {
                    Mqtt3BlockingClient back = client(port, "mapper-" + earlier);
                    assertThat(back.connectWith().cleanSession(false).send().isSessionPresent()).as("mapper-" + earlier).isTrue();
                    back.disconnect();
                }
                Mqtt3BlockingClient mapper = client(port, "mapper-" + round);
                mapper.connectWith().cleanSession(false).send();
                mapper.subscribeWith().topicFilter("cmd/" + round + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
                mapper.disconnect();
                String saved = "\"mapper-" + round + "\"";
                await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(file) && Files.readString(file).contains(saved));

                // a client changing its subscriptions without pause: saves follow each other until the kill
                Mqtt3BlockingClient churn = client(port, "churn");
                churn.connectWith().cleanSession(false).send();
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500 + 250L * round);
                for (int i = 0; System.nanoTime() < until; i++) {
                    churn.subscribeWith().topicFilter("churn/" + i).qos(MqttQos.AT_MOST_ONCE).send();
                    if (i > 5) churn.unsubscribeWith().topicFilter("churn/" + (i - 5)).send();
                }
            } finally {
                edge.destroyForcibly();   // SIGKILL
                assertThat(edge.waitFor(20, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(StoredSessionsCodec.decode(Files.readAllBytes(file))).as("after the kill of round " + round).isNotEmpty();
        }

        Process edge = ChildEdge.start("edge-crash", data, dir.resolve("edge-last.log"));
        try {
            int port = ChildEdge.mqttPort(dir.resolve("edge-last.log"));
            Mqtt3BlockingClient publisher = client(port, "publisher");
            publisher.connect();
            for (int round = 0; round < rounds; round++) {
                publisher.publishWith().topic("cmd/" + round + "/lamp").qos(MqttQos.AT_LEAST_ONCE).payload(("on-" + round).getBytes(StandardCharsets.UTF_8)).send();
            }
            publisher.disconnect();
            for (int round = 0; round < rounds; round++) {
                Mqtt3BlockingClient mapper = client(port, "mapper-" + round);
                try (Mqtt3BlockingClient.Mqtt3Publishes publishes = mapper.publishes(MqttGlobalPublishFilter.ALL)) {
                    assertThat(mapper.connectWith().cleanSession(false).send().isSessionPresent()).isTrue();
                    Mqtt3Publish p = publishes.receive(20, TimeUnit.SECONDS).orElseThrow();
                    assertThat(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)).as("mapper-" + round + "'s subscription").isEqualTo("on-" + round);
                }
                mapper.disconnect();
            }
        } finally {
            edge.destroyForcibly();
            edge.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static Mqtt3BlockingClient client(int port, String id) {
        return MqttClient.builder().useMqttVersion3().identifier(id).serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }
}
