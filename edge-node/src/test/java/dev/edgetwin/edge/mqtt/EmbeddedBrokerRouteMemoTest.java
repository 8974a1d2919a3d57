package dev.edgetwin.edge.mqtt;

import dev.edgetwin.edge.kubeedge.TopicMemo;
import dev.edgetwin.edge.mqtt.broker.Broker;
import dev.edgetwin.edge.mqtt.broker.ClientLink;
import dev.edgetwin.edge.mqtt.broker.Message;
import org.junit.jupiter.api.Test;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The routes the embedded broker keeps in a topic's memo follow every change of subscriptions. */
class EmbeddedBrokerRouteMemoTest {
    static final class Link implements ClientLink {
        final List<String> got = new ArrayList<>();

        @Override
        public void send(Message m, int packetId, boolean dup, int[] subscriptionIds) {
            got.add(m.payloadText());
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aMemoIsRefreshedWhenTheSubscriptionsChange() {
        Broker broker = new Broker(Broker.Settings.DEFAULT);
        Link mapper = new Link();
        broker.connect("mapper", true, null, mapper);
        TopicMemo memo = new TopicMemo();
        String topic = "$hw/events/device/default/lamp-1/twin/update/result";

        Broker.Route first = EmbeddedBroker.route(broker, topic, memo);
        assertThat(first.isEmpty()).isTrue();
        assertThat(EmbeddedBroker.route(broker, topic, memo)).as("kept").isSameAs(first);
        broker.publish(Message.of(topic, "lost", 0, false), EmbeddedBroker.route(broker, topic, memo));

        broker.subscribe(mapper, List.of(new AbstractMap.SimpleEntry<>("$hw/events/device/#", 0)));
        Broker.Route second = EmbeddedBroker.route(broker, topic, memo);
        assertThat(second).isNotSameAs(first);
        assertThat(second.isEmpty()).isFalse();
        broker.publish(Message.of(topic, "one", 0, false), EmbeddedBroker.route(broker, topic, memo));

        broker.unsubscribe(mapper, List.of("$hw/events/device/#"));
        broker.publish(Message.of(topic, "two", 0, false), EmbeddedBroker.route(broker, topic, memo));
        assertThat(EmbeddedBroker.route(broker, topic, memo).isEmpty()).isTrue();

        assertThat(mapper.got).containsExactly("one");
    }
}
