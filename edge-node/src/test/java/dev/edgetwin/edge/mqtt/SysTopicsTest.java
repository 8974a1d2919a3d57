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
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded broker's {@code $SYS/broker/} topics (mosquitto's names), with HiveMQ's client:
 * retained figures a new subscriber gets at once and that follow the broker's state; not seen by
 * {@code #}; not writable by clients (a PUBLISH or a will there is dropped); outside the retained-message
 * limits and counts.
 */
class SysTopicsTest {
    @TempDir
    Path dir;

    @Test
    void theBrokersFiguresAreRetainedUnderSysAndFollowItsState() throws Exception {
        EdgeConfig defaults = EdgeConfig.local("edge-sys", dir);
        Properties p = new Properties();
        p.setProperty("mqtt.sysIntervalSeconds", "1");
        try (EdgeNode edge = EdgeNode.start(defaults.withMqtt(defaults.mqtt().withProperties(p, "test")))) {
            Mqtt3BlockingClient watcher = MqttClient.builder().useMqttVersion3().identifier("sys-watcher").serverHost("127.0.0.1")
                    .serverPort(edge.mqttPort()).buildBlocking();
            watcher.connect();
            Map<String, String> seen = new HashMap<>();
            try (var publishes = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
                watcher.subscribeWith().topicFilter("#").qos(MqttQos.AT_MOST_ONCE).send();
                watcher.subscribeWith().topicFilter("$SYS/#").qos(MqttQos.AT_MOST_ONCE).send();
                Mqtt3BlockingClient other = MqttClient.builder().useMqttVersion3().identifier("sys-other").serverHost("127.0.0.1")
                        .serverPort(edge.mqttPort()).buildBlocking();
                other.connectWith().willPublish().topic("$SYS/broker/forged-will").payload("x".getBytes(StandardCharsets.UTF_8)).retain(true)
                        .applyWillPublish().send();
                other.publishWith().topic("$SYS/broker/uptime").payload("forged".getBytes(StandardCharsets.UTF_8)).retain(true)
                        .qos(MqttQos.AT_LEAST_ONCE).send();
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    for (var m = publishes.receive(100, TimeUnit.MILLISECONDS); m.isPresent(); m = publishes.receive(10, TimeUnit.MILLISECONDS)) {
                        Mqtt3Publish pub = m.get();
                        seen.put(pub.getTopic().toString(), new String(pub.getPayloadAsBytes(), StandardCharsets.UTF_8));
                    }
                    return "2".equals(seen.get("$SYS/broker/clients/connected"));
                });
                other.disconnect();
            }
            assertThat(seen.get("$SYS/broker/version")).startsWith("EdgeTwin ");
            assertThat(seen.get("$SYS/broker/uptime")).as("not the forged value").endsWith(" seconds");
            assertThat(seen).containsKeys("$SYS/broker/clients/total", "$SYS/broker/subscriptions/count", "$SYS/broker/messages/received",
                    "$SYS/broker/messages/sent", "$SYS/broker/retained messages/count", "$SYS/broker/store/messages/bytes");
            assertThat(seen.keySet()).allMatch(t -> t.startsWith("$SYS/broker/"));
            assertThat(edge.core().metrics().scrape()).as("the broker's own topics are not counted as retained messages")
                    .contains("edgetwin_mqtt_retained 0.0").contains("edgetwin_mqtt_retained_bytes 0.0")
                    .contains("edgetwin_mqtt_denied_total 2.0");
            watcher.disconnect();
        }
    }
}
