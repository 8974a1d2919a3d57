package dev.edgetwin.edge.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import dev.edgetwin.edge.EdgeConfig;
import dev.edgetwin.edge.EdgeNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The embedded broker's limits on sessions and what it holds, with HiveMQ's client: {@code mqtt.maxOfflineSessions}
 * (clients that connect with persistent sessions under ever new ids and leave do not pile up;
 * the one away longest loses its session, CONNACK says no session present, the others keep
 * theirs), {@code mqtt.maxSubscriptions} (SUBACK says failure for the filters past it) and
 * {@code mqtt.maxConnections} (CONNACK says server unavailable past it, but for a take-over),
 * {@code mqtt.sessionExpirySeconds} (a stored session ends by itself once its client has been away
 * that long), {@code mqtt.maxQueuedBytes} (messages for absent clients past it are dropped) and
 * {@code mqtt.maxRetainedBytes} (a retained message past it is delivered, not retained).
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
                    assertThat(edge.core().metrics().scrape()).contains("edgetwin_mqtt_sessions_evicted_total 1.0")
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
            assertThat(edge.core().metrics().scrape()).contains("edgetwin_mqtt_subscriptions_refused_total 1.0");
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
            assertThat(edge.core().metrics().scrape()).contains("edgetwin_mqtt_connections_refused_total 1.0");
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

    @Test
    void aStoredSessionEndsOnceItsClientHasBeenAwayTheExpiryTime(@TempDir Path dir) {
        try (EdgeNode edge = edgeWith(dir, "mqtt.sessionExpirySeconds", "1")) {
            Mqtt3BlockingClient c = client(edge, "sleepy");
            c.connectWith().cleanSession(false).send();
            c.subscribeWith().topicFilter("cmd/sleepy").qos(MqttQos.AT_LEAST_ONCE).send();
            c.disconnect();
            // nobody connects: the broker's own timer ends the session
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(edge.core().metrics().scrape()).contains("edgetwin_mqtt_sessions_expired_total 1.0")
                            .contains("edgetwin_mqtt_sessions_offline 0.0").contains("edgetwin_mqtt_subscriptions 0.0"));
            assertThat(sessionPresent(edge, "sleepy")).isFalse();
        }
    }

    @Test
    void messagesForAnAbsentClientPastTheByteLimitAreDroppedAndTheRestDelivered(@TempDir Path dir) throws Exception {
        try (EdgeNode edge = edgeWith(dir, "mqtt.maxQueuedBytes", "1000")) {
            Mqtt3BlockingClient away = client(edge, "away");
            away.connectWith().cleanSession(false).send();
            away.subscribeWith().topicFilter("cmd/away").qos(MqttQos.AT_LEAST_ONCE).send();
            away.disconnect();
            Mqtt3BlockingClient publisher = client(edge, "publisher");
            publisher.connect();
            for (int i = 0; i < 20; i++) {
                // 8 characters of topic + 100 bytes: 9 messages fit in 1,000 bytes
                publisher.publishWith().topic("cmd/away").qos(MqttQos.AT_LEAST_ONCE).payload(String.format("%0100d", i).getBytes()).send();
            }
            publisher.disconnect();
            assertThat(edge.core().metrics().scrape()).contains("edgetwin_mqtt_dropped_total 11.0").contains("edgetwin_mqtt_queued_bytes 972.0");

            Mqtt3BlockingClient back = client(edge, "away");
            try (Mqtt3BlockingClient.Mqtt3Publishes publishes = back.publishes(MqttGlobalPublishFilter.ALL)) {
                back.connectWith().cleanSession(false).send();
                for (int i = 0; i < 9; i++) {
                    Mqtt3Publish p = publishes.receive(20, TimeUnit.SECONDS).orElseThrow();
                    assertThat(Integer.parseInt(new String(p.getPayloadAsBytes()))).as("the first nine, in order").isEqualTo(i);
                }
                assertThat(publishes.receive(300, TimeUnit.MILLISECONDS)).as("the eleven past the limit were dropped").isEmpty();
            }
            back.disconnect();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(edge.core().metrics().scrape()).as("acknowledged: nothing held").contains("edgetwin_mqtt_queued_bytes 0.0"));
        }
    }

    @Test
    void aRetainedMessagePastTheByteLimitIsDeliveredButNotRetained(@TempDir Path dir) throws Exception {
        try (EdgeNode edge = edgeWith(dir, "mqtt.maxRetainedBytes", "100")) {
            Mqtt3BlockingClient live = client(edge, "live");
            live.connect();
            Mqtt3BlockingClient publisher = client(edge, "publisher");
            publisher.connect();
            // the flow first: HiveMQ's client drops what arrives before it is registered
            try (Mqtt3BlockingClient.Mqtt3Publishes publishes = live.publishes(MqttGlobalPublishFilter.ALL)) {
                live.subscribeWith().topicFilter("r/#").qos(MqttQos.AT_LEAST_ONCE).send();
                for (String topic : new String[]{"r/a", "r/b"}) {   // 3 + 60 bytes each: the second does not fit in 100
                    publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true).payload("x".repeat(60).getBytes()).send();
                    assertThat(publishes.receive(20, TimeUnit.SECONDS).orElseThrow().getTopic().toString()).as("delivered").isEqualTo(topic);
                }
            }
            publisher.disconnect();
            assertThat(edge.core().metrics().scrape()).contains("edgetwin_mqtt_retained_refused_total 1.0")
                    .contains("edgetwin_mqtt_retained_bytes 63.0");
            Mqtt3BlockingClient late = client(edge, "late");
            try (Mqtt3BlockingClient.Mqtt3Publishes publishes = late.publishes(MqttGlobalPublishFilter.ALL)) {
                late.connect();
                late.subscribeWith().topicFilter("r/#").qos(MqttQos.AT_LEAST_ONCE).send();
                Mqtt3Publish retained = publishes.receive(20, TimeUnit.SECONDS).orElseThrow();
                assertThat(retained.getTopic().toString()).isEqualTo("r/a");
                assertThat(retained.isRetain()).isTrue();
                assertThat(publishes.receive(300, TimeUnit.MILLISECONDS)).as("r/b was not retained").isEmpty();
            }
            late.disconnect();
            live.disconnect();
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
