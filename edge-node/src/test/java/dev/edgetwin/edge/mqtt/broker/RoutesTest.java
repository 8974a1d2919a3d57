package dev.edgetwin.edge.mqtt.broker;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.edgetwin.edge.mqtt.broker.BrokerTest.msg;
import static dev.edgetwin.edge.mqtt.broker.BrokerTest.sub;
import static org.assertj.core.api.Assertions.assertThat;

/** The broker's remembered routes never outlive a change of subscriptions. */
class RoutesTest {
    final Broker broker = new Broker(Broker.Settings.DEFAULT);

    @Test
    void aRouteFollowsSubscribeUnsubscribeAndSessionEnd() {
        BrokerTest.Link a = new BrokerTest.Link();
        broker.connect("a", true, null, a);
        broker.publish(msg("s/1", "before", 0));
        assertThat(broker.hasSubscribers("s/1")).isFalse();

        broker.subscribe(a, sub("s/+", 0));
        assertThat(broker.hasSubscribers("s/1")).as("the empty route remembered before is forgotten").isTrue();
        broker.publish(msg("s/1", "one", 0));

        BrokerTest.Link b = new BrokerTest.Link();
        broker.connect("b", true, null, b);
        broker.subscribe(b, sub("s/1", 0));
        broker.publish(msg("s/1", "two", 0));

        broker.unsubscribe(a, List.of("s/+"));
        broker.publish(msg("s/1", "three", 0));

        broker.disconnected(b, true);   // a clean session ends with its subscriptions
        broker.publish(msg("s/1", "four", 0));
        assertThat(broker.hasSubscribers("s/1")).isFalse();

        assertThat(a.payloads()).containsExactly("one", "two");
        assertThat(b.payloads()).containsExactly("two", "three");
    }

    @Test
    void theVersionChangesWithEverySubscriptionChangeAndOnlyThen() {
        BrokerTest.Link a = new BrokerTest.Link();
        broker.connect("a", true, null, a);
        long v0 = broker.subscriptionsVersion();
        broker.publish(msg("s/1", "x", 0));
        broker.unsubscribe(a, List.of("s/+"));   // nothing to remove
        assertThat(broker.hasSubscribers("s/1")).isFalse();
        assertThat(broker.subscriptionsVersion()).isEqualTo(v0);

        broker.subscribe(a, sub("s/+", 0));
        long v1 = broker.subscriptionsVersion();
        assertThat(v1).isNotEqualTo(v0);
        broker.unsubscribe(a, List.of("s/+"));
        long v2 = broker.subscriptionsVersion();
        assertThat(v2).isNotEqualTo(v1);
        broker.subscribe(a, sub("s/1", 1));
        long v3 = broker.subscriptionsVersion();
        assertThat(v3).isNotEqualTo(v2);
        broker.disconnected(a, false);   // a clean session's end drops its subscriptions
        assertThat(broker.subscriptionsVersion()).isNotEqualTo(v3);
    }

    @Test
    void aFullCacheStartsOverAndStillRoutesRight() {
        SubscriptionTree tree = new SubscriptionTree();
        tree.subscribe("x/+", "c", 1);
        tree.subscribe("x/2", "d", 0);
        Routes routes = new Routes(2);
        routes.subscribe("x/+", "c", 1);
        routes.subscribe("x/2", "d", 0);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 5; i++) {
                Map<String, Integer> expected = tree.match("x/" + i);
                assertThat(routes.match("x/" + i)).isEqualTo(expected);
                assertThat(routes.size()).isLessThanOrEqualTo(2);
            }
        }
        assertThat(routes.match("x/2")).containsExactlyInAnyOrderEntriesOf(Map.of("c", 1, "d", 0));
        assertThat(routes.match("y/2")).isEmpty();
    }

    @Test
    void aRouteKeptByTheCallerIsOnlyAShortcut() {
        BrokerTest.Link a = new BrokerTest.Link();
        BrokerTest.Link b = new BrokerTest.Link();
        broker.connect("a", true, null, a);
        broker.connect("b", true, null, b);
        Broker.Route none = broker.route("s/1");
        assertThat(none.isEmpty()).isTrue();
        broker.publish(msg("s/1", "zero", 0), none);

        broker.subscribe(a, sub("s/+", 0));
        broker.publish(msg("s/1", "one", 0), none);   // kept from before the subscription: looked up again
        Broker.Route toA = broker.route("s/1");
        assertThat(toA.isEmpty()).isFalse();
        broker.publish(msg("s/1", "two", 0), toA);

        broker.subscribe(b, sub("s/1", 0));
        broker.publish(msg("s/1", "three", 0), toA);
        broker.unsubscribe(a, List.of("s/+"));
        broker.publish(msg("s/1", "four", 0), toA);
        broker.publish(msg("s/1", "five", 0), broker.route("s/1"));

        assertThat(a.payloads()).containsExactly("one", "two", "three");
        assertThat(b.payloads()).containsExactly("three", "four", "five");
    }

    @Test
    void aRetainedMessageIsStoredWhicheverWayItIsPublished() {
        BrokerTest.Link a = new BrokerTest.Link();
        broker.connect("a", true, null, a);
        broker.publish(Message.of("r/1", "kept", 1, true), broker.route("r/1"));
        assertThat(broker.retainedCount()).isEqualTo(1);
        assertThat(broker.subscribe(a, sub("r/#", 1)).retained()).extracting(Message::payloadText).containsExactly("kept");
    }
}
