package dev.edgetwin.edge.mqtt.broker;

import org.junit.jupiter.api.Test;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BrokerTest {
    /** A connection that records what the broker sends. */
    static final class Link implements ClientLink {
        record Sent(Message message, int packetId, boolean dup) {
        }

        final List<Sent> sent = new ArrayList<>();
        /** The Subscription Identifiers each sent message carried (null: none), in the order sent. */
        final List<int[]> ids = new ArrayList<>();
        boolean closed;

        @Override
        public void send(Message message, int packetId, boolean dup, int[] subscriptionIds) {
            sent.add(new Sent(message, packetId, dup));
            ids.add(subscriptionIds);
        }

        @Override
        public void close() {
            closed = true;
        }

        List<String> payloads() {
            return sent.stream().map(s -> s.message().payloadText()).toList();
        }
    }

    final Broker broker = new Broker(new Broker.Settings(2, 3, 2, 64, 10, 3, 100, 0, 1 << 20, 1 << 20));

    static List<Map.Entry<String, Integer>> sub(String filter, int qos) {
        return List.of(new AbstractMap.SimpleEntry<>(filter, qos));
    }

    static Message msg(String topic, String payload, int qos) {
        return Message.of(topic, payload, qos, false);
    }

    @Test
    void deliversAtTheLowerQosWithPacketIds() {
        Link a = new Link();
        broker.connect("a", true, null, a);
        assertThat(broker.subscribe(a, sub("t/#", 0)).granted()).containsExactly(0);
        broker.publish(msg("t/1", "x", 1));
        assertThat(a.sent).containsExactly(new Link.Sent(msg("t/1", "x", 0), 0, false));

        Link b = new Link();
        broker.connect("b", true, null, b);
        assertThat(broker.subscribe(b, sub("t/+", 2)).granted()).as("QoS 2 is granted as 1").containsExactly(1);
        broker.publish(msg("t/1", "y", 1));
        assertThat(b.sent.get(0).packetId()).isPositive();
        assertThat(b.sent.get(0).message().qos()).isEqualTo(1);
    }

    @Test
    void invalidFilterIsRefusedInTheSuback() {
        Link a = new Link();
        broker.connect("a", true, null, a);
        assertThat(broker.subscribe(a, sub("a/#/b", 1)).granted()).as("topic filter invalid: 0x80 to an MQTT 3.1.1 client").containsExactly(Broker.REFUSED_INVALID_FILTER);
        assertThat(broker.subscriptionCount()).isZero();
    }

    @Test
    void inflightWindowQueuesAndRefillsOnAck() {
        Link a = new Link();
        broker.connect("a", true, null, a);
        broker.subscribe(a, sub("t", 1));
        for (int i = 0; i < 5; i++) broker.publish(msg("t", "m" + i, 1));
        // window 2, queue 3: all five kept, two sent
        assertThat(a.payloads()).containsExactly("m0", "m1");
        broker.acknowledged(a, a.sent.get(0).packetId());
        assertThat(a.payloads()).containsExactly("m0", "m1", "m2");
        broker.publish(msg("t", "m5", 1));
        broker.publish(msg("t", "m6", 1));
        assertThat(broker.droppedCount()).as("queue of 3 full: m6 dropped").isEqualTo(1);
        for (int i = 1; i < 7; i++) broker.acknowledged(a, a.sent.get(Math.min(i, a.sent.size() - 1)).packetId());
        assertThat(a.payloads()).containsExactly("m0", "m1", "m2", "m3", "m4", "m5");
    }

    @Test
    void retainedMessagesReachLaterSubscribersAndEmptyPayloadClears() {
        broker.publish(new Message("r/1", "one".getBytes(), 1, true));
        broker.publish(new Message("r/2", "two".getBytes(), 0, true));
        broker.publish(new Message("r/3", "three".getBytes(), 0, true));
        assertThat(broker.retainedCount()).as("capacity 2").isEqualTo(2);
        Link a = new Link();
        broker.connect("a", true, null, a);
        Broker.Subscribed s = broker.subscribe(a, sub("r/+", 1));
        assertThat(s.retained()).extracting(Message::payloadText).containsExactlyInAnyOrder("one", "two");
        assertThat(s.retained()).allMatch(Message::retain);
        assertThat(s.retained()).filteredOn(m -> m.payloadText().equals("two")).allMatch(m -> m.qos() == 0);
        broker.deliver(a, s.retained());
        assertThat(a.sent).hasSize(2);

        broker.publish(new Message("r/1", new byte[0], 0, true));
        assertThat(broker.retainedCount()).isEqualTo(1);
        assertThat(a.sent.get(2).message().retain()).as("live delivery clears the retain flag").isFalse();
    }

    @Test
    void retainedMessagesPastTheByteLimitAreNotRetainedButStillDelivered() {
        // 30 bytes of retained messages in all; the topics are 3 characters
        Broker small = new Broker(new Broker.Settings(2, 3, 100, 64, 10, 10, 100, 0, 1 << 20, 30));
        Link a = new Link();
        small.connect("a", true, null, a);
        small.subscribe(a, sub("r/#", 0));
        small.publish(new Message("r/1", "0123456".getBytes(), 0, true));         // 10 bytes
        small.publish(new Message("r/2", "0123456789012".getBytes(), 0, true));   // 16: 26
        small.publish(new Message("r/3", "01234".getBytes(), 0, true));           // 8: would be 34
        assertThat(a.payloads()).as("delivered all the same").containsExactly("0123456", "0123456789012", "01234");
        assertThat(small.retainedCount()).isEqualTo(2);
        assertThat(small.retainedBytes()).isEqualTo(26);
        assertThat(small.retainedRefusedCount()).isEqualTo(1);

        small.publish(new Message("r/2", "abc".getBytes(), 0, true));              // replaced: 26 - 16 + 6 = 16
        small.publish(new Message("r/3", "01234".getBytes(), 0, true));            // 24
        small.publish(new Message("r/1", "x".repeat(20).getBytes(), 0, true));     // 24 - 10 + 23 = 37: refused
        assertThat(small.retainedBytes()).isEqualTo(24);
        small.publish(new Message("r/2", new byte[0], 0, true));                   // cleared: 18
        assertThat(small.retainedBytes()).isEqualTo(18);
        assertThat(small.retainedRefusedCount()).isEqualTo(2);

        Link late = new Link();
        small.connect("late", true, null, late);
        assertThat(small.subscribe(late, sub("r/+", 0)).retained()).extracting(Message::payloadText)
                .as("a refused replacement leaves the topic's message as it was").containsExactlyInAnyOrder("0123456", "01234");
    }

    @Test
    void persistentSessionQueuesWhileOfflineAndRedeliversUnackedWithDup() {
        Link a = new Link();
        assertThat(broker.connect("a", false, null, a)).isFalse();
        broker.subscribe(a, sub("t", 1));
        broker.publish(msg("t", "m0", 1));
        broker.disconnected(a, true);
        broker.publish(msg("t", "m1", 1));
        broker.publish(msg("t", "q0", 0));
        assertThat(broker.backlog("a")).isEqualTo(2);

        assertThat(broker.sessionPresent("a", false)).isTrue();
        Link again = new Link();
        assertThat(broker.connect("a", false, null, again)).as("session present").isTrue();
        assertThat(again.sent).extracting(s -> s.message().payloadText() + (s.dup() ? "+dup" : ""))
                .containsExactly("m0+dup", "m1");
        broker.publish(msg("t", "m2", 1));
        assertThat(again.payloads()).as("window of 2 full: m2 waits").hasSize(2);
        broker.acknowledged(again, again.sent.get(0).packetId());
        assertThat(again.payloads()).as("subscriptions survived").endsWith("m2");
    }

    @Test
    void offlineSessionsBeyondTheLimitGoOldestFirst() {
        Broker small = new Broker(new Broker.Settings(2, 3, 2, 64, 2, 10, 100, 0, 1 << 20, 1 << 20));
        for (String id : List.of("a", "b", "c")) {
            Link l = new Link();
            small.connect(id, false, null, l);
            small.subscribe(l, sub("t", 1));
            small.disconnected(l, false);
        }
        assertThat(small.offlineSessionCount()).isEqualTo(2);
        assertThat(small.sessionsEvictedCount()).isEqualTo(1);
        assertThat(small.sessionPresent("a", false)).as("the client away longest lost its session").isFalse();
        assertThat(small.sessionPresent("b", false)).isTrue();
        small.publish(msg("t", "m", 1));
        assertThat(List.of(small.backlog("a"), small.backlog("b"), small.backlog("c"))).as("its subscription went too").containsExactly(-1, 1, 1);

        Link b = new Link();
        assertThat(small.connect("b", false, null, b)).isTrue();
        assertThat(b.payloads()).containsExactly("m");
        assertThat(small.offlineSessionCount()).as("a connected client's session is not offline").isEqualTo(1);
        Link d = new Link();
        small.connect("d", false, null, d);
        small.disconnected(d, true);
        assertThat(small.sessionsEvictedCount()).as("c and d fit").isEqualTo(1);
        Link a = new Link();
        assertThat(small.connect("a", false, null, a)).as("a new session for a").isFalse();
        small.disconnected(b, true);
        assertThat(small.sessionsEvictedCount()).as("c, the longest away, goes when b leaves").isEqualTo(2);
        assertThat(small.sessionPresent("c", false)).isFalse();
        assertThat(small.sessionPresent("d", false)).isTrue();
        assertThat(small.sessionPresent("b", false)).isTrue();
        assertThat(small.sessionCount()).as("a online; b and d stored").isEqualTo(3);
    }

    @Test
    void aTakenOverConnectionsSessionGoesOnAndCostsNoOtherSession() {
        Broker none = new Broker(new Broker.Settings(2, 3, 2, 64, 1, 10, 100, 0, 1 << 20, 1 << 20));
        Link away = new Link();
        none.connect("away", false, null, away);
        none.disconnected(away, true);
        Link first = new Link();
        none.connect("a", false, null, first);
        none.subscribe(first, sub("t", 1));
        Link second = new Link();
        assertThat(none.connect("a", false, null, second)).as("the stored session goes on").isTrue();
        assertThat(first.closed).isTrue();
        none.disconnected(first, false);   // the old connection's close arrives after the take-over
        none.publish(msg("t", "m", 1));
        assertThat(second.payloads()).as("its subscription is still routed").containsExactly("m");
        assertThat(none.sessionsEvictedCount()).isZero();
        assertThat(none.sessionPresent("away", false)).isTrue();
    }

    @Test
    void filtersPastTheSubscriptionLimitGetFailureAndChangeNothing() {
        Link a = new Link();
        broker.connect("a", true, null, a);
        assertThat(broker.subscribe(a, List.of(Map.entry("x/1", 1), Map.entry("x/2", 0))).granted()).containsExactly(1, 0);
        assertThat(broker.subscribe(a, List.of(Map.entry("x/3", 1), Map.entry("x/4", 1), Map.entry("x/1", 0))).granted())
                .as("the 4th filter is one too many; x/1 is held already, so its QoS may change").containsExactly(1, Broker.REFUSED_QUOTA, 0);
        assertThat(broker.subscriptionsRefusedCount()).isEqualTo(1);
        assertThat(broker.subscriptionCount()).isEqualTo(3);
        broker.publish(msg("x/4", "no", 1));
        broker.publish(msg("x/3", "yes", 1));
        assertThat(a.payloads()).containsExactly("yes");
        broker.unsubscribe(a, List.of("x/2"));
        assertThat(broker.subscribe(a, sub("x/4", 1)).granted()).as("room again after an UNSUBSCRIBE").containsExactly(1);
        Link b = new Link();
        broker.connect("b", true, null, b);
        assertThat(broker.subscribe(b, sub("x/5", 1)).granted()).as("the limit is per session").containsExactly(1);
    }

    @Test
    void aConnectPastTheConnectionLimitFitsOnlyToTakeOverItsOwn() {
        Broker two = new Broker(new Broker.Settings(2, 3, 2, 64, 10, 10, 2, 0, 1 << 20, 1 << 20));
        Link a = new Link();
        Link b = new Link();
        assertThat(two.admitsConnect("a")).isTrue();
        two.connect("a", true, null, a);
        assertThat(two.admitsConnect("b")).isTrue();
        two.connect("b", true, null, b);
        assertThat(two.admitsConnect("c")).isFalse();
        assertThat(two.admitsConnect("a")).as("a take-over does not add a connection").isTrue();
        assertThat(two.connectionsRefusedCount()).isEqualTo(1);
        two.disconnected(b, true);
        assertThat(two.admitsConnect("c")).isTrue();
    }

    @Test
    void aStoredSessionExpiresOnceItsClientHasBeenAwayTheSetTime() {
        long[] now = {1_000_000};
        Broker timed = new Broker(new Broker.Settings(2, 3, 2, 64, 10, 10, 100, 60, 1 << 20, 1 << 20), () -> now[0]);
        Link a = new Link();
        Link b = new Link();
        timed.connect("a", false, null, a);
        timed.subscribe(a, sub("t", 1));
        timed.connect("b", false, null, b);
        timed.subscribe(b, sub("t", 1));
        timed.disconnected(a, false);
        now[0] += 30_000;
        timed.disconnected(b, true);
        timed.publish(msg("t", "waiting", 1));
        assertThat(timed.queuedBytes()).as("one message held for each").isEqualTo(2L * ("waiting".length() + 1));

        now[0] += 29_999;
        assertThat(timed.expireSessions()).as("a has been away 59.999 s").isZero();
        now[0] += 1;
        assertThat(timed.expireSessions()).as("a: 60 s").isEqualTo(1);
        assertThat(timed.sessionPresent("a", false)).isFalse();
        assertThat(timed.sessionPresent("b", false)).as("b: 30 s").isTrue();
        assertThat(timed.sessionsExpiredCount()).isEqualTo(1);
        assertThat(timed.subscriptionCount()).as("a's subscription went with it").isEqualTo(1);
        assertThat(timed.queuedBytes()).as("and a's waiting message").isEqualTo("waiting".length() + 1);

        // b comes back before its time: its session and message go on, and leaving again restarts its clock
        now[0] += 29_000;
        Link b2 = new Link();
        assertThat(timed.connect("b", false, null, b2)).isTrue();
        assertThat(b2.payloads()).containsExactly("waiting");
        timed.disconnected(b2, true);
        now[0] += 59_000;
        assertThat(timed.expireSessions()).isZero();
        now[0] += 1_000;
        // a CONNECT finds the expired session gone without waiting for the timer's sweep
        assertThat(timed.sessionPresent("b", false)).isFalse();
        assertThat(timed.connect("b", false, null, new Link())).isFalse();
        assertThat(timed.sessionsExpiredCount()).isEqualTo(2);
        assertThat(timed.queuedBytes()).isZero();
    }

    @Test
    void sessionsNeverExpireWhenTheExpiryIsZero() {
        long[] now = {0};
        Broker forever = new Broker(new Broker.Settings(2, 3, 2, 64, 10, 10, 100, 0, 1 << 20, 1 << 20), () -> now[0]);
        Link a = new Link();
        forever.connect("a", false, null, a);
        forever.disconnected(a, false);
        now[0] = Long.MAX_VALUE / 2;
        assertThat(forever.expireSessions()).isZero();
        assertThat(forever.sessionPresent("a", false)).isTrue();
    }

    @Test
    void messagesThatWouldWaitAreDroppedOnceSessionsHoldTheByteLimit() {
        // 100 bytes in all; every message below is 10 bytes (a 4-character topic and 6 bytes of payload)
        Broker small = new Broker(new Broker.Settings(2, 100, 2, 64, 10, 10, 100, 0, 100, 1 << 20));
        Link online = new Link();
        small.connect("on", true, null, online);
        small.subscribe(online, sub("t/on", 1));
        Link away = new Link();
        small.connect("off", false, null, away);
        small.subscribe(away, sub("t/of", 1));
        small.disconnected(away, true);

        for (int i = 0; i < 12; i++) small.publish(msg("t/of", "m" + String.format("%05d", i), 1));
        assertThat(small.backlog("off")).as("10 of 12 fit in 100 bytes").isEqualTo(10);
        assertThat(small.queuedBytes()).isEqualTo(100);
        assertThat(small.droppedCount()).isEqualTo(2);

        // a connected client with a free in-flight slot still gets its messages: they are not waiting
        small.publish(msg("t/on", "a00000", 1));
        small.publish(msg("t/on", "b00000", 1));
        assertThat(online.payloads()).containsExactly("a00000", "b00000");
        assertThat(small.queuedBytes()).isEqualTo(120);
        small.publish(msg("t/on", "c00000", 1));
        assertThat(small.droppedCount()).as("its window is full: c would wait, and there is no room").isEqualTo(3);

        // acknowledgements and ended sessions give the bytes back
        small.acknowledged(online, online.sent.get(0).packetId());
        small.acknowledged(online, online.sent.get(1).packetId());
        assertThat(small.queuedBytes()).isEqualTo(100);
        Link clean = new Link();
        small.connect("off", true, null, clean);
        assertThat(small.queuedBytes()).as("a clean CONNECT drops the stored session").isZero();
        small.publish(msg("t/on", "d00000", 1));
        small.publish(msg("t/on", "e00000", 1));
        small.publish(msg("t/on", "f00000", 1));
        assertThat(online.payloads()).containsExactly("a00000", "b00000", "d00000", "e00000");
        assertThat(small.backlog("on")).as("f waits for a slot, within the byte limit").isEqualTo(3);
        small.disconnected(online, false);
        assertThat(small.queuedBytes()).as("a clean session's messages go with it").isZero();
    }

    @Test
    void storedSessionsListThePersistentOnesAwayLongestFirstAndChangeWithTheirSubscriptions() {
        Link a = new Link();
        Link b = new Link();
        Link c = new Link();
        broker.connect("a", false, null, a);
        broker.subscribe(a, sub("t/a", 1));
        broker.connect("b", false, null, b);
        broker.connect("c", true, null, c);
        broker.subscribe(c, sub("t/c", 1));
        long v = broker.storedSessionsVersion();
        broker.subscribe(c, sub("t/c2", 1));
        broker.publish(msg("t/a", "m", 1));
        assertThat(broker.storedSessionsVersion()).as("a clean session and a publication change nothing kept").isEqualTo(v);
        broker.disconnected(b, true);
        broker.disconnected(a, false);
        assertThat(broker.storedSessionsVersion()).as("leaving keeps a persistent session as it is").isEqualTo(v);
        assertThat(broker.storedSessions()).containsExactly(new Broker.StoredSession("b", Map.of()),
                new Broker.StoredSession("a", Map.of("t/a", 1)));

        Link a2 = new Link();
        broker.connect("a", false, null, a2);
        broker.subscribe(a2, sub("t/x", 0));
        assertThat(broker.storedSessionsVersion()).isGreaterThan(v);
        v = broker.storedSessionsVersion();
        broker.unsubscribe(a2, List.of("t/a"));
        assertThat(broker.storedSessionsVersion()).isGreaterThan(v);
        assertThat(broker.storedSessions()).as("b is away, a connected").containsExactly(new Broker.StoredSession("b", Map.of()),
                new Broker.StoredSession("a", Map.of("t/x", 0)));
        v = broker.storedSessionsVersion();
        broker.connect("b", true, null, new Link());
        assertThat(broker.storedSessionsVersion()).as("a clean CONNECT ends b's stored session").isGreaterThan(v);
        assertThat(broker.storedSessions()).extracting(Broker.StoredSession::clientId).containsExactly("a");
    }

    @Test
    void aRestoredSessionIsThatOfAClientAwayWithItsSubscriptions() {
        Broker restarted = new Broker(new Broker.Settings(2, 3, 2, 64, 1, 2, 100, 0, 1 << 20, 1 << 20));
        Map<String, Integer> subs = new LinkedHashMap<>();
        subs.put("cmd/#", 1);
        subs.put("a/#/b", 1);     // not a valid filter: skipped
        subs.put("news", 2);      // granted as 1, as at a SUBSCRIBE
        subs.put("third", 0);     // past maxSubscriptions (2)
        assertThat(restarted.restore(new Broker.StoredSession("mapper", subs))).isTrue();
        assertThat(restarted.offlineSessionCount()).isEqualTo(1);
        assertThat(restarted.storedSessions()).containsExactly(new Broker.StoredSession("mapper", Map.of("cmd/#", 1, "news", 1)));
        restarted.publish(msg("cmd/lamp", "on", 1));
        restarted.publish(msg("third", "dropped: not subscribed", 1));
        assertThat(restarted.backlog("mapper")).as("queued for the client away").isEqualTo(1);
        assertThat(restarted.restore(new Broker.StoredSession("mapper", Map.of("other", 1)))).as("the id has a session").isFalse();

        assertThat(restarted.restore(new Broker.StoredSession("second", Map.of()))).isTrue();
        assertThat(restarted.sessionPresent("mapper", false)).as("one offline session at most: the first restored went").isFalse();
        Link back = new Link();
        assertThat(restarted.connect("second", false, null, back)).isTrue();
    }

    @Test
    void noOfflineSessionsKeptWhenTheLimitIsZero() {
        Broker none = new Broker(new Broker.Settings(2, 3, 2, 64, 0, 10, 100, 0, 1 << 20, 1 << 20));
        Link a = new Link();
        none.connect("a", false, null, a);
        none.subscribe(a, sub("t", 1));
        none.disconnected(a, true);
        assertThat(none.sessionPresent("a", false)).isFalse();
        assertThat(none.sessionCount()).isZero();
        assertThat(none.subscriptionCount()).isZero();
        assertThat(none.sessionsEvictedCount()).isEqualTo(1);
    }

    @Test
    void revokingTakesTheFiltersAndWaitingMessagesAClientMayNoLongerRead() {
        Link a = new Link();
        broker.connect("a", false, null, a);
        broker.subscribe(a, sub("open/#", 1));
        broker.subscribe(a, sub("secret/#", 1));
        broker.disconnected(a, true);
        broker.publish(msg("open/1", "o", 1));
        broker.publish(msg("secret/1", "s", 1));
        Link back = new Link();
        assertThat(broker.connect(Broker.Connect.v3("a", false, null).withReadCheck(f -> !f.startsWith("secret"), null), back)).isTrue();
        assertThat(back.payloads()).as("the waiting message on secret/1 is dropped before it goes out").containsExactly("o");
        assertThat(broker.subscriptionCount()).isEqualTo(1);
        broker.acknowledged(back, back.sent.get(0).packetId());
        assertThat(broker.queuedBytes()).isZero();
        assertThat(broker.revoke(back, f -> false, null)).containsExactly("open/#");
        assertThat(broker.subscriptionCount()).isZero();
    }

    @Test
    void nothingIsDeliveredOnATopicTheClientIsDenied() {
        Link a = new Link();
        broker.connect(Broker.Connect.v3("a", true, null).withReadCheck(f -> true, t -> t.startsWith("open/secret")), a);
        broker.subscribe(a, sub("open/#", 1));
        broker.publish(Message.of("open/secret", "retained", 1, true));
        broker.publish(msg("open/1", "o", 0));
        broker.publish(msg("open/secret", "s", 1));
        assertThat(a.payloads()).containsExactly("o");
        Link b = new Link();
        broker.connect("b", true, null, b);
        broker.deliver(b, broker.subscribe(b, sub("open/#", 1)).retained());
        assertThat(b.payloads()).as("another client is not denied it").containsExactly("retained");
        broker.deliver(a, broker.subscribe(a, sub("open/+", 1)).retained());
        assertThat(a.payloads()).as("nor retained messages").containsExactly("o");
        broker.revoke(a, f -> true, null);
        broker.publish(msg("open/secret", "after the reload", 0));
        assertThat(a.payloads()).as("a reload without deny rules lifts it").containsExactly("o", "after the reload");
    }

    @Test
    void cleanSessionForgetsEverything() {
        Link a = new Link();
        broker.connect("a", false, null, a);
        broker.subscribe(a, sub("t", 1));
        broker.disconnected(a, true);
        Link clean = new Link();
        assertThat(broker.connect("a", true, null, clean)).isFalse();
        broker.publish(msg("t", "m", 1));
        assertThat(clean.sent).isEmpty();
        broker.disconnected(clean, true);
        assertThat(broker.sessionCount()).isZero();
        assertThat(broker.subscriptionCount()).isZero();
    }

    @Test
    void willIsPublishedOnLossButNotOnDisconnect() {
        Link watcher = new Link();
        broker.connect("w", true, null, watcher);
        broker.subscribe(watcher, sub("will/#", 1));
        Link a = new Link();
        broker.connect("a", true, Message.of("will/a", "gone", 1, true), a);
        broker.disconnected(a, true);
        assertThat(watcher.sent).isEmpty();

        Link b = new Link();
        broker.connect("b", true, Message.of("will/b", "gone", 1, true), b);
        broker.disconnected(b, false);
        assertThat(watcher.payloads()).containsExactly("gone");
        assertThat(broker.retainedCount()).as("a retained will is retained").isEqualTo(1);
    }

    @Test
    void secondConnectionTakesTheSessionOverAndPublishesTheWill() {
        Link watcher = new Link();
        broker.connect("w", true, null, watcher);
        broker.subscribe(watcher, sub("will", 0));
        Link first = new Link();
        broker.connect("a", false, Message.of("will", "first lost", 0, false), first);
        broker.subscribe(first, sub("t", 1));
        Link second = new Link();
        assertThat(broker.connect("a", false, null, second)).isTrue();
        assertThat(first.closed).isTrue();
        assertThat(watcher.payloads()).containsExactly("first lost");
        broker.disconnected(first, false);     // the old connection's close arrives late: ignored
        broker.publish(msg("t", "m", 1));
        assertThat(second.payloads()).containsExactly("m");
        assertThat(watcher.payloads()).hasSize(1);
    }

    @Test
    void dollarTopicsStayOutOfCatchAllSubscriptions() {
        Link a = new Link();
        broker.connect("a", true, null, a);
        broker.subscribe(a, sub("#", 0));
        broker.publish(msg("$hw/events/device/default/lamp/twin/update", "x", 0));
        broker.publish(msg("plain", "y", 0));
        assertThat(a.payloads()).containsExactly("y");
    }
}
