package dev.edgetwin.edge.mqtt;

import dev.edgetwin.edge.mqtt.broker.Broker;
import dev.edgetwin.edge.mqtt.broker.Message;
import dev.edgetwin.edge.mqtt.broker.Topics;

import java.util.HashMap;
import java.util.Map;

/**
 * The embedded broker's state as retained messages under {@code $SYS/broker/}, as mosquitto
 * publishes it (same topics where it has the same figure), for MQTT tools that show it: each
 * figure is published, retained at QoS 0, when it changed since the last time. A {@code $SYS}
 * topic is not matched by {@code #} (only by {@code $SYS/#}), and an ACL must grant it to be read;
 * a client's PUBLISH to a {@code $SYS/} topic is acknowledged and dropped, a will there is dropped (both counted as denied).
 * Owned by the broker's event loop.
 */
final class SysTopics {
    /** Topics under it are the broker's: clients' PUBLISHes to them are dropped. */
    static final String ROOT = Topics.SYS;
    static final String PREFIX = ROOT + "broker/";

    private final Map<String, String> last = new HashMap<>();
    private final String version;
    private final long startedNanos = System.nanoTime();

    SysTopics() {
        String v = SysTopics.class.getPackage().getImplementationVersion();
        this.version = "EdgeTwin " + (v == null ? "development" : v);
    }

    /** Publishes the figures that changed. */
    void publish(Broker broker) {
        put(broker, "version", version);
        put(broker, "uptime", (System.nanoTime() - startedNanos) / 1_000_000_000L + " seconds");
        put(broker, "clients/connected", broker.connectedCount());
        put(broker, "clients/disconnected", broker.offlineSessionCount());
        put(broker, "clients/total", broker.sessionCount());
        put(broker, "subscriptions/count", broker.subscriptionCount());
        put(broker, "retained messages/count", broker.retainedCount());
        put(broker, "messages/received", broker.receivedCount());
        put(broker, "messages/sent", broker.sentCount());
        put(broker, "messages/dropped", broker.droppedCount());
        put(broker, "store/messages/bytes", broker.queuedBytes());
    }

    private void put(Broker broker, String name, long value) {
        put(broker, name, Long.toString(value));
    }

    private void put(Broker broker, String name, String value) {
        String topic = PREFIX + name;
        if (value.equals(last.put(topic, value))) return;
        broker.publish(Message.of(topic, value, 0, true));
    }
}
