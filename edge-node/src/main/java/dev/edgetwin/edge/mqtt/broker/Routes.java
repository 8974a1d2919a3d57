package dev.edgetwin.edge.mqtt.broker;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Remembers which clients each topic name routes to, so that a topic published again and
 * again (every device's twin topics) is matched against the {@link SubscriptionTree} once,
 * not once per message. Any change of subscriptions forgets everything; when {@code capacity}
 * topics are remembered the cache starts over, so it never holds more than that.
 * Not thread-safe: owned by the {@link Broker}'s thread.
 */
final class Routes {
    /** Topics remembered at most (each entry: the topic string and a small map). */
    static final int DEFAULT_CAPACITY = 65_536;

    private final SubscriptionTree tree;
    private final int capacity;
    private final Map<String, Map<String, Integer>> byTopic = new HashMap<>();

    Routes(SubscriptionTree tree, int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive");
        this.tree = tree;
        this.capacity = capacity;
    }

    /** Client id → highest granted QoS of its subscriptions matching {@code name}; unmodifiable, shared. */
    Map<String, Integer> match(String name) {
        Map<String, Integer> targets = byTopic.get(name);
        if (targets != null) return targets;
        Map<String, Integer> found = tree.match(name);
        targets = found.isEmpty() ? Map.of() : Collections.unmodifiableMap(found);
        if (byTopic.size() >= capacity) byTopic.clear();
        byTopic.put(name, targets);
        return targets;
    }

    /** Subscriptions changed: every remembered route may be wrong now. */
    void invalidate() {
        byTopic.clear();
    }

    int size() {
        return byTopic.size();
    }
}
