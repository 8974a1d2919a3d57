package dev.edgetwin.edge.mqtt.broker;

import java.util.HashMap;
import java.util.Map;

/**
 * Subscriptions by topic filter, as a trie of topic levels, so that routing a message costs
 * the depth of its topic (times the wildcard branches), not the number of subscriptions.
 * Not thread-safe: owned by the {@link Broker}'s thread.
 */
public final class SubscriptionTree {
    private static final class Node {
        final Map<String, Node> children = new HashMap<>(4);
        final Map<String, Integer> subscribers = new HashMap<>(2);  // client id → SubscriptionOptions (granted QoS and flags)

        boolean isEmpty() {
            return children.isEmpty() && subscribers.isEmpty();
        }
    }

    private final Node root = new Node();
    private int size;

    /**
     * Adds or replaces the subscription of {@code clientId} to the valid {@code filter}.
     *
     * @param options its {@link SubscriptionOptions} (for an MQTT 3.1.1 client, just the granted QoS)
     * @return whether it is new (the client had no subscription to this filter)
     */
    public boolean subscribe(String filter, String clientId, int options) {
        Node node = root;
        for (String level : filter.split("/", -1)) node = node.children.computeIfAbsent(level, l -> new Node());
        if (node.subscribers.put(clientId, options) != null) return false;
        size++;
        return true;
    }

    /** Removes the subscription; returns whether it existed. */
    public boolean unsubscribe(String filter, String clientId) {
        return remove(root, filter.split("/", -1), 0, clientId);
    }

    private boolean remove(Node node, String[] levels, int i, String clientId) {
        if (i == levels.length) {
            boolean removed = node.subscribers.remove(clientId) != null;
            if (removed) size--;
            return removed;
        }
        Node child = node.children.get(levels[i]);
        if (child == null) return false;
        boolean removed = remove(child, levels, i + 1, clientId);
        if (child.isEmpty()) node.children.remove(levels[i]);   // prune, so the tree shrinks with its subscriptions
        return removed;
    }

    /**
     * Every client with a subscription matching the topic {@code name}, with the options of its
     * matching subscriptions merged ({@link SubscriptionOptions#merge}: the highest QoS granted
     * among them, MQTT 3.1.1 section 3.3.5).
     */
    public Map<String, Integer> match(String name) {
        Map<String, Integer> out = new HashMap<>();
        String[] levels = name.split("/", -1);
        // a $-topic is not matched by a wildcard in the first level (section 4.7.2)
        collect(root, levels, 0, out, !name.startsWith("$"));
        return out;
    }

    private static void collect(Node node, String[] levels, int i, Map<String, Integer> out, boolean wildcardsAllowed) {
        if (wildcardsAllowed) {
            Node hash = node.children.get("#");     // '#' also matches the parent level itself ("a/#" matches "a")
            if (hash != null) addAll(hash, out);
        }
        if (i == levels.length) {
            addAll(node, out);
            return;
        }
        Node exact = node.children.get(levels[i]);
        if (exact != null) collect(exact, levels, i + 1, out, true);
        if (wildcardsAllowed) {
            Node plus = node.children.get("+");
            if (plus != null) collect(plus, levels, i + 1, out, true);
        }
    }

    private static void addAll(Node node, Map<String, Integer> out) {
        node.subscribers.forEach((client, options) -> out.merge(client, options, SubscriptionOptions::merge));
    }

    /** Number of (filter, client) subscriptions. */
    public int size() {
        return size;
    }
}
