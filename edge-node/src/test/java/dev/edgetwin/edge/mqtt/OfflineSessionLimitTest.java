package dev.edgetwin.edge.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import dev.edgetwin.edge.EdgeConfig;
import dev.edgetwin.edge.EdgeNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code mqtt.maxOfflineSessions} on the embedded broker, with HiveMQ's client: clients that
 * connect with persistent sessions under ever new ids and leave do not pile up; the one away
 * longest loses its session (CONNACK says no session present), the others keep theirs.
 */
class OfflineSessionLimitTest {
    @Test
    void theSessionOfTheClientAwayLongestIsDroppedPastTheLimit(@TempDir Path dir) {
        EdgeConfig defaults = EdgeConfig.local("edge-s", dir);
        Properties p = new Properties();
        p.setProperty("mqtt.maxOfflineSessions", "2");
        try (EdgeNode edge = EdgeNode.start(defaults.withMqtt(defaults.mqtt().withProperties(p, "test")))) {
            for (String id : new String[]{"mapper-1", "mapper-2", "mapper-3"}) {
                Mqtt3BlockingClient c = client(edge, id);
                assertThat(c.connectWith().cleanSession(false).send().isSessionPresent()).isFalse();
                c.subscribeWith().topicFilter("cmd/" + id).qos(MqttQos.AT_LEAST_ONCE).send();
                c.disconnect();
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(edge.core().metrics().scrape()).contains("edgetwin_mqtt_sessions_evicted 1.0")
                            .contains("edgetwin_mqtt_sessions_offline 2.0"));
            assertThat(sessionPresent(edge, "mapper-1")).as("away longest: dropped").isFalse();
            assertThat(sessionPresent(edge, "mapper-3")).isTrue();
        }
    }

    private static boolean sessionPresent(EdgeNode edge, String id) {
        Mqtt3BlockingClient c = client(edge, id);
        boolean present = c.connectWith().cleanSession(false).send().isSessionPresent();
        c.disconnect();
        return present;
    }

    private static Mqtt3BlockingClient client(EdgeNode edge, String id) {
        return MqttClient.builder().useMqttVersion3().identifier(id).serverHost("127.0.0.1").serverPort(edge.mqttPort()).buildBlocking();
    }
}
