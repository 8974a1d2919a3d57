package dev.edgetwin.edge.mqtt.broker;

import dev.edgetwin.edge.mqtt.broker.BrokerTest.Link;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;

import static dev.edgetwin.edge.mqtt.broker.BrokerTest.msg;
import static dev.edgetwin.edge.mqtt.broker.BrokerTest.sub;
import static org.assertj.core.api.Assertions.assertThat;

/** The broker core's MQTT 5 behaviour: session and message expiry, delayed wills, properties, subscription options, client limits. */
class Mqtt5BrokerTest {
    final long[] now = {1_000_000};
    /** sessionExpirySeconds 3600: the broker's cap on what a client asks for. */
    final Broker broker = new Broker(new Broker.Settings(4, 100, 100, 64, 10, 10, 100, 3_600, 1 << 20, 1 << 20), () -> now[0]);

    static Broker.Connect v5(String clientId, boolean cleanStart, long expirySeconds) {
        return new Broker.Connect(clientId, cleanStart, expirySeconds, 65_535, Integer.MAX_VALUE, null, 0);
    }

    static MessageProperties expiring(long seconds) {
        return new MessageProperties(-1, seconds, null, null, null, List.of());
    }

    static Message msg5(String topic, String payload, MessageProperties properties) {
        return new Message(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false, properties);
    }

    /** Acknowledges every message sent to these links. */
    void ackAll(Link... links) {
        for (Link l : links) l.sent.forEach(s -> broker.acknowledged(l, s.packetId()));
    }

    static Map.Entry<String, Integer> option(String filter, boolean noLocal, boolean retainAsPublished, int retainHandling) {
        return new AbstractMap.SimpleEntry<>(filter, SubscriptionOptions.request(1, noLocal, retainAsPublished, retainHandling));
    }

    @Test
    void aSessionLivesForTheExpiryIntervalItsClientAskedFor() {
        Link a = new Link();
        assertThat(broker.connect(v5("a", true, 10), a)).isFalse();
        broker.subscribe(a, sub("t", 1));
        broker.disconnected(a, true);
        broker.publish(msg("t", "queued", 1));
        now[0] += 9_999;
        assertThat(broker.expireSessions()).isZero();
        assertThat(broker.sessionPresent("a", false)).isTrue();
        now[0] += 1;
        assertThat(broker.expireSessions()).as("10 s, not the broker's hour").isEqualTo(1);
        assertThat(broker.sessionPresent("a", false)).isFalse();
        assertThat(broker.queuedBytes()).isZero();
        assertThat(broker.subscriptionCount()).isZero();
    }

    @Test
    void expiryZeroEndsTheSessionWithItsConnectionWhateverCleanStartSays() {
        Link a = new Link();
        broker.connect(v5("a", false, 0), a);
        broker.subscribe(a, sub("t", 1));
        broker.disconnected(a, true);
        assertThat(broker.sessionPresent("a", false)).isFalse();
        assertThat(broker.sessionCount()).isZero();
        assertThat(broker.subscriptionCount()).isZero();
    }

    @Test
    void cleanStartDiscardsTheStoredSessionButTheNewOneOutlivesItsConnection() {
        Link a = new Link();
        broker.connect(v5("a", false, 60), a);
        broker.subscribe(a, sub("old", 1));
        broker.disconnected(a, true);
        Link a2 = new Link();
        assertThat(broker.connect(v5("a", true, 60), a2)).as("clean start: no session present").isFalse();
        assertThat(broker.subscriptionCount()).isZero();
        broker.subscribe(a2, sub("new", 1));
        broker.disconnected(a2, true);
        assertThat(broker.sessionPresent("a", false)).isTrue();
        assertThat(broker.connect(v5("a", false, 60), new Link())).isTrue();
        assertThat(broker.subscriptionCount()).isEqualTo(1);
    }

    @Test
    void theBrokersSettingCapsWhatAClientAsks() {
        assertThat(broker.grantedExpirySeconds(Broker.NEVER_EXPIRES)).isEqualTo(3_600);
        assertThat(broker.grantedExpirySeconds(7_200)).isEqualTo(3_600);
        assertThat(broker.grantedExpirySeconds(5)).isEqualTo(5);
        assertThat(broker.grantedExpirySeconds(0)).isZero();
        assertThat(broker.grantedExpirySeconds(Broker.SERVER_EXPIRY)).as("an MQTT 3.1.1 persistent session").isEqualTo(3_600);
        Broker unlimited = new Broker(new Broker.Settings(4, 100, 100, 64, 10, 10, 100, 0, 1 << 20, 1 << 20), () -> now[0]);
        assertThat(unlimited.grantedExpirySeconds(Broker.NEVER_EXPIRES)).isEqualTo(Broker.NEVER_EXPIRES);
        assertThat(unlimited.grantedExpirySeconds(Broker.SERVER_EXPIRY)).isEqualTo(Broker.NEVER_EXPIRES);

        Link a = new Link();
        unlimited.connect(v5("a", false, Broker.NEVER_EXPIRES), a);
        unlimited.disconnected(a, true);
        now[0] += 100L * 365 * 86_400_000;
        assertThat(unlimited.expireSessions()).isZero();
        assertThat(unlimited.sessionPresent("a", false)).isTrue();
    }

    @Test
    void aDisconnectMaySetTheExpiryAnewButNotFromZero() {
        Link a = new Link();
        broker.connect(v5("a", false, 60), a);
        assertThat(broker.changeExpiry(a, 0)).isTrue();
        broker.disconnected(a, true);
        assertThat(broker.sessionPresent("a", false)).as("set to 0 at DISCONNECT: ends now").isFalse();

        Link b = new Link();
        broker.connect(v5("b", false, 0), b);
        assertThat(broker.changeExpiry(b, 30)).as("from 0 to more: a protocol error").isFalse();
        broker.disconnected(b, false);
        assertThat(broker.sessionPresent("b", false)).isFalse();

        Link c = new Link();
        broker.connect(v5("c", false, 60), c);
        assertThat(broker.changeExpiry(c, 5)).isTrue();
        broker.disconnected(c, true);
        now[0] += 5_000;
        assertThat(broker.expireSessions()).isEqualTo(1);
    }

    @Test
    void aDelayedWillWaitsAndIsForgottenWhenTheClientIsBack() {
        Link watcher = new Link();
        broker.connect("watcher", true, null, watcher);
        broker.subscribe(watcher, sub("wills/#", 1));
        Message will = Message.of("wills/a", "gone", 1, false);
        Link a = new Link();
        broker.connect(new Broker.Connect("a", false, 60, 65_535, Integer.MAX_VALUE, will, 5), a);
        broker.disconnected(a, false);
        assertThat(watcher.sent).as("delayed 5 s").isEmpty();
        now[0] += 3_000;
        broker.expireSessions();
        assertThat(broker.connect(v5("a", false, 60), new Link())).isTrue();
        now[0] += 10_000;
        broker.expireSessions();
        assertThat(watcher.sent).as("back within the delay: no will").isEmpty();

        Link b = new Link();
        broker.connect(new Broker.Connect("b", false, 60, 65_535, Integer.MAX_VALUE, Message.of("wills/b", "gone", 1, false), 5), b);
        broker.disconnected(b, false);
        now[0] += 4_999;
        broker.expireSessions();
        assertThat(watcher.sent).isEmpty();
        now[0] += 1;
        broker.expireSessions();
        assertThat(watcher.payloads()).containsExactly("gone");
        assertThat(watcher.sent.get(0).message().topic()).isEqualTo("wills/b");
    }

    @Test
    void aDelayedWillGoesOutWhenTheSessionEndsFirst() {
        Link watcher = new Link();
        broker.connect("watcher", true, null, watcher);
        broker.subscribe(watcher, sub("wills/#", 1));
        Link a = new Link();
        broker.connect(new Broker.Connect("a", false, 2, 65_535, Integer.MAX_VALUE, Message.of("wills/a", "gone", 1, false), 30), a);
        broker.disconnected(a, false);
        now[0] += 2_000;
        assertThat(broker.expireSessions()).isEqualTo(1);
        assertThat(watcher.payloads()).as("the session ended at 2 s, before the will's 30").containsExactly("gone");

        // a session that ends with its connection: the will goes at once
        Link b = new Link();
        broker.connect(new Broker.Connect("b", true, 0, 65_535, Integer.MAX_VALUE, Message.of("wills/b", "gone", 1, false), 30), b);
        broker.disconnected(b, false);
        assertThat(watcher.payloads()).containsExactly("gone", "gone");

        // and a graceful DISCONNECT discards it
        Link c = new Link();
        broker.connect(new Broker.Connect("c", false, 60, 65_535, Integer.MAX_VALUE, Message.of("wills/c", "gone", 1, false), 1), c);
        broker.disconnected(c, true);
        now[0] += 5_000;
        broker.expireSessions();
        assertThat(watcher.sent).hasSize(2);
    }

    @Test
    void propertiesReachSubscribersAsPublished() {
        Link a = new Link();
        broker.connect(v5("a", true, 0), a);
        broker.subscribe(a, sub("req/#", 1));
        MessageProperties p = new MessageProperties(1, -1, "application/json", "resp/a", new byte[]{1, 2, 3},
                List.of(Map.entry("k", "v1"), Map.entry("k", "v2")));
        broker.publish(msg5("req/1", "{}", p), "b");
        assertThat(a.sent).hasSize(1);
        assertThat(a.sent.get(0).message().properties()).isEqualTo(p);
        assertThat(a.sent.get(0).message().size()).as("held bytes count the properties").isGreaterThan("{}".length() + "req/1".length() + 20);
    }

    @Test
    void aQueuedMessageThatExpiredIsNotSentAndOneSentCarriesTheTimeLeft() {
        Link a = new Link();
        broker.connect(v5("a", true, 600), a);
        broker.subscribe(a, sub("t", 1));
        broker.disconnected(a, true);
        broker.publish(msg5("t", "short", expiring(5)));
        broker.publish(msg5("t", "long", expiring(10)));
        broker.publish(msg("t", "forever", 1));
        now[0] += 6_000;
        Link a2 = new Link();
        assertThat(broker.connect(v5("a", false, 600), a2)).isTrue();
        assertThat(a2.payloads()).containsExactly("long", "forever");
        assertThat(a2.sent.get(0).message().properties().expirySeconds()).as("10 s less the 6 waited").isEqualTo(4);
        assertThat(a2.sent.get(1).message().properties()).isNull();
        assertThat(broker.messagesExpiredCount()).isEqualTo(1);
        assertThat(broker.queuedBytes()).as("the expired one's bytes given back").isEqualTo(
                a2.sent.get(0).message().size() + a2.sent.get(1).message().size());
    }

    @Test
    void anExpiredRetainedMessageIsForgotten() {
        broker.publish(new Message("r", "x".getBytes(StandardCharsets.UTF_8), 1, true, expiring(2)));
        now[0] += 1_000;
        Link a = new Link();
        broker.connect(v5("a", true, 0), a);
        broker.deliver(a, broker.subscribe(a, sub("r", 1)).retained());
        assertThat(a.payloads()).containsExactly("x");
        assertThat(a.sent.get(0).message().properties().expirySeconds()).isEqualTo(1);
        now[0] += 1_000;
        Link b = new Link();
        broker.connect(v5("b", true, 0), b);
        assertThat(broker.subscribe(b, sub("r", 1)).retained()).isEmpty();
        assertThat(broker.retainedCount()).isZero();
        assertThat(broker.retainedBytes()).isZero();
        assertThat(broker.messagesExpiredCount()).isEqualTo(1);
    }

    @Test
    void noLocalKeepsAClientsOwnMessagesFromIt() {
        Link a = new Link();
        Link b = new Link();
        broker.connect(v5("a", true, 0), a);
        broker.connect(v5("b", true, 0), b);
        broker.subscribe(a, List.of(option("chat/#", true, false, 0)));
        broker.subscribe(b, List.of(option("chat/#", true, false, 0)));
        broker.publish(msg("chat/1", "from a", 1), "a");
        assertThat(a.sent).isEmpty();
        assertThat(b.payloads()).containsExactly("from a");
        // the route kept by a caller that publishes on a topic again and again says the same
        broker.publish(msg("chat/1", "again", 1), broker.route("chat/1"), "a");
        assertThat(a.sent).isEmpty();
        assertThat(b.payloads()).containsExactly("from a", "again");

        // an overlapping subscription without No Local wants them: one copy
        broker.subscribe(a, List.of(option("chat/+", false, false, 0)));
        broker.publish(msg("chat/1", "mine", 1), "a");
        assertThat(a.payloads()).containsExactly("mine");
    }

    @Test
    void retainAsPublishedKeepsTheFlagOnLiveDeliveries() {
        Link a = new Link();
        Link b = new Link();
        broker.connect(v5("a", true, 0), a);
        broker.connect(v5("b", true, 0), b);
        broker.subscribe(a, List.of(option("s/#", false, true, 0)));
        broker.subscribe(b, sub("s/#", 1));
        broker.publish(Message.of("s/1", "on", 1, true));
        assertThat(a.sent.get(0).message().retain()).isTrue();
        assertThat(b.sent.get(0).message().retain()).as("cleared as in MQTT 3.1.1").isFalse();
    }

    @Test
    void retainHandlingDecidesWhetherRetainedMessagesComeAtTheSubscribe() {
        broker.publish(Message.of("r/1", "kept", 1, true));
        Link a = new Link();
        broker.connect(v5("a", true, 0), a);
        assertThat(broker.subscribe(a, List.of(option("r/#", false, false, 1))).retained()).as("1: a new subscription").hasSize(1);
        assertThat(broker.subscribe(a, List.of(option("r/#", false, false, 1))).retained()).as("1: not again").isEmpty();
        assertThat(broker.subscribe(a, List.of(option("r/#", false, false, 0))).retained()).as("0: every time").hasSize(1);
        assertThat(broker.subscribe(a, List.of(option("r/+", false, false, 2))).retained()).as("2: never").isEmpty();
    }

    @Test
    void theClientsReceiveMaximumBoundsItsInflightMessages() {
        Link a = new Link();
        broker.connect(new Broker.Connect("a", true, 0, 1, Integer.MAX_VALUE, null, 0), a);
        broker.subscribe(a, sub("t", 1));
        broker.publish(msg("t", "1", 1));
        broker.publish(msg("t", "2", 1));
        assertThat(a.payloads()).as("one at a time (the broker's own limit is 4)").containsExactly("1");
        broker.acknowledged(a, a.sent.get(0).packetId());
        assertThat(a.payloads()).containsExactly("1", "2");
    }

    @Test
    void aMessageLargerThanTheClientTakesIsNotSentToIt() {
        Link small = new Link();
        Link big = new Link();
        broker.connect(new Broker.Connect("small", true, 0, 65_535, 64, null, 0), small);
        broker.connect(v5("big", true, 0), big);
        broker.subscribe(small, sub("t", 1));
        broker.subscribe(big, sub("t", 1));
        broker.publish(msg("t", "x".repeat(100), 1));
        broker.publish(msg("t", "fits", 1));
        assertThat(small.payloads()).containsExactly("fits");
        assertThat(big.payloads()).hasSize(2);
        assertThat(broker.droppedCount()).isEqualTo(1);
        assertThat(broker.backlog("small")).as("nothing held for it").isEqualTo(1);
    }

    @Test
    void aSharedSubscriptionGivesEachMessageToOneConnectedMemberInTurn() {
        Link a = new Link();
        Link b = new Link();
        Link plain = new Link();
        broker.connect(v5("a", true, 0), a);
        broker.connect("b", true, null, b);
        broker.connect("plain", true, null, plain);
        assertThat(broker.subscribe(a, sub("$share/workers/jobs/#", 1)).granted()).containsExactly(1);
        assertThat(broker.subscribe(b, sub("$share/workers/jobs/#", 1)).granted()).as("an MQTT 3.1.1 member too").containsExactly(1);
        broker.subscribe(plain, sub("jobs/#", 1));
        for (int i = 0; i < 6; i++) {
            broker.publish(msg("jobs/" + i, "j" + i, 1));
            ackAll(a, b, plain);   // within the broker's in-flight window of 4
        }
        assertThat(a.payloads()).containsExactly("j0", "j2", "j4");
        assertThat(b.payloads()).containsExactly("j1", "j3", "j5");
        assertThat(plain.payloads()).as("a plain subscription gets every message").hasSize(6);
        // the same through a route kept by a caller that publishes on a topic again and again
        broker.publish(msg("jobs/0", "again", 1), broker.route("jobs/0"), null);
        assertThat(a.payloads()).last().isEqualTo("again");
        ackAll(a, b, plain);

        broker.disconnected(b, true);   // b's clean session ends, and its membership with it
        broker.publish(msg("jobs/x", "x", 1));
        broker.publish(msg("jobs/y", "y", 1));
        assertThat(a.payloads()).endsWith("x", "y");
        broker.unsubscribe(a, List.of("$share/workers/jobs/#"));
        broker.unsubscribe(plain, List.of("jobs/#"));
        assertThat(broker.hasSubscribers("jobs/z")).isFalse();
        assertThat(broker.subscriptionCount()).isZero();
    }

    @Test
    void anAbsentMembersStoredSessionKeepsItsTurnOnlyWhenNoMemberIsConnected() {
        Link away = new Link();
        Link here = new Link();
        broker.connect(v5("away", true, 600), away);
        broker.connect(v5("here", true, 0), here);
        broker.subscribe(away, sub("$share/g/t", 1));
        broker.subscribe(here, sub("$share/g/t", 1));
        broker.disconnected(away, true);
        broker.publish(msg("t", "1", 1));
        broker.publish(msg("t", "2", 1));
        assertThat(here.payloads()).as("the connected member gets what the absent one would have").containsExactly("1", "2");
        broker.disconnected(here, true);
        broker.publish(msg("t", "3", 1));
        Link back = new Link();
        assertThat(broker.connect(v5("away", false, 600), back)).isTrue();
        assertThat(back.payloads()).as("no member connected: kept by the stored session").containsExactly("3");
    }

    @Test
    void sharedSubscriptionsGetNoRetainedMessagesAndMalformedOnesAreRefused() {
        broker.publish(Message.of("jobs/r", "kept", 1, true));
        Link a = new Link();
        broker.connect(v5("a", true, 0), a);
        Broker.Subscribed s = broker.subscribe(a, List.of(option("$share/g/jobs/#", true, false, 0), option("$share//jobs", false, false, 0),
                option("$share/g+/jobs", false, false, 0), option("$share/g", false, false, 0), option("$share/g/a/#/b", false, false, 0)));
        assertThat(s.granted()).containsExactly(1, Broker.REFUSED_INVALID_FILTER, Broker.REFUSED_INVALID_FILTER,
                Broker.REFUSED_INVALID_FILTER, Broker.REFUSED_INVALID_FILTER);
        assertThat(s.retained()).as("MQTT 5 section 4.8.2").isEmpty();
        broker.publish(msg("jobs/1", "own", 1), "a");
        assertThat(a.payloads()).as("No Local does not apply to a shared subscription").containsExactly("own");
    }

    @Test
    void storedSessionsKeepTheirExpiryAndOptionsAcrossARestart() {
        Link a = new Link();
        broker.connect(v5("a", false, 120), a);
        broker.subscribe(a, List.of(option("x/#", true, true, 0)));
        broker.subscribe(a, sub("$share/g/z", 1));
        broker.disconnected(a, true);
        Link v3 = new Link();
        broker.connect("old", false, null, v3);
        broker.subscribe(v3, sub("y", 1));
        byte[] file = StoredSessionsCodec.encode(broker.storedSessions());

        Broker restarted = new Broker(broker.settings(), () -> now[0]);
        for (Broker.StoredSession s : StoredSessionsCodec.decode(file)) assertThat(restarted.restore(s)).isTrue();
        assertThat(restarted.storedSessions()).containsExactly(
                new Broker.StoredSession("a", Map.of("x/#", 1 | SubscriptionOptions.NO_LOCAL | SubscriptionOptions.RETAIN_AS_PUBLISHED,
                        "$share/g/z", 1), 120),
                new Broker.StoredSession("old", Map.of("y", 1)));
        assertThat(restarted.hasSubscribers("z")).as("the shared subscription is back").isTrue();
        now[0] += 120_000;
        assertThat(restarted.expireSessions()).as("a's own 120 s; the 3.1.1 session has the broker's hour").isEqualTo(1);
        assertThat(restarted.hasSubscribers("z")).isFalse();
        Link b = new Link();
        restarted.connect("b", true, null, b);
        restarted.subscribe(b, sub("y", 1));
        Link old = new Link();
        restarted.connect("old", false, null, old);
        restarted.publish(msg("y", "hi", 1), "old");
        assertThat(b.payloads()).containsExactly("hi");
        assertThat(old.payloads()).containsExactly("hi");
    }

    @Test
    void messagesCarryTheIdentifiersOfTheSubscriptionsTheyMatch() {
        Link a = new Link();
        broker.connect(v5("a", false, 600), a);
        broker.subscribe(a, sub("lamps/#", 1), 7);
        broker.subscribe(a, sub("lamps/+/state", 1), 9);
        broker.subscribe(a, sub("other/#", 1));
        broker.publish(msg("lamps/1/state", "both", 1));
        broker.publish(msg("lamps/1/power", "one", 0));
        broker.publish(msg("other/x", "none", 0));
        assertThat(a.payloads()).containsExactly("both", "one", "none");
        assertThat(a.ids.get(0)).containsExactlyInAnyOrder(7, 9);
        assertThat(a.ids.get(1)).containsExactly(7);
        assertThat(a.ids.get(2)).isNull();

        broker.subscribe(a, sub("lamps/#", 1));   // subscribed again without one: the identifier goes
        broker.publish(msg("lamps/2/power", "cleared", 0));
        assertThat(a.ids.get(3)).isNull();

        // kept with the session across a restart, and on the messages it held
        ackAll(a);
        broker.disconnected(a, true);
        broker.publish(msg("lamps/3/state", "queued", 1));
        Broker restarted = new Broker(broker.settings(), () -> now[0]);
        for (Broker.StoredSession s : StoredSessionsCodec.decode(StoredSessionsCodec.encode(broker.storedSessions()))) restarted.restore(s);
        restarted.restore(StoredMessagesCodec.decode(StoredMessagesCodec.encode(broker.storedMessages(), 0), 0).messages());
        Link back = new Link();
        restarted.connect(v5("a", false, 600), back);
        assertThat(back.payloads()).containsExactly("queued");
        assertThat(back.ids.get(0)).containsExactly(9);
        restarted.unsubscribe(back, List.of("lamps/+/state"));
        restarted.publish(msg("lamps/4/state", "gone", 0));
        assertThat(back.ids.get(1)).isNull();
    }
}
