package dev.edgetwin.edge.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import dev.edgetwin.edge.EdgeMain;
import dev.edgetwin.edge.mqtt.broker.StoredSessionsCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final Pattern MQTT_PORT = Pattern.compile("mqtt listening on 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    @Test
    void killedWhileSavingTheEdgeComesBackWithEverySessionSavedBeforeTheKill() throws Exception {
        Path data = dir.resolve("data");
        Path file = data.resolve(SessionFile.NAME);
        int rounds = 4;
        for (int round = 0; round < rounds; round++) {
            Process edge = start(data, dir.resolve("edge-" + round + ".log"));
            try {
                int port = mqttPort(dir.resolve("edge-" + round + ".log"));
                assertThat(data.resolve(SessionFile.NAME + ".bad")).as("round " + round + ": the file read").doesNotExist();
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

        Process edge = start(data, dir.resolve("edge-last.log"));
        try {
            int port = mqttPort(dir.resolve("edge-last.log"));
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

    /** EdgeMain in a child JVM with this JVM's Chronicle flags and class path, its output into {@code log}. */
    private static Process start(Path data, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("-Dchronicle") || a.startsWith("-Djna")) cmd.add(a);
        }
        cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                EdgeMain.class.getName(), "--node-id", "edge-crash", "--data-dir", data.toString(), "--http-port", "0", "--mqtt-port", "0"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static int mqttPort(Path log) {
        int[] port = {-1};
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Matcher m = MQTT_PORT.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (m.find()) port[0] = Integer.parseInt(m.group(1));
            return port[0] > 0;
        });
        return port[0];
    }

    private static Mqtt3BlockingClient client(int port, String id) {
        return MqttClient.builder().useMqttVersion3().identifier(id).serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }
}
