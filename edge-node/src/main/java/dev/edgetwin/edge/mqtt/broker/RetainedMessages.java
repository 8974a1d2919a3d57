package dev.edgetwin.edge.mqtt.broker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The last retained message of each topic (MQTT 3.1.1 section 3.3.1.3). A retained message
 * with an empty payload deletes the topic's entry. At most {@code capacity} topics and
 * {@code maxBytes} (payload bytes plus topic characters, {@link Message#size}) are kept: a
 * retained message that would go past either is refused, the topic keeping what it had
 * (existing topics can still be replaced within the bytes, or cleared), and the broker counts
 * the refusal. The broker's own {@code $SYS/} topics (a fixed handful) are kept outside those
 * limits and counts.
 * Not thread-safe: owned by the {@link Broker}'s thread.
 */
public final class RetainedMessages {
    private final int capacity;
    private final long maxBytes;
    private final Map<String, Message> byTopic = new HashMap<>();
    private long bytes;
    private int own;   // $SYS/ topics kept

    public RetainedMessages(int capacity, long maxBytes) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
    }

    /** Stores, replaces or (empty payload) clears; returns false when refused for capacity. */
    public boolean put(Message message) {
        if (message.topic().startsWith(Topics.SYS)) {
            boolean cleared = message.payload().length == 0;
            Message old = cleared ? byTopic.remove(message.topic()) : byTopic.put(message.topic(), message);
            own += (old == null ? 0 : -1) + (cleared ? 0 : 1);
            return true;
        }
        if (message.payload().length == 0) {
            Message gone = byTopic.remove(message.topic());
            if (gone != null) bytes -= gone.size();
            return true;
        }
        Message old = byTopic.get(message.topic());
        if (old == null && byTopic.size() - own >= capacity) return false;
        long after = bytes - (old == null ? 0 : old.size()) + message.size();
        if (after > maxBytes) return false;
        byTopic.put(message.topic(), message);
        bytes = after;
        return true;
    }

    /** Forgets {@code message} if it is still its topic's retained message (one that expired). */
    public void remove(Message message) {
        if (byTopic.get(message.topic()) == message) {
            byTopic.remove(message.topic());
            bytes -= message.size();
        }
    }

    /** Bytes of the messages kept ({@link Message#size}). */
    public long bytes() {
        return bytes;
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

    /** The retained messages, the broker's own {@code $SYS/} ones aside. */
    public List<Message> clients() {
        List<Message> out = new ArrayList<>(byTopic.size() - own);
        for (Message m : byTopic.values()) {
            if (!m.topic().startsWith(Topics.SYS)) out.add(m);
        }
        return out;
    }

    /** Topics with a retained message, the broker's own {@code $SYS/} topics not counted. */
    public int size() {
        return byTopic.size() - own;
    }
}
