package dev.edgetwin.edge.mqtt.broker;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An application message as the broker routes it. {@code payload} is shared, never copied:
 * whoever builds a Message hands the array over and nobody writes to it afterwards.
 *
 * @param qos        0 or 1 (QoS 2 is downgraded to 1 on the way in)
 * @param properties its MQTT 5 properties, or null (a message of an MQTT 3.1.1 client, or the edge's own)
 * @param expiresAt  when it expires on the broker's clock (ms; set by the broker from the Message
 *                   Expiry Interval as it is published), 0: never
 */
public record Message(String topic, byte[] payload, int qos, boolean retain, MessageProperties properties, long expiresAt) {
    public Message {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (qos < 0 || qos > 1) throw new IllegalArgumentException("qos must be 0 or 1, got " + qos);
    }

    /** A message without properties. */
    public Message(String topic, byte[] payload, int qos, boolean retain) {
        this(topic, payload, qos, retain, null, 0);
    }

    /** A message with MQTT 5 properties (or null), not yet given its deadline. */
    public Message(String topic, byte[] payload, int qos, boolean retain, MessageProperties properties) {
        this(topic, payload, qos, retain, properties, 0);
    }

    public static Message of(String topic, String payload, int qos, boolean retain) {
        return new Message(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain);
    }

    /** The same message at another QoS and retain flag (delivery to one subscriber). */
    public Message with(int qos, boolean retain) {
        return qos == this.qos && retain == this.retain ? this : new Message(topic, payload, qos, retain, properties, expiresAt);
    }

    /** The same message with other properties and deadline. */
    Message with(MessageProperties properties, long expiresAt) {
        return new Message(topic, payload, qos, retain, properties, expiresAt);
    }

    /**
     * What holding the message costs, as {@code mqtt.maxQueuedBytes} counts it: payload bytes plus
     * topic characters (plus its properties' size, when it has any).
     */
    public int size() {
        return payload.length + topic.length() + (properties == null ? 0 : properties.size());
    }

    /** Whether it has expired at {@code now} (the broker's clock, ms). */
    boolean expired(long now) {
        return expiresAt != 0 && now >= expiresAt;
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && topic.equals(m.topic) && qos == m.qos && retain == m.retain
                && Arrays.equals(payload, m.payload) && Objects.equals(properties, m.properties) && expiresAt == m.expiresAt;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * topic.hashCode() + Arrays.hashCode(payload)) + qos * 2 + (retain ? 1 : 0) + Objects.hashCode(properties);
    }

    @Override
    public String toString() {
        return "Message[" + topic + ", " + payload.length + " bytes, qos=" + qos + (retain ? ", retained" : "")
                + (properties == null ? "" : ", " + properties) + "]";
    }
}
