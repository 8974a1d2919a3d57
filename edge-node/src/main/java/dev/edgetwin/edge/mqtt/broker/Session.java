package dev.edgetwin.edge.mqtt.broker;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One client's MQTT session (MQTT 3.1.1 section 4.1): its subscriptions, the QoS 1 messages
 * sent and not yet acknowledged (redelivered with DUP after a reconnect), and the QoS 1
 * messages waiting for a free in-flight slot or for the client to come back. A clean session
 * ends with its connection; a persistent one outlives it. Owned by the {@link Broker}'s thread.
 */
final class Session {
    final String clientId;
    final boolean persistent;
    final Map<String, Integer> subscriptions = new HashMap<>();
    final LinkedHashMap<Integer, Message> inflight = new LinkedHashMap<>();
    final ArrayDeque<Message> pending = new ArrayDeque<>();
    ClientLink link;
    Message will;
    /** When the client left (the broker's clock, ms), for a stored session of a client not connected. */
    long leftAt;
    private int lastPacketId;

    Session(String clientId, boolean persistent) {
        this.clientId = clientId;
        this.persistent = persistent;
    }

    boolean online() {
        return link != null;
    }

    /** The next packet id in 1..65535 not held by an in-flight message (the caller keeps in-flight below 65535). */
    int nextPacketId() {
        do {
            lastPacketId = lastPacketId == 65_535 ? 1 : lastPacketId + 1;
        } while (inflight.containsKey(lastPacketId));
        return lastPacketId;
    }
}
