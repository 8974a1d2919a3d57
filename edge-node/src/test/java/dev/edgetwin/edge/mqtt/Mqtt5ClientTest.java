package dev.edgetwin.edge.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckRestrictions;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.edgetwin.edge.EdgeConfig;
import dev.edgetwin.edge.EdgeNode;
import dev.edgetwin.edge.mqtt.broker.Acl;
import dev.edgetwin.log.model.JsonValues;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The embedded broker with MQTT 5 clients (HiveMQ's, in v5 mode): what CONNACK says, session
 * expiry by the client's interval, message properties (request/response), message expiry,
 * subscription options, delayed wills, reason codes, and v5 and v3.1.1 clients side by side.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Mqtt5ClientTest {
    EdgeNode edge;
    int port;

    @BeforeAll
    void start(@TempDir Path dir) {
        edge = EdgeNode.start(EdgeConfig.local("edge-v5", dir));
        port = edge.mqttPort();
    }

    @AfterAll
    void stop() {
        edge.close();
    }

    Mqtt5BlockingClient client(String id) {
        return client(id, port);
    }

    static Mqtt5BlockingClient client(String id, int port) {
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }

    /** An MQTT 3.1.1 client beside the v5 ones. */
    Mqtt3BlockingClient v3client(String id) {
        return MqttClient.builder().useMqttVersion3().identifier(id).serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(Mqtt5Publish p) {
        return new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void connackSaysWhatTheBrokerDoesNotDoAndTheExpiryGranted() {
        Mqtt5BlockingClient c = client("v5-connack");
        Mqtt5ConnAck ack = c.connectWith().cleanStart(true).sessionExpiryInterval(0xFFFF_FFFFL).send();
        Mqtt5ConnAckRestrictions r = ack.getRestrictions();
        assertThat(r.getMaximumQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
        assertThat(r.areSubscriptionIdentifiersAvailable()).isTrue();
        assertThat(r.isSharedSubscriptionAvailable()).isTrue();
        assertThat(r.getTopicAliasMaximum()).as("mqtt.topicAliasMaximum").isEqualTo(10);
        assertThat(r.isWildcardSubscriptionAvailable()).isTrue();
        assertThat(r.isRetainAvailable()).isTrue();
        assertThat(r.getMaximumPacketSize()).as("mqtt.maxMessageBytes").isEqualTo(4 * 1024 * 1024);
        assertThat(ack.getSessionExpiryInterval()).as("never, capped at mqtt.sessionExpirySeconds").hasValue(86_400);
        c.disconnectWith().sessionExpiryInterval(0).send();

        Mqtt5BlockingClient d = client("v5-connack-2");
        assertThat(d.connectWith().sessionExpiryInterval(60).send().getSessionExpiryInterval()).as("granted as asked: not repeated").isEmpty();
        d.disconnectWith().sessionExpiryInterval(0).send();
    }

    @Test
    void propertiesGoFromPublisherToSubscriberForRequestAndResponse() throws Exception {
        Mqtt5BlockingClient service = client("v5-service");
        Mqtt5BlockingClient caller = client("v5-caller");
        Mqtt3BlockingClient old = v3client("v3-listener");
        service.connect();
        caller.connect();
        old.connect();
        try (var requests = service.publishes(MqttGlobalPublishFilter.ALL);
             var responses = caller.publishes(MqttGlobalPublishFilter.ALL);
             var oldSeen = old.publishes(MqttGlobalPublishFilter.ALL)) {
            service.subscribeWith().topicFilter("svc/lamp/+/get").qos(MqttQos.AT_LEAST_ONCE).send();
            caller.subscribeWith().topicFilter("reply/v5-caller").qos(MqttQos.AT_LEAST_ONCE).send();
            old.subscribeWith().topicFilter("svc/#").qos(MqttQos.AT_LEAST_ONCE).send();

            caller.publishWith().topic("svc/lamp/1/get").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("{\"what\":\"powerstatus\"}"))
                    .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8).contentType("application/json")
                    .responseTopic("reply/v5-caller").correlationData(utf8("req-42"))
                    .userProperties().add("trace", "a").add("trace", "b").add("site", "lab").applyUserProperties().send();

            Mqtt5Publish request = requests.receive(20, TimeUnit.SECONDS).orElseThrow();
            assertThat(request.getPayloadFormatIndicator()).hasValue(Mqtt5PayloadFormatIndicator.UTF_8);
            assertThat(request.getContentType().map(Object::toString)).hasValue("application/json");
            assertThat(request.getResponseTopic().map(Object::toString)).hasValue("reply/v5-caller");
            assertThat(request.getCorrelationData().map(Mqtt5ClientTest::bytes)).hasValue(utf8("req-42"));
            assertThat(request.getUserProperties().asList()).extracting(p -> p.getName() + "=" + p.getValue())
                    .containsExactly("trace=a", "trace=b", "site=lab");
            assertThat(request.getMessageExpiryInterval()).isEmpty();

            // the service answers on the response topic with the correlation data, as MQTT 5 section 4.10 describes
            service.publishWith().topic(request.getResponseTopic().orElseThrow()).qos(MqttQos.AT_LEAST_ONCE)
                    .correlationData(request.getCorrelationData().orElseThrow()).payload(utf8("ON")).send();
            Mqtt5Publish response = responses.receive(20, TimeUnit.SECONDS).orElseThrow();
            assertThat(text(response)).isEqualTo("ON");
            assertThat(response.getCorrelationData().map(Mqtt5ClientTest::bytes)).hasValue(utf8("req-42"));

            // an MQTT 3.1.1 subscriber gets the same message, without properties
            assertThat(new String(oldSeen.receive(20, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"what\":\"powerstatus\"}");
        }
        service.disconnect();
        caller.disconnect();
        old.disconnect();
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    void aSessionLivesAsLongAsItsClientAsked() {
        Mqtt5BlockingClient mapper = client("v5-expiring");
        assertThat(mapper.connectWith().cleanStart(true).sessionExpiryInterval(2).send().isSessionPresent()).isFalse();
        mapper.subscribeWith().topicFilter("cmd/v5-expiring").qos(MqttQos.AT_LEAST_ONCE).send();
        mapper.disconnect();
        Mqtt5BlockingClient sender = client("v5-sender");
        sender.connect();
        sender.publishWith().topic("cmd/v5-expiring").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("while away")).send();
        try (var publishes = mapper.publishes(MqttGlobalPublishFilter.ALL)) {
            assertThat(mapper.connectWith().cleanStart(false).sessionExpiryInterval(2).send().isSessionPresent()).isTrue();
            assertThat(text(publishes.receive(20, TimeUnit.SECONDS).orElseThrow())).isEqualTo("while away");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        mapper.disconnect();
        // two seconds away: the broker's timer ends it
        await().atMost(Duration.ofSeconds(20)).until(() -> edge.core().metrics().scrape().contains("edgetwin_mqtt_sessions_expired_total 1.0"));
        assertThat(mapper.connectWith().cleanStart(false).sessionExpiryInterval(2).send().isSessionPresent()).isFalse();
        mapper.disconnectWith().sessionExpiryInterval(0).send();

        // no interval: the session ends with the connection, clean start or not
        Mqtt5BlockingClient brief = client("v5-brief");
        brief.connectWith().cleanStart(false).send();
        brief.subscribeWith().topicFilter("cmd/v5-brief").send();
        brief.disconnect();
        assertThat(brief.connectWith().cleanStart(false).send().isSessionPresent()).isFalse();
        brief.disconnect();
        sender.disconnect();
    }

    @Test
    void aMessageThatExpiresBeforeItsSubscriberIsBackIsNotSent() throws Exception {
        Mqtt5BlockingClient away = client("v5-away");
        away.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
        away.subscribeWith().topicFilter("news/#").qos(MqttQos.AT_LEAST_ONCE).send();
        away.disconnect();
        Mqtt5BlockingClient sender = client("v5-news");
        sender.connect();
        sender.publishWith().topic("news/short").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("stale soon")).messageExpiryInterval(1).send();
        sender.publishWith().topic("news/long").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("still news")).messageExpiryInterval(600).send();
        sender.disconnect();
        Thread.sleep(2_100);
        try (var publishes = away.publishes(MqttGlobalPublishFilter.ALL)) {
            assertThat(away.connectWith().cleanStart(false).sessionExpiryInterval(300).send().isSessionPresent()).isTrue();
            Mqtt5Publish p = publishes.receive(20, TimeUnit.SECONDS).orElseThrow();
            assertThat(text(p)).isEqualTo("still news");
            assertThat(p.getMessageExpiryInterval().orElseThrow()).as("the time it has left").isBetween(500L, 598L);
            assertThat(publishes.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
        }
        assertThat(edge.core().metrics().scrape()).contains("edgetwin_mqtt_messages_expired_total 1.0");
        away.disconnectWith().sessionExpiryInterval(0).send();
    }

    @Test
    void subscriptionOptionsNoLocalRetainAsPublishedAndRetainHandling() throws Exception {
        Mqtt5BlockingClient a = client("v5-options");
        a.connect();
        a.publishWith().topic("opts/retained").qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(utf8("kept")).send();
        try (var publishes = a.publishes(MqttGlobalPublishFilter.ALL)) {
            a.subscribeWith().topicFilter("opts/#").qos(MqttQos.AT_LEAST_ONCE).noLocal(true).retainAsPublished(true)
                    .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST).send();
            Mqtt5Publish first = publishes.receive(20, TimeUnit.SECONDS).orElseThrow();
            assertThat(text(first)).isEqualTo("kept");
            assertThat(first.isRetain()).isTrue();
            a.subscribeWith().topicFilter("opts/#").qos(MqttQos.AT_LEAST_ONCE).noLocal(true).retainAsPublished(true)
                    .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST).send();
            a.publishWith().topic("opts/mine").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("own")).send();

            Mqtt5BlockingClient b = client("v5-options-b");
            b.connect();
            b.publishWith().topic("opts/theirs").qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(utf8("theirs")).send();
            Mqtt5Publish next = publishes.receive(20, TimeUnit.SECONDS).orElseThrow();
            assertThat(text(next)).as("not its own (No Local), not the retained one again (Retain Handling 1)").isEqualTo("theirs");
            assertThat(next.isRetain()).as("Retain As Published").isTrue();

            try (var bSeen = b.publishes(MqttGlobalPublishFilter.ALL)) {
                b.subscribeWith().topicFilter("opts/#").qos(MqttQos.AT_LEAST_ONCE).retainHandling(Mqtt5RetainHandling.DO_NOT_SEND).send();
                a.publishWith().topic("opts/live").qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(utf8("live")).send();
                Mqtt5Publish live = bSeen.receive(20, TimeUnit.SECONDS).orElseThrow();
                assertThat(text(live)).as("no retained messages at its SUBSCRIBE").isEqualTo("live");
                assertThat(live.isRetain()).as("a live delivery without Retain As Published").isFalse();
            }
            b.publishWith().topic("opts/retained").retain(true).payload(new byte[0]).send();
            b.publishWith().topic("opts/theirs").retain(true).payload(new byte[0]).send();
            b.publishWith().topic("opts/live").retain(true).payload(new byte[0]).send();
            b.disconnect();
        }
        a.disconnect();
    }

    @Test
    void workersOfASharedSubscriptionShareItsMessages() throws Exception {
        Mqtt5BlockingClient w1 = client("v5-worker-1");
        Mqtt5BlockingClient w2 = client("v5-worker-2");
        Mqtt3BlockingClient w3 = v3client("v3-worker-3");
        w1.connect();
        w2.connect();
        w3.connect();
        List<String> got = new CopyOnWriteArrayList<>();
        try (var p1 = w1.publishes(MqttGlobalPublishFilter.ALL); var p2 = w2.publishes(MqttGlobalPublishFilter.ALL);
             var p3 = w3.publishes(MqttGlobalPublishFilter.ALL)) {
            w1.subscribeWith().topicFilter("$share/workers/jobs/#").qos(MqttQos.AT_LEAST_ONCE).send();
            w2.subscribeWith().topicFilter("$share/workers/jobs/#").qos(MqttQos.AT_LEAST_ONCE).send();
            w3.subscribeWith().topicFilter("$share/workers/jobs/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5BlockingClient producer = client("v5-producer");
            producer.connect();
            for (int i = 0; i < 9; i++) producer.publishWith().topic("jobs/" + i).qos(MqttQos.AT_LEAST_ONCE).payload(utf8("job-" + i)).send();
            producer.disconnect();
            for (int i = 0; i < 3; i++) {
                got.add("w1:" + text(p1.receive(20, TimeUnit.SECONDS).orElseThrow()));
                got.add("w2:" + text(p2.receive(20, TimeUnit.SECONDS).orElseThrow()));
                got.add("w3:" + new String(p3.receive(20, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            assertThat(p1.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
            assertThat(p2.receive(10, TimeUnit.MILLISECONDS)).isEmpty();
            assertThat(p3.receive(10, TimeUnit.MILLISECONDS)).isEmpty();
        }
        assertThat(got).extracting(g -> g.substring(3)).as("each job once, three per worker in turn")
                .containsExactlyInAnyOrder("job-0", "job-1", "job-2", "job-3", "job-4", "job-5", "job-6", "job-7", "job-8");
        assertThat(got).containsSubsequence("w1:job-0", "w1:job-3", "w1:job-6");
        w1.disconnect();
        w2.disconnect();
        w3.disconnect();
    }

    @Test
    void aDelayedWillGoesOutOnlyIfTheClientStaysAway() throws Exception {
        Mqtt5BlockingClient watcher = client("v5-watcher");
        watcher.connect();
        try (var wills = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith().topicFilter("wills/#").qos(MqttQos.AT_LEAST_ONCE).send();

            Mqtt5BlockingClient back = client("v5-back");
            back.connectWith().cleanStart(true).sessionExpiryInterval(60)
                    .willPublish().topic("wills/back").payload(utf8("back is gone")).qos(MqttQos.AT_LEAST_ONCE).delayInterval(2).applyWillPublish()
                    .send();
            back.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
            back.connectWith().cleanStart(false).sessionExpiryInterval(60).send();

            Mqtt5BlockingClient gone = client("v5-gone");
            gone.connectWith().cleanStart(true).sessionExpiryInterval(60)
                    .willPublish().topic("wills/gone").payload(utf8("gone is gone")).qos(MqttQos.AT_LEAST_ONCE).delayInterval(1).applyWillPublish()
                    .send();
            gone.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();

            Mqtt5Publish will = wills.receive(20, TimeUnit.SECONDS).orElseThrow();
            assertThat(will.getTopic().toString()).isEqualTo("wills/gone");
            // the first client came back within its will's two seconds: its will never goes
            assertThat(wills.receive(3, TimeUnit.SECONDS)).isEmpty();
            back.disconnectWith().sessionExpiryInterval(0).send();
            assertThat(wills.receive(500, TimeUnit.MILLISECONDS)).as("a normal DISCONNECT drops it").isEmpty();
        }
        watcher.disconnect();
    }

    @Test
    void aTwinUpdateFromAnMqtt5MapperGetsItsResult() throws Exception {
        Mqtt5BlockingClient mapper = client("v5-mapper");
        mapper.connect();
        String base = "$hw/events/device/default/v5-lamp/twin/update";
        try (var publishes = mapper.publishes(MqttGlobalPublishFilter.ALL)) {
            mapper.subscribeWith().topicFilter(base + "/result").qos(MqttQos.AT_LEAST_ONCE).send();
            mapper.publishWith().topic(base).qos(MqttQos.AT_LEAST_ONCE).userProperties().add("mapper", "gpio").applyUserProperties()
                    .payload(utf8("{\"event_id\":\"v5-1\",\"timestamp\":1,\"twin\":{\"powerstatus\":{\"actual\":{\"value\":\"ON\"}}}}")).send();
            Mqtt5Publish result = publishes.receive(20, TimeUnit.SECONDS).orElseThrow();
            var json = JsonValues.MAPPER.readTree(result.getPayloadAsBytes());
            assertThat(json.path("event_id").asText()).isEqualTo("v5-1");
        }
        mapper.disconnect();
    }

    @Test
    void theAclRefusesWithNotAuthorized(@TempDir Path dir) {
        Acl acl = Acl.parse(List.of("pattern readwrite own/%c/#"), "acl");
        EdgeConfig config = EdgeConfig.local("edge-v5-acl", dir);
        try (EdgeNode guarded = EdgeNode.start(config.withMqtt(config.mqtt().withAcl(acl)))) {
            Mqtt5BlockingClient c = client("v5-guest", guarded.mqttPort());
            c.connect();
            Mqtt5SubAck ack = catchThrowableOfType(() -> c.subscribeWith()
                    .addSubscription().topicFilter("own/v5-guest/#").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                    .addSubscription().topicFilter("other/#").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                    .send(), Mqtt5SubAckException.class).getMqttMessage();
            assertThat(ack.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1, Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
            assertThat(ack.getReasonString().map(Object::toString).orElseThrow()).contains("does not let this client read it");
            // the blocking client reports a PUBACK with an error code as an exception carrying the PUBACK
            Mqtt5PubAck refused = catchThrowableOfType(() -> c.publishWith().topic("other/x").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(utf8("no")).send(), Mqtt5PubAckException.class).getMqttMessage();
            assertThat(refused.getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
            assertThat(refused.getReasonString().map(Object::toString).orElseThrow()).contains("does not let this client publish to");
            Mqtt5PublishResult allowed = c.publishWith().topic("own/v5-guest/x").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("yes")).send();
            assertThat(((Mqtt5PublishResult.Mqtt5Qos1Result) allowed).getPubAck().getReasonCode()).isIn(
                    Mqtt5PubAckReasonCode.SUCCESS, Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);
            assertThat(allowed.getError()).isEqualTo(Optional.empty());
            c.disconnect();

            // Request Problem Information 0: the codes only
            Mqtt5BlockingClient terse = client("v5-terse", guarded.mqttPort());
            terse.connectWith().restrictions().requestProblemInformation(false).applyRestrictions().send();
            Mqtt5PubAck quiet = catchThrowableOfType(() -> terse.publishWith().topic("other/x").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(utf8("no")).send(), Mqtt5PubAckException.class).getMqttMessage();
            assertThat(quiet.getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
            assertThat(quiet.getReasonString()).isEmpty();
            terse.disconnect();
        }
    }
}
