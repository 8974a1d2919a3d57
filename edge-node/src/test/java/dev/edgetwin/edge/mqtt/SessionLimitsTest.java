package dev.edgetwin.edge.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import dev.edgetwin.edge.EdgeConfig;
import dev.edgetwin.edge.EdgeNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The embedded broker's session limits, with HiveMQ's client: {@code mqtt.maxOfflineSessions}
 * (clients that connect with persistent sessions under ever new ids and leave do not pile up;
 * the one away longest loses its session, CONNACK says no session present, the others keep
 * theirs), {@code mqtt.maxSubscriptions} (SUBACK says failure for the filters past it) and
 * {@code mqtt.maxConnections} (CONNACK says server unavailable past it, but for a take-over).
 */
class SessionLimitsTest {
    @Test
    void theSessionOfTheClientAwayLongestIsDroppedPastTheLimit(@TempDir Path dir) {
        try (EdgeNode edge = edgeWith(dir, "mqtt.maxOfflineSessions", "2")) {
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

    @Test
    void filtersPastTheSubscriptionLimitAreRefusedInTheSuback(@TempDir Path dir) {
        try (EdgeNode edge = edgeWith(dir, "mqtt.maxSubscriptions", "2")) {
            Mqtt3BlockingClient c = client(edge, "greedy");
            c.connectWith().cleanSession(true).send();
            // the blocking client reports a SUBACK with a failure code as an exception carrying the SUBACK
            Mqtt3SubAck ack = catchThrowableOfType(() -> c.subscribeWith()
                    .addSubscription().topicFilter("a/#").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                    .addSubscription().topicFilter("b/#").qos(MqttQos.AT_MOST_ONCE).applySubscription()
                    .addSubscription().topicFilter("c/#").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                    .send(), Mqtt3SubAckException.class).getMqttMessage();
            assertThat(ack.getReturnCodes()).containsExactly(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1,
                    Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_0, Mqtt3SubAckReturnCode.FAILURE);
            assertThat(edge.core().metrics().scrape()).contains("edgetwin_mqtt_subscriptions_refused 1.0");
            c.disconnect();
        }
    }

    @Test
    void aConnectPastTheConnectionLimitIsRefusedWithServerUnavailable(@TempDir Path dir) {
        try (EdgeNode edge = edgeWith(dir, "mqtt.maxConnections", "2")) {
            Mqtt3BlockingClient one = client(edge, "one");
            Mqtt3BlockingClient two = client(edge, "two");
            one.connect();
            two.connect();
            Mqtt3BlockingClient three = client(edge, "three");
            Mqtt3ConnAckException refused = catchThrowableOfType(three::connect, Mqtt3ConnAckException.class);
            assertThat(refused.getMqttMessage().getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.SERVER_UNAVAILABLE);
            assertThat(edge.core().metrics().scrape()).contains("edgetwin_mqtt_connections_refused 1.0");
            Mqtt3BlockingClient oneAgain = client(edge, "one");
            oneAgain.connect();   // takes over its own client id's connection: no new one
            two.disconnect();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Mqtt3BlockingClient late = client(edge, "three");
                late.connect();
                late.disconnect();
            });
            oneAgain.disconnect();
        }
    }

    /** An edge with one MQTT setting changed. */
    private static EdgeNode edgeWith(Path dir, String key, String value) {
        EdgeConfig defaults = EdgeConfig.local("edge-s", dir);
        Properties p = new Properties();
        p.setProperty(key, value);
        return EdgeNode.start(defaults.withMqtt(defaults.mqtt().withProperties(p, "test")));
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
