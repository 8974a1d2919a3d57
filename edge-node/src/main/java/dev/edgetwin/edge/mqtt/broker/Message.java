package dev.edgetwin.edge.mqtt.broker;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An application message as the broker routes it. {@code payload} is shared, never copied:
 * whoever builds a Message hands the array over and nobody writes to it afterwards.
 *
 * @param qos 0 or 1 (QoS 2 is downgraded to 1 on the way in)
 */
public record Message(String topic, byte[] payload, int qos, boolean retain) {
    public Message {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (qos < 0 || qos > 1) throw new IllegalArgumentException("qos must be 0 or 1, got " + qos);
    }

    public static Message of(String topic, String payload, int qos, boolean retain) {
        return new Message(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain);
    }

    /** The same message at another QoS and retain flag (delivery to one subscriber). */
    public Message with(int qos, boolean retain) {
        return qos == this.qos && retain == this.retain ? this : new Message(topic, payload, qos, retain);
    }

    /** What holding the message costs, as {@code mqtt.maxQueuedBytes} counts it: payload bytes plus topic characters. */
    public int size() {
        return payload.length + topic.length();
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && topic.equals(m.topic) && qos == m.qos && retain == m.retain
                && Arrays.equals(payload, m.payload);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * topic.hashCode() + Arrays.hashCode(payload)) + qos * 2 + (retain ? 1 : 0);
    }

    @Override
    public String toString() {
        return "Message[" + topic + ", " + payload.length + " bytes, qos=" + qos + (retain ? ", retained" : "") + "]";
    }
}
