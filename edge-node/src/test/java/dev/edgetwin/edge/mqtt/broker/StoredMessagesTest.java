package dev.edgetwin.edge.mqtt.broker;

import dev.edgetwin.edge.mqtt.broker.BrokerTest.Link;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;

import static dev.edgetwin.edge.mqtt.broker.BrokerTest.msg;
import static dev.edgetwin.edge.mqtt.broker.BrokerTest.sub;
import static dev.edgetwin.edge.mqtt.broker.Mqtt5BrokerTest.expiring;
import static dev.edgetwin.edge.mqtt.broker.Mqtt5BrokerTest.v5;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The messages the broker keeps across a restart ({@link Broker#storedMessages}, {@link
 * Broker#restore(StoredMessages)}): retained ones and those persistent sessions hold, through the
 * file's bytes ({@link StoredMessagesCodec}) into a new broker, on fake clocks.
 */
class StoredMessagesTest {
    final long[] now = {5_000_000};
    final long[] later = {70_000};   // the restarted broker's clock reads something else entirely
    /** maxQueued 3 per session, queued bytes 1 MiB. */
    final Broker.Settings settings = new Broker.Settings(2, 3, 100, 64, 10, 10, 100, 3_600, 1 << 20, 1 << 20);
    final Broker broker = new Broker(settings, () -> now[0]);

    static Message retained(String topic, String payload) {
        return Message.of(topic, payload, 1, true);
    }

    /** The broker's messages written at wall time {@code savedAt}, read at {@code readAt} into a broker with the sessions restored. */
    Broker restarted(long savedAt, long readAt, Broker.RestoredMessages[] result) {
        byte[] file = StoredMessagesCodec.encode(broker.storedMessages(), savedAt);
        Broker b = new Broker(settings, () -> later[0]);
        for (Broker.StoredSession s : StoredSessionsCodec.decode(StoredSessionsCodec.encode(broker.storedSessions()))) b.restore(s);
        result[0] = b.restore(StoredMessagesCodec.decode(file, readAt).messages());
        return b;
    }

    @Test
    void retainedMessagesAndWhatPersistentSessionsHoldComeBackAfterARestart() {
        MessageProperties props = new MessageProperties(1, -1, "text/plain", "reply/x", new byte[]{1, 2},
                List.of(new AbstractMap.SimpleImmutableEntry<>("k", "v")));
        broker.publish(new Message("state/lamp", "ON".getBytes(StandardCharsets.UTF_8), 1, true, props));
        broker.publish(retained("state/fan", "OFF"));
        broker.publish(Message.of("$SYS/broker/uptime", "5", 0, true));
        Link mapper = new Link();
        broker.connect("mapper", false, null, mapper);
        broker.subscribe(mapper, sub("cmd/#", 1));
        broker.publish(msg("cmd/1", "in flight", 1));   // sent, not acknowledged
        broker.disconnected(mapper, false);
        broker.publish(msg("cmd/2", "waiting", 1));
        broker.publish(msg("cmd/3", "qos 0 is not kept", 0));
        Link app = new Link();
        broker.connect("app", true, null, app);   // a clean session's messages end with it anyway
        broker.subscribe(app, sub("cmd/#", 1));
        broker.publish(msg("cmd/4", "for both", 1));

        StoredMessages kept = broker.storedMessages();
        assertThat(kept.retained()).extracting(Message::topic).containsExactlyInAnyOrder("state/lamp", "state/fan");
        assertThat(kept.queued()).containsOnlyKeys("mapper");
        assertThat(kept.queued().get("mapper")).extracting(Message::payloadText).containsExactly("in flight", "waiting", "for both");

        Broker.RestoredMessages[] back = new Broker.RestoredMessages[1];
        Broker b = restarted(1_000, 2_000, back);
        assertThat(back[0]).isEqualTo(new Broker.RestoredMessages(2, 3, 0));
        assertThat(b.retainedCount()).isEqualTo(2);
        assertThat(b.queuedBytes()).isEqualTo(kept.queued().get("mapper").stream().mapToLong(Message::size).sum());

        Link reader = new Link();
        b.connect("reader", true, null, reader);
        b.deliver(reader, b.subscribe(reader, sub("state/#", 1)).retained());
        assertThat(reader.sent).extracting(s -> s.message().topic()).containsExactlyInAnyOrder("state/lamp", "state/fan");
        Message lamp = reader.sent.stream().map(Link.Sent::message).filter(m -> m.topic().equals("state/lamp")).findFirst().orElseThrow();
        assertThat(lamp.properties()).as("the properties as published").isEqualTo(props);
        assertThat(lamp.retain()).isTrue();

        Link again = new Link();
        assertThat(b.connect("mapper", false, null, again)).as("session present").isTrue();
        assertThat(again.payloads()).as("in its window of 2, in order, sent afresh").containsExactly("in flight", "waiting");
        assertThat(again.sent).extracting(Link.Sent::dup).containsOnly(false);
        List.copyOf(again.sent).forEach(s -> b.acknowledged(again, s.packetId()));
        assertThat(again.payloads()).containsExactly("in flight", "waiting", "for both");
    }

    @Test
    void expiryCountsTheTimeTheEdgeWasDown() {
        Link a = new Link();
        broker.connect(v5("a", false, 600), a);
        broker.subscribe(a, sub("t", 1));
        broker.disconnected(a, true);
        broker.publish(new Message("t", "short".getBytes(StandardCharsets.UTF_8), 1, false, expiring(10)));
        broker.publish(new Message("t", "long".getBytes(StandardCharsets.UTF_8), 1, false, expiring(100)));
        broker.publish(new Message("r", "gone".getBytes(StandardCharsets.UTF_8), 1, true, expiring(5)));
        now[0] += 2_000;   // 2 s pass before the save

        byte[] file = StoredMessagesCodec.encode(broker.storedMessages(), 1_000_000);
        StoredMessagesCodec.Decoded read = StoredMessagesCodec.decode(file, 1_000_000 + 20_000);   // down 20 s
        assertThat(read.expired()).as("8 s and 3 s left at the save").isEqualTo(2);
        Broker b = new Broker(settings, () -> later[0]);
        for (Broker.StoredSession s : StoredSessionsCodec.decode(StoredSessionsCodec.encode(broker.storedSessions()))) b.restore(s);
        assertThat(b.restore(read.messages())).isEqualTo(new Broker.RestoredMessages(0, 1, 0));

        later[0] += 10_000;
        Link back = new Link();
        b.connect(v5("a", false, 600), back);
        assertThat(back.payloads()).containsExactly("long");
        assertThat(back.sent.get(0).message().properties().expirySeconds()).as("100 - 2 - 20 - 10 s left").isEqualTo(68);
        later[0] += 68_000;
        assertThat(b.storedMessages().queued()).as("expired in flight: not kept").isEmpty();
    }

    @Test
    void whatNoLongerFitsIsDroppedAndCounted() {
        Link a = new Link();
        broker.connect("a", false, null, a);
        broker.subscribe(a, sub("t", 1));
        broker.disconnected(a, true);
        for (int i = 0; i < 3; i++) broker.publish(msg("t", "m" + i, 1));
        broker.publish(retained("r/1", "x"));
        broker.publish(retained("r/2", "y"));
        byte[] file = StoredMessagesCodec.encode(broker.storedMessages(), 0);

        // fewer queued and retained allowed now, and no session for "a"
        Broker small = new Broker(new Broker.Settings(2, 2, 1, 64, 10, 10, 100, 3_600, 1 << 20, 1 << 20), () -> 0);
        assertThat(small.restore(StoredMessagesCodec.decode(file, 0).messages())).isEqualTo(new Broker.RestoredMessages(1, 0, 4));
        small.restore(new Broker.StoredSession("a", Map.of("t", 1)));
        assertThat(small.restore(StoredMessagesCodec.decode(file, 0).messages()).queued()).as("maxQueued 2").isEqualTo(2);
    }

    @Test
    void theVersionChangesWithWhatIsKeptAndNotWithTheBrokersOwnTopics() {
        long v0 = broker.storedMessagesVersion();
        broker.publish(Message.of("$SYS/broker/uptime", "1", 0, true));
        broker.publish(msg("nobody/listens", "x", 1));
        assertThat(broker.storedMessagesVersion()).isEqualTo(v0);
        broker.publish(retained("r", "x"));
        long v1 = broker.storedMessagesVersion();
        assertThat(v1).isGreaterThan(v0);

        Link clean = new Link();
        broker.connect("clean", true, null, clean);
        broker.subscribe(clean, sub("t", 1));
        broker.publish(msg("t", "to a clean session", 1));
        broker.acknowledged(clean, clean.sent.get(0).packetId());
        assertThat(broker.storedMessagesVersion()).as("a clean session's messages are not kept").isEqualTo(v1);

        Link kept = new Link();
        broker.connect("kept", false, null, kept);
        broker.subscribe(kept, sub("k", 1));
        broker.publish(msg("k", "1", 1));
        long v2 = broker.storedMessagesVersion();
        assertThat(v2).isGreaterThan(v1);
        broker.acknowledged(kept, kept.sent.get(0).packetId());
        assertThat(broker.storedMessagesVersion()).isGreaterThan(v2);
    }
}
