package dev.edgetwin.edge.mqtt.broker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The last retained message of each topic (MQTT 3.1.1 section 3.3.1.3). A retained message
 * with an empty payload deletes the topic's entry. At most {@code capacity} topics are kept:
 * beyond that a new topic's retained message is refused (existing topics can still be
 * replaced or cleared), and the broker counts the refusal.
 * Not thread-safe: owned by the {@link Broker}'s thread.
 */
public final class RetainedMessages {
    private final int capacity;
    private final Map<String, Message> byTopic = new HashMap<>();

    public RetainedMessages(int capacity) {
        this.capacity = capacity;
    }

    /** Stores, replaces or (empty payload) clears; returns false when refused for capacity. */
    public boolean put(Message message) {
        if (message.payload().length == 0) {
            byTopic.remove(message.topic());
            return true;
        }
        if (!byTopic.containsKey(message.topic()) && byTopic.size() >= capacity) return false;
        byTopic.put(message.topic(), message);
        return true;
    }

    /** Retained messages whose topic the valid {@code filter} matches. */
    public List<Message> matching(String filter) {
        List<Message> out = new ArrayList<>();
        if (!filter.contains("+") && !filter.contains("#")) {
            Message m = byTopic.get(filter);
            if (m != null) out.add(m);
            return out;
        }
        for (Message m : byTopic.values()) {
            if (Topics.matches(filter, m.topic())) out.add(m);
        }
        return out;
    }

    public int size() {
        return byTopic.size();
    }
}
