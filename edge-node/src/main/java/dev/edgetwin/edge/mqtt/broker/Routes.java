package dev.edgetwin.edge.mqtt.broker;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The broker's subscriptions ({@link SubscriptionTree}) and the routes they give, remembered per
 * topic name, so that a topic published again and again (every device's twin topics) is matched
 * against the tree once, not once per message. Subscriptions change only through here, and any
 * change forgets every remembered route; when {@code capacity} topics are remembered the cache
 * starts over, so it never holds more than that. Not thread-safe: owned by the {@link Broker}'s thread.
 */
final class Routes {
    /** Topics remembered at most (each entry: the topic string and a small map). */
    static final int DEFAULT_CAPACITY = 65_536;

    private final SubscriptionTree tree = new SubscriptionTree();
    private final int capacity;
    private final Map<String, Map<String, Integer>> byTopic = new HashMap<>();
    private long version;

    Routes(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive");
        this.capacity = capacity;
    }

    /** {@link SubscriptionTree#subscribe}; forgets the remembered routes. */
    boolean subscribe(String filter, String clientId, int options) {
        boolean added = tree.subscribe(filter, clientId, options);
        forget();
        return added;
    }

    /** {@link SubscriptionTree#unsubscribe}; forgets the remembered routes when it removed one. */
    void unsubscribe(String filter, String clientId) {
        if (tree.unsubscribe(filter, clientId)) forget();
    }

    private void forget() {
        byTopic.clear();
        version++;
    }

    /** Changes with every change of the subscriptions: a route or an emptiness remembered from before it may be wrong since. */
    long version() {
        return version;
    }

    /** Number of (filter, client) subscriptions. */
    int subscriptionCount() {
        return tree.size();
    }

    /** Client id → merged {@link SubscriptionOptions} of its subscriptions matching {@code name}; unmodifiable, shared. */
    Map<String, Integer> match(String name) {
        Map<String, Integer> targets = byTopic.get(name);
        if (targets != null) return targets;
        Map<String, Integer> found = tree.match(name);
        targets = found.isEmpty() ? Map.of() : Collections.unmodifiableMap(found);
        if (byTopic.size() >= capacity) byTopic.clear();
        byTopic.put(name, targets);
        return targets;
    }

    /** Topics whose route is remembered. */
    int size() {
        return byTopic.size();
    }
}
