package dev.edgetwin.edge.mqtt.broker;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.function.Predicate;
import java.util.Map;

/**
 * One client's MQTT session (MQTT 3.1.1 section 4.1, MQTT 5 section 4.1): its subscriptions
 * (filter to {@link SubscriptionOptions}), the QoS 1 messages sent and not yet acknowledged
 * (redelivered with DUP after a reconnect), and the QoS 1 messages waiting for a free in-flight
 * slot or for the client to come back. A session that is not persistent ends with its
 * connection; a persistent one outlives it, for {@code lifetimeMillis}. Owned by the
 * {@link Broker}'s thread.
 */
final class Session {
    /** A lifetime without a time limit (only {@code maxOfflineSessions} ends the session). */
    static final long FOREVER = Long.MAX_VALUE;

    final String clientId;
    /** Orders sessions with the same deadline in the broker's expiry set. */
    final long serial;
    final Map<String, Integer> subscriptions = new HashMap<>();
    /** MQTT 5 Subscription Identifiers of those subscriptions that have one (filter to id), or null: none yet. */
    Map<String, Integer> subscriptionIds;
    final LinkedHashMap<Integer, Message> inflight = new LinkedHashMap<>();
    final ArrayDeque<Message> pending = new ArrayDeque<>();
    /** Whether it outlives its connection (MQTT 3.1.1: clean session off; MQTT 5: a session expiry interval above 0). */
    boolean persistent;
    /** How long it is kept after its client left (ms), {@link #FOREVER} for no time limit. */
    long lifetimeMillis;
    /** The session expiry interval as the client's CONNECT gave it (s), -1 for an MQTT 3.1.1 session (the broker's setting). */
    long expirySeconds;
    ClientLink link;
    Message will;
    /** The will's delay (MQTT 5 Will Delay Interval, ms); 0 publishes it as the connection ends. */
    long willDelayMillis;
    /** A will waiting for its delay to pass after the connection ended (or null), and when it is due. */
    Message delayedWill;
    long willDueAt;
    /** When the client left (the broker's clock, ms), for a stored session of a client not connected. */
    long leftAt;
    /** When the session expires while its client is away ({@link #FOREVER}: not before eviction). */
    long expiresAt = FOREVER;
    /** The client's Receive Maximum (its in-flight limit) within the broker's, and its Maximum Packet Size. */
    int inflightLimit;
    int maxPacketBytes = Integer.MAX_VALUE;
    /** Topic names nothing is delivered on to this connection's client (its ACL's deny rules), or null: none. */
    Predicate<String> denied;
    private int lastPacketId;

    Session(String clientId, long serial) {
        this.clientId = clientId;
        this.serial = serial;
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
