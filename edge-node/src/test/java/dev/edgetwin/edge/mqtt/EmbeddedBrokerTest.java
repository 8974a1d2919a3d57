package dev.edgetwin.edge.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAck;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import dev.edgetwin.edge.EdgeConfig;
import dev.edgetwin.edge.EdgeNode;
import dev.edgetwin.edge.testkit.MqttProbe;
import dev.edgetwin.edge.testkit.RawMqtt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded broker as a general MQTT broker, driven by a real third-party client (HiveMQ,
 * MQTT 3.1.1) and, for abrupt losses and silence, by a bare socket.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedBrokerTest {
    EdgeNode edge;
    int port;

    /** The edge's configuration: the defaults here; subclasses run every test again with other settings. */
    EdgeConfig config(EdgeConfig defaults) {
        return defaults;
    }

    @BeforeAll
    void start(@TempDir Path dir) {
        edge = EdgeNode.start(config(EdgeConfig.local("edge-b", dir)));
        port = edge.mqttPort();
    }

    @AfterAll
    void stop() {
        edge.close();
    }

    Mqtt3BlockingClient client(String id) {
        return MqttClient.builder().useMqttVersion3().identifier(id).serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }

    @Test
    void wildcardSubscriptionsRouteAppMessages() {
        try (MqttProbe plus = MqttProbe.connect(port, "home/+/temperature");
             MqttProbe hash = MqttProbe.connect(port, "home/#");
             MqttProbe publisher = MqttProbe.connect(port)) {
            publisher.publish("home/kitchen/temperature", "21.5");
            publisher.publish("home/kitchen/humidity", "40");
            assertThat(plus.text("home/kitchen/temperature")).isEqualTo("21.5");
            assertThat(hash.text("home/kitchen/temperature")).isEqualTo("21.5");
            assertThat(hash.text("home/kitchen/humidity")).isEqualTo("40");
            plus.assertNothingOn("home/kitchen/humidity", Duration.ofMillis(200));
        }
    }

    @Test
    void aBurstOfMessagesOfEverySizeArrivesWholeAndInOrderPerTopicAndQos() throws Exception {
        // sent together, at both QoS, to three topics of one subscription, some larger than a TCP window
        Mqtt3Client subscriber = Mqtt3Client.builder().identifier("burst-sub").serverHost("127.0.0.1").serverPort(port).build();
        subscriber.toBlocking().connect();
        java.util.Map<String, List<String>> got = new java.util.concurrent.ConcurrentHashMap<>();
        subscriber.toAsync().subscribeWith().topicFilter("burst/#").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> got.computeIfAbsent(p.getTopic() + " qos " + p.getQos().getCode(), k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                        .add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)))
                .send().get(10, TimeUnit.SECONDS);
        Mqtt3BlockingClient publisher = client("burst-pub");
        publisher.connect();
        java.util.Map<String, List<String>> sent = new java.util.TreeMap<>();
        List<java.util.concurrent.CompletableFuture<?>> acks = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int size = i % 50 == 7 ? 40_000 + i : 1 + i % 90;
            String body = String.valueOf((char) ('a' + i % 26)).repeat(size);
            MqttQos qos = i % 2 == 0 ? MqttQos.AT_LEAST_ONCE : MqttQos.AT_MOST_ONCE;
            sent.computeIfAbsent("burst/" + i % 3 + " qos " + qos.getCode(), k -> new ArrayList<>()).add(body);
            acks.add(publisher.toAsync().publishWith().topic("burst/" + i % 3).qos(qos).payload(body.getBytes(StandardCharsets.UTF_8)).send());
        }
        for (var a : acks) a.get(10, TimeUnit.SECONDS);
        // MQTT 3.1.1 section 4.6: a topic's messages of one QoS reach a subscriber in the order they were published
        await().atMost(Duration.ofSeconds(10)).until(() -> got.values().stream().mapToInt(List::size).sum() >= 300);
        assertThat(new java.util.TreeMap<>(got)).isEqualTo(sent);
        publisher.disconnect();
        subscriber.toBlocking().disconnect();
    }

    @Test
    void catchAllDoesNotSeeDollarTopics() {
        try (MqttProbe all = MqttProbe.connect(port, "#"); MqttProbe hw = MqttProbe.connect(port, "$hw/#");
             MqttProbe publisher = MqttProbe.connect(port)) {
            publisher.publish("$hw/events/custom", "x");
            publisher.publish("visible", "y");
            assertThat(hw.text("$hw/events/custom")).isEqualTo("x");
            assertThat(all.text("visible")).isEqualTo("y");
            assertThat(all.topics()).doesNotContain("$hw/events/custom");
        }
    }

    @Test
    void retainedMessageReachesALaterSubscriberUntilCleared() {
        Mqtt3BlockingClient pub = client("retain-pub");
        pub.connect();
        pub.publishWith().topic("status/lamp-1").payload("online".getBytes()).qos(MqttQos.AT_LEAST_ONCE).retain(true).send();
        Mqtt3BlockingClient sub = client("retain-sub");
        sub.connect();
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("status/+").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt3Publish p = publishes.receive(20, TimeUnit.SECONDS).orElseThrow();
            assertThat(new String(p.getPayloadAsBytes())).isEqualTo("online");
            assertThat(p.isRetain()).isTrue();
            pub.publishWith().topic("status/lamp-1").payload(new byte[0]).qos(MqttQos.AT_LEAST_ONCE).retain(true).send();
            assertThat(publishes.receive(20, TimeUnit.SECONDS).orElseThrow().isRetain()).as("live delivery: retain flag off").isFalse();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        sub.disconnect();
        Mqtt3BlockingClient late = client("retain-late");
        late.connect();
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = late.publishes(MqttGlobalPublishFilter.ALL)) {
            late.subscribeWith().topicFilter("status/+").qos(MqttQos.AT_LEAST_ONCE).send();
            assertThat(publishes.receive(500, TimeUnit.MILLISECONDS)).as("cleared by the empty retained message").isEmpty();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        late.disconnect();
        pub.disconnect();
    }

    @Test
    void persistentSessionGetsQos1MessagesSentWhileOffline() throws Exception {
        Mqtt3BlockingClient mapper = client("persistent-mapper");
        Mqtt3ConnAck first = mapper.connectWith().cleanSession(false).send();
        assertThat(first.isSessionPresent()).isFalse();
        mapper.subscribeWith().topicFilter("cmd/lamp").qos(MqttQos.AT_LEAST_ONCE).send();
        mapper.disconnect();

        try (MqttProbe app = MqttProbe.connect(port)) {
            for (int i = 0; i < 3; i++) app.publish("cmd/lamp", "on-" + i);
        }
        Mqtt3Client async = mapper;
        List<String> got = new ArrayList<>();
        async.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> {
            synchronized (got) {
                got.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
        });
        Mqtt3ConnAck again = mapper.connectWith().cleanSession(false).send();
        assertThat(again.isSessionPresent()).isTrue();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            synchronized (got) {
                assertThat(got).containsExactly("on-0", "on-1", "on-2");
            }
        });
        mapper.disconnect();
    }

    @Test
    void unacknowledgedQos1MessageIsRedeliveredAfterReconnect() throws Exception {
        Mqtt3BlockingClient sub = client("manual-ack");
        sub.connectWith().cleanSession(false).send();
        List<Mqtt3Publish> held = new ArrayList<>();
        sub.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> {
            synchronized (held) {
                held.add(p);      // never acknowledged
            }
        }, true);
        sub.subscribeWith().topicFilter("jobs").qos(MqttQos.AT_LEAST_ONCE).send();
        try (MqttProbe app = MqttProbe.connect(port)) {
            app.publish("jobs", "job-1");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            synchronized (held) {
                return held.size() == 1;
            }
        });
        sub.disconnect();

        Mqtt3BlockingClient again = client("manual-ack");
        List<String> redelivered = new ArrayList<>();
        again.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> {
            synchronized (redelivered) {
                redelivered.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
        });
        again.connectWith().cleanSession(false).send();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            synchronized (redelivered) {
                assertThat(redelivered).containsExactly("job-1");
            }
        });
        again.disconnect();
    }

    @Test
    void willIsPublishedWhenAClientVanishes() throws Exception {
        try (MqttProbe watcher = MqttProbe.connect(port, "wills/#")) {
            RawMqtt graceful = RawMqtt.connect(port, "will-graceful", 60, "wills/graceful", "lost");
            graceful.send(0xE0, new byte[0]);   // DISCONNECT: the will is discarded
            graceful.close();
            RawMqtt abrupt = RawMqtt.connect(port, "will-abrupt", 60, "wills/abrupt", "lost");
            abrupt.close();
            assertThat(watcher.text("wills/abrupt")).isEqualTo("lost");
            assertThat(watcher.topics()).doesNotContain("wills/graceful");
        }
    }

    @Test
    void silentClientIsDroppedAfterOneAndAHalfKeepAlives() throws Exception {
        try (MqttProbe watcher = MqttProbe.connect(port, "wills/#")) {
            RawMqtt silent = RawMqtt.connect(port, "silent", 1, "wills/silent", "timed out");
            long start = System.nanoTime();
            assertThat(silent.closedByBroker()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not before 1.5 s").isGreaterThan(Duration.ofMillis(1_000));
            assertThat(watcher.text("wills/silent")).isEqualTo("timed out");
            silent.close();
        }
    }

    @Test
    void mqtt5ClientCanUseTheBroker() throws Exception {
        var v5 = MqttClient.builder().useMqttVersion5().identifier("v5-client").serverHost("127.0.0.1").serverPort(port).buildBlocking();
        v5.connect();
        try (var publishes = v5.publishes(MqttGlobalPublishFilter.ALL)) {
            v5.subscribeWith().topicFilter("v5/+").qos(MqttQos.AT_LEAST_ONCE).send();
            v5.publishWith().topic("v5/x").payload("five".getBytes()).qos(MqttQos.AT_LEAST_ONCE).send();
            var p = publishes.receive(20, TimeUnit.SECONDS).orElseThrow();
            assertThat(new String(p.getPayloadAsBytes())).isEqualTo("five");
        }
        v5.disconnect();
    }

    @Test
    void brokerGaugesAreInTheNodesRegistry() {
        try (MqttProbe probe = MqttProbe.connect(port, "gauge/#")) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                String scrape = edge.core().metrics().scrape();
                assertThat(scrape).contains("edgetwin_mqtt_connected 1.0");
                assertThat(scrape).containsPattern("edgetwin_mqtt_clients [1-9]");
                assertThat(scrape).containsPattern("edgetwin_mqtt_subscriptions [1-9]");
            });
        }
    }

    @Test
    void invalidTopicClosesTheConnectionButNotTheBroker() throws Exception {
        RawMqtt bad = RawMqtt.connect(port, "bad-topic", 60, null, null);
        bad.publish("a/+/b", "x".getBytes());
        assertThat(bad.closedByBroker()).isTrue();
        bad.close();
        try (MqttProbe still = MqttProbe.connect(port, "ok")) {
            still.publish("ok", "fine");
            assertThat(still.text("ok")).isEqualTo("fine");
        }
    }
}
