package dev.edgetwin.edge.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import dev.edgetwin.edge.EdgeConfig;
import dev.edgetwin.edge.EdgeNode;
import dev.edgetwin.edge.testkit.RawMqtt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What MQTT 5 requires of a broker around what it does and does not offer, checked against a real
 * edge with HiveMQ's client and, for packets a client library will not send, raw bytes: an
 * assigned client id in CONNACK, Response Information for a client that asks and a request answered
 * on the topic it names, enhanced authentication and QoS 2 refused with their reason
 * codes, topic aliases a client sets and uses (HiveMQ's maps them on its own), bad aliases and
 * invalid topics ending the connection with DISCONNECT and a reason, and a client told why the
 * broker closed its connection (session taken over, server shutting down).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Mqtt5ConformanceTest {
    EdgeNode edge;
    int port;

    @BeforeAll
    void start(@TempDir Path dir) {
        edge = EdgeNode.start(EdgeConfig.local("edge-c5", dir));
        port = edge.mqttPort();
    }

    @AfterAll
    void stop() {
        edge.close();
    }

    @Test
    void anEmptyClientIdGetsOneAssignedAndAnMqtt5ClientIsToldWhich() throws Exception {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().serverHost("127.0.0.1").serverPort(port).buildBlocking();
        Mqtt5ConnAck ack = c.connect();
        String assigned = ack.getAssignedClientIdentifier().orElseThrow().toString();
        assertThat(assigned).startsWith("auto-");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = c.publishes(MqttGlobalPublishFilter.ALL)) {
            c.subscribeWith().topicFilter("assigned/#").qos(MqttQos.AT_LEAST_ONCE).send();
            c.publishWith().topic("assigned/1").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("hi")).send();
            assertThat(publishes.receive(20, TimeUnit.SECONDS)).isPresent();
        }
        c.disconnect();

        Mqtt3BlockingClient v3 = v3client(null);
        assertThat(v3.connectWith().cleanSession(true).send().getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);
        v3.disconnect();
        Mqtt3BlockingClient keep = v3client(null);
        assertThatThrownBy(() -> keep.connectWith().cleanSession(false).send()).isInstanceOfSatisfying(Mqtt3ConnAckException.class,
                e -> assertThat(e.getMqttMessage().getReturnCode()).as("MQTT 3.1.1 section 3.1.3.1").isEqualTo(Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED));
    }

    @Test
    void aClientAskingForResponseInformationGetsATopicTreeOfItsOwnAndRequestsAreAnsweredThere() throws Exception {
        Mqtt5BlockingClient requester = MqttClient.builder().useMqttVersion5().identifier("asker-1").serverHost("127.0.0.1").serverPort(port).buildBlocking();
        Mqtt5ConnAck ack = requester.connectWith().restrictions().requestResponseInformation(true).applyRestrictions().send();
        String info = ack.getResponseInformation().orElseThrow().toString();
        assertThat(info).as("MQTT 5 section 3.2.2.3.15").isEqualTo("response/asker-1/");
        Mqtt5BlockingClient responder = MqttClient.builder().useMqttVersion5().identifier("answerer").serverHost("127.0.0.1").serverPort(port).buildBlocking();
        assertThat(responder.connect().getResponseInformation()).as("not asked for: none sent").isEmpty();
        try (Mqtt5BlockingClient.Mqtt5Publishes requests = responder.publishes(MqttGlobalPublishFilter.ALL);
             Mqtt5BlockingClient.Mqtt5Publishes answers = requester.publishes(MqttGlobalPublishFilter.ALL)) {
            responder.subscribeWith().topicFilter("service/time").qos(MqttQos.AT_LEAST_ONCE).send();
            requester.subscribeWith().topicFilter(info + "#").qos(MqttQos.AT_LEAST_ONCE).send();
            requester.publishWith().topic("service/time").qos(MqttQos.AT_LEAST_ONCE).responseTopic(info + "time")
                    .correlationData(utf8("req-7")).payload(utf8("what time is it?")).send();
            var request = requests.receive(20, TimeUnit.SECONDS).orElseThrow();
            responder.publishWith().topic(request.getResponseTopic().orElseThrow()).qos(MqttQos.AT_LEAST_ONCE)
                    .correlationData(request.getCorrelationData().orElseThrow()).payload(utf8("noon")).send();
            var answer = answers.receive(20, TimeUnit.SECONDS).orElseThrow();
            assertThat(answer.getTopic().toString()).isEqualTo("response/asker-1/time");
            assertThat(StandardCharsets.UTF_8.decode(answer.getCorrelationData().orElseThrow()).toString()).isEqualTo("req-7");
            assertThat(new String(answer.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("noon");
        }
        requester.disconnect();
        responder.disconnect();

        // a client id that cannot be a topic level gets none (the section lets a server send none)
        Mqtt5BlockingClient slashed = MqttClient.builder().useMqttVersion5().identifier("site/7").serverHost("127.0.0.1").serverPort(port).buildBlocking();
        assertThat(slashed.connectWith().restrictions().requestResponseInformation(true).applyRestrictions().send().getResponseInformation()).isEmpty();
        slashed.disconnect();
    }

    @Test
    void enhancedAuthenticationIsRefusedWithBadAuthenticationMethod() throws IOException {
        ByteArrayOutputStream props = new ByteArrayOutputStream();
        props.write(0x15);   // Authentication Method
        RawMqtt.string(props, "SCRAM-SHA-256");
        try (RawMqtt raw = RawMqtt.open(port)) {
            raw.send(0x10, connect("auth-1", 0x02, props.toByteArray(), null));
            byte[] connack = raw.readPacket();
            assertThat(connack[0]).isEqualTo((byte) 0x20);
            assertThat(connack[2] & 0xFF).isEqualTo(0x8C);
            assertThat(new String(connack, StandardCharsets.UTF_8)).as("the Reason String").contains("enhanced authentication is not offered");
            assertThat(raw.readPacket()).as("closed").isNull();
        }
    }

    @Test
    void aWillAtQos2IsRefusedWithQosNotSupported() throws IOException {
        try (RawMqtt raw = RawMqtt.open(port)) {
            raw.send(0x10, connect("will-2", 0x02 | 0x04 | 0x10, new byte[0], "wills/will-2"));
            byte[] connack = raw.readPacket();
            assertThat(connack[2] & 0xFF).isEqualTo(0x9B);
            assertThat(new String(connack, StandardCharsets.UTF_8)).contains("the broker's maximum is 1");
        }
    }

    @Test
    void aPublishTheBrokerCannotTakeEndsTheConnectionWithItsReason() throws IOException {
        // QoS 2 above the Maximum QoS 1; topic aliases 0 and past mqtt.topicAliasMaximum (10), one used before it was set;
        // U+0000 in a topic name (a wildcard in one Netty's decoder refuses before the broker sees it: the connection just closes)
        assertThat(disconnectAfter(0x34, publishBody("qos/2", true, new byte[0]))).isEqualTo(0x9B);
        assertThat(disconnectAfter(0x30, publishBody("alias/1", false, new byte[]{0x23, 0, 11}))).isEqualTo(0x94);
        assertThat(disconnectAfter(0x30, publishBody("alias/0", false, new byte[]{0x23, 0, 0}))).isEqualTo(0x94);
        assertThat(disconnectAfter(0x30, publishBody("", false, new byte[]{0x23, 0, 5}))).isEqualTo(0x82);
        assertThat(disconnectAfter(0x30, publishBody("bad/\u0000/name", false, new byte[0]))).isEqualTo(0x90);
    }

    @Test
    void aTopicAliasStandsForTheTopicItWasSetWith() throws Exception {
        Mqtt3BlockingClient listener = v3client("alias-listener");
        listener.connect();
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = listener.publishes(MqttGlobalPublishFilter.ALL);
             RawMqtt raw = RawMqtt.open(port)) {
            listener.subscribeWith().topicFilter("aliased/#").qos(MqttQos.AT_LEAST_ONCE).send();
            raw.send(0x10, connect("alias-user", 0x02, new byte[0], null));
            assertThat(raw.readPacket()[2]).isZero();
            raw.send(0x30, publishBody("aliased/lamp-1", false, new byte[]{0x23, 0, 10}, "1"));   // sets alias 10
            raw.send(0x30, publishBody("", false, new byte[]{0x23, 0, 10}, "2"));                 // uses it
            raw.send(0x30, publishBody("aliased/lamp-2", false, new byte[]{0x23, 0, 10}, "3"));   // sets it anew
            raw.send(0x32, publishBody("", true, new byte[]{0x23, 0, 10}, "4"));                  // QoS 1 on it
            byte[] puback = raw.readPacket();
            assertThat(puback[0]).as("PUBACK").isEqualTo((byte) 0x40);
            // (in any order: the listener's client hands QoS 0 and QoS 1 messages on by different paths)
            List<String> topics = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 4; i++) {
                var p = publishes.receive(20, TimeUnit.SECONDS).orElseThrow();
                topics.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8) + " " + p.getTopic());
            }
            assertThat(topics).containsExactlyInAnyOrder("1 aliased/lamp-1", "2 aliased/lamp-1", "3 aliased/lamp-2", "4 aliased/lamp-2");
        }
        listener.disconnect();
    }

    @Test
    void hiveMqsClientMapsTopicsToAliasesOnItsOwnAndEveryMessageArrivesOnItsTopic() throws InterruptedException {
        Mqtt5BlockingClient sender = Mqtt5ClientTest.client("alias-sender", port);
        assertThat(sender.connect().getRestrictions().getTopicAliasMaximum()).as("mqtt.topicAliasMaximum").isEqualTo(10);
        Mqtt5BlockingClient receiver = Mqtt5ClientTest.client("alias-receiver", port);
        receiver.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = receiver.publishes(MqttGlobalPublishFilter.ALL)) {
            receiver.subscribeWith().topicFilter("auto/#").qos(MqttQos.AT_LEAST_ONCE).send();
            // more topics than aliases, each again and again: the client's mapping sets, uses and replaces aliases
            for (int i = 0; i < 300; i++) {
                sender.publishWith().topic("auto/" + (i % 15)).qos(MqttQos.AT_LEAST_ONCE).payload(utf8("auto/" + (i % 15))).send();
            }
            for (int i = 0; i < 300; i++) {
                var p = publishes.receive(20, TimeUnit.SECONDS).orElseThrow();
                assertThat(p.getTopic().toString()).isEqualTo(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
        }
        sender.disconnect();
        receiver.disconnect();
    }

    @Test
    void theBrokerSendsTheFirstTopicsUnderAliasesAsFarAsTheClientTakesThem() throws Exception {
        ByteArrayOutputStream props = new ByteArrayOutputStream();
        props.writeBytes(new byte[]{0x22, 0, 2});   // Topic Alias Maximum 2
        Mqtt5BlockingClient sender = Mqtt5ClientTest.client("down-sender", port);
        sender.connect();
        try (RawMqtt raw = RawMqtt.open(port)) {
            raw.send(0x10, connect("down-raw", 0x02, props.toByteArray(), null));
            assertThat(raw.readPacket()[2]).isZero();
            ByteArrayOutputStream sub = new ByteArrayOutputStream();
            sub.writeBytes(new byte[]{0, 7, 0});   // packet id 7, no properties
            RawMqtt.string(sub, "down/#");
            sub.write(0);                          // QoS 0
            raw.send(0x82, sub.toByteArray());
            assertThat(raw.readPacket()[0]).as("SUBACK").isEqualTo((byte) 0x90);
            for (String t : List.of("down/a", "down/a", "down/b", "down/c", "down/c", "down/b")) {
                sender.publishWith().topic(t).payload(utf8(t)).send();
            }
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 6; i++) seen.add(topicAndAlias(raw.readPacket()));
            assertThat(seen).containsExactly("down/a 1", " 1", "down/b 2", "down/c 0", "down/c 0", " 2");
        }
        sender.disconnect();

        // HiveMQ's client takes them and hands each message on with its topic
        Mqtt5BlockingClient receiver = Mqtt5ClientTest.client("down-receiver", port);
        receiver.connectWith().restrictions().topicAliasMaximum(3).applyRestrictions().send();
        Mqtt5BlockingClient again = Mqtt5ClientTest.client("down-sender-2", port);
        again.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = receiver.publishes(MqttGlobalPublishFilter.ALL)) {
            receiver.subscribeWith().topicFilter("many/#").qos(MqttQos.AT_LEAST_ONCE).send();
            for (int i = 0; i < 120; i++) again.publishWith().topic("many/" + (i % 6)).qos(MqttQos.AT_LEAST_ONCE).payload(utf8("many/" + (i % 6))).send();
            for (int i = 0; i < 120; i++) {
                var p = publishes.receive(20, TimeUnit.SECONDS).orElseThrow();
                assertThat(p.getTopic().toString()).isEqualTo(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
        }
        again.disconnect();
        receiver.disconnect();
    }

    /** A QoS 0 MQTT 5 PUBLISH packet's topic name and Topic Alias (0: none), space-separated. */
    private static String topicAndAlias(byte[] packet) {
        List<Integer> alias = new ArrayList<>();
        String topic = publishProperties(packet, 0x23, alias);
        return topic + " " + (alias.isEmpty() ? 0 : alias.get(0));
    }

    @Test
    void subscriptionIdentifiersTakeEachMessageToTheCallbacksOfTheSubscriptionsItMatches() throws Exception {
        // HiveMQ's async client gives each subscription with a callback an identifier when CONNACK allows them
        var c = MqttClient.builder().useMqttVersion5().identifier("ids").serverHost("127.0.0.1").serverPort(port).buildAsync();
        assertThat(c.connect().get(20, TimeUnit.SECONDS).getRestrictions().areSubscriptionIdentifiersAvailable()).isTrue();
        List<String> all = new CopyOnWriteArrayList<>();
        List<String> states = new CopyOnWriteArrayList<>();
        c.subscribeWith().topicFilter("ids/#").qos(MqttQos.AT_LEAST_ONCE).callback(p -> all.add(p.getTopic().toString())).send()
                .get(20, TimeUnit.SECONDS);
        c.subscribeWith().topicFilter("ids/+/state").qos(MqttQos.AT_LEAST_ONCE).callback(p -> states.add(p.getTopic().toString())).send()
                .get(20, TimeUnit.SECONDS);
        Mqtt5BlockingClient sender = Mqtt5ClientTest.client("ids-sender", port);
        sender.connect();
        for (String t : List.of("ids/1/state", "ids/1/power", "ids/2/state")) {
            sender.publishWith().topic(t).qos(MqttQos.AT_LEAST_ONCE).payload(utf8(t)).send();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> all.size() == 3 && states.size() == 2);
        assertThat(all).containsExactly("ids/1/state", "ids/1/power", "ids/2/state");
        assertThat(states).containsExactly("ids/1/state", "ids/2/state");
        c.disconnect().get(20, TimeUnit.SECONDS);

        // on the wire: one PUBLISH per message, with the identifier of each subscription it matches
        try (RawMqtt raw = RawMqtt.open(port)) {
            raw.send(0x10, connect("ids-raw", 0x02, new byte[0], null));
            assertThat(raw.readPacket()[2]).isZero();
            raw.send(0x82, subscribe(1, "rawid/#", 300));   // 300: a two-byte variable integer
            assertThat(raw.readPacket()[0]).isEqualTo((byte) 0x90);
            raw.send(0x82, subscribe(2, "rawid/x/#", 5));
            assertThat(raw.readPacket()[0]).isEqualTo((byte) 0x90);
            raw.send(0x82, subscribe(3, "rawid/y", 0));
            assertThat(raw.readPacket()[0]).isEqualTo((byte) 0x90);
            for (String t : List.of("rawid/x/1", "rawid/y", "rawid/z")) sender.publishWith().topic(t).payload(utf8(t)).send();
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) seen.add(topicAndSubscriptionIds(raw.readPacket()));
            assertThat(seen).containsExactly("rawid/x/1 [5, 300]", "rawid/y [300]", "rawid/z [300]");
        }
        sender.disconnect();
    }

    /** An MQTT 5 SUBSCRIBE body: packet id, a Subscription Identifier unless 0, one filter at QoS 0. */
    private static byte[] subscribe(int packetId, String filter, int subscriptionId) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[]{0, (byte) packetId});
        if (subscriptionId == 0) {
            b.write(0);
        } else {
            ByteArrayOutputStream id = new ByteArrayOutputStream();
            for (int v = subscriptionId; ; ) {
                int digit = v % 128;
                v /= 128;
                id.write(v > 0 ? digit | 0x80 : digit);
                if (v == 0) break;
            }
            b.write(1 + id.size());
            b.write(0x0B);
            b.writeBytes(id.toByteArray());
        }
        RawMqtt.string(b, filter);
        b.write(0);
        return b.toByteArray();
    }

    /** A QoS 0 MQTT 5 PUBLISH packet's topic and its Subscription Identifiers (in any order on the wire), as "topic [a, b]" ascending. */
    private static String topicAndSubscriptionIds(byte[] packet) {
        List<Integer> ids = new ArrayList<>();
        String topic = publishProperties(packet, 0x0B, ids);
        ids.sort(null);
        return topic + " " + ids;
    }

    /**
     * The topic name of a QoS 0 MQTT 5 PUBLISH packet, its properties' values added to
     * {@code values}: they must all be of type {@code type}, a Topic Alias (0x23, two bytes) or
     * Subscription Identifiers (0x0B, variable byte integers); under 128 bytes of them.
     */
    private static String publishProperties(byte[] packet, int type, List<Integer> values) {
        assertThat(packet[0] & 0xF0).as("PUBLISH").isEqualTo(0x30);
        ByteBuffer b = ByteBuffer.wrap(packet, 1, packet.length - 1);
        byte[] topic = new byte[b.getShort()];
        b.get(topic);
        int propsLength = b.get();
        for (int end = b.position() + propsLength; b.position() < end; ) {
            assertThat((int) b.get()).as("only properties of type " + type).isEqualTo(type);
            int value = 0;
            if (type == 0x23) {
                value = b.getShort();
            } else {
                for (int shift = 0, digit = 0x80; (digit & 0x80) != 0; shift += 7) {
                    digit = b.get() & 0xFF;
                    value |= (digit & 0x7F) << shift;
                }
            }
            values.add(value);
        }
        return new String(topic, StandardCharsets.UTF_8);
    }

    @Test
    void aClientWhoseSessionIsTakenOverIsToldSo() {
        List<Throwable> causes = new CopyOnWriteArrayList<>();
        Mqtt5BlockingClient first = MqttClient.builder().useMqttVersion5().identifier("taken").serverHost("127.0.0.1").serverPort(port)
                .addDisconnectedListener(ctx -> causes.add(ctx.getCause())).buildBlocking();
        first.connect();
        Mqtt5BlockingClient second = Mqtt5ClientTest.client("taken", port);
        second.connect();
        await().atMost(Duration.ofSeconds(20)).until(() -> !causes.isEmpty());
        assertThat(causes.get(0)).isInstanceOfSatisfying(Mqtt5DisconnectException.class,
                e -> {
                    assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER);
                    assertThat(e.getMqttMessage().getReasonString().map(Object::toString)).hasValueSatisfying(r -> assertThat(r).contains("took the session over"));
                });
        second.disconnect();
    }

    @Test
    void clientsAreToldWhenTheEdgeStops(@TempDir Path dir) {
        EdgeNode other = EdgeNode.start(EdgeConfig.local("edge-c5-stop", dir));
        List<Throwable> causes = new CopyOnWriteArrayList<>();
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier("stays").serverHost("127.0.0.1")
                .serverPort(other.mqttPort()).addDisconnectedListener(ctx -> causes.add(ctx.getCause())).buildBlocking();
        c.connect();
        other.close();
        await().atMost(Duration.ofSeconds(20)).until(() -> !causes.isEmpty());
        assertThat(causes.get(0)).isInstanceOfSatisfying(Mqtt5DisconnectException.class,
                e -> {
                    assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5DisconnectReasonCode.SERVER_SHUTTING_DOWN);
                    assertThat(e.getMqttMessage().getReasonString().map(Object::toString)).hasValue("the edge is stopping");
                });
    }

    /** An MQTT 3.1.1 client of the edge; null: no client id (the broker assigns one). */
    private Mqtt3BlockingClient v3client(String id) {
        var b = MqttClient.builder().useMqttVersion3().serverHost("127.0.0.1").serverPort(port);
        return (id == null ? b : b.identifier(id)).buildBlocking();
    }

    /** The reason code of the DISCONNECT the broker answers this packet with, after a plain MQTT 5 CONNECT. */
    private int disconnectAfter(int first, byte[] body) throws IOException {
        try (RawMqtt raw = RawMqtt.open(port)) {
            raw.send(0x10, connect("raw-" + first + "-" + body.length, 0x02, new byte[0], null));
            assertThat(raw.readPacket()[2]).as("CONNACK success").isZero();
            raw.send(first, body);
            byte[] disconnect = raw.readPacket();
            assertThat(disconnect[0]).as("DISCONNECT").isEqualTo((byte) 0xE0);
            assertThat(new String(disconnect, StandardCharsets.UTF_8)).as("a Reason String").contains("the client ");
            assertThat(raw.readPacket()).as("closed").isNull();
            return disconnect[1] & 0xFF;
        }
    }

    /** An MQTT 5 CONNECT body: {@code flags}, keep-alive 30 s, the properties (under 128 bytes), a will on {@code willTopic} if given. */
    private static byte[] connect(String clientId, int flags, byte[] properties, String willTopic) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[]{0, 4, 'M', 'Q', 'T', 'T', 5, (byte) flags, 0, 30, (byte) properties.length});
        b.writeBytes(properties);
        RawMqtt.string(b, clientId);
        if (willTopic != null) {
            b.write(0);   // no will properties
            RawMqtt.string(b, willTopic);
            RawMqtt.string(b, "gone");
        }
        return b.toByteArray();
    }

    /** An MQTT 5 PUBLISH body: topic, a packet id when {@code withId}, the properties (under 128 bytes), a short payload. */
    private static byte[] publishBody(String topic, boolean withId, byte[] properties) {
        return publishBody(topic, withId, properties, "x");
    }

    private static byte[] publishBody(String topic, boolean withId, byte[] properties, String payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        RawMqtt.string(b, topic);
        if (withId) b.writeBytes(new byte[]{0, 1});
        b.write(properties.length);
        b.writeBytes(properties);
        b.writeBytes(utf8(payload));
        return b.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
