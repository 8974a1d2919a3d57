package dev.edgetwin.edge.mqtt.broker;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages the broker holds that are kept across a restart: the retained messages (the
 * broker's own {@code $SYS/} topics aside) and the QoS 1 messages each persistent session holds
 * for its client (in flight first, then waiting, in the order they are to be sent).
 *
 * @param clock what the clock the messages' {@link Message#expiresAt} deadlines are on read when
 *              they were taken: a deadline minus it is the time the message had left
 */
public record StoredMessages(List<Message> retained, Map<String, List<Message>> queued, long clock) {
    public StoredMessages {
        retained = List.copyOf(retained);
        queued = Collections.unmodifiableMap(new LinkedHashMap<>(queued));
    }

    /** Messages in all. */
    public int count() {
        int n = retained.size();
        for (List<Message> q : queued.values()) n += q.size();
        return n;
    }
}
