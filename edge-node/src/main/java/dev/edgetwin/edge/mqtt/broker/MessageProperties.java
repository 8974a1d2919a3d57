package dev.edgetwin.edge.mqtt.broker;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The MQTT 5 properties an application message carries from its publisher to its subscribers
 * (MQTT 5 section 3.3.2.3), none of them interpreted by the broker except the expiry. A message
 * of an MQTT 3.1.1 client has none (its {@link Message#properties} is null). The correlation
 * data array is shared, never written after construction, like a message's payload.
 *
 * @param payloadFormat    1: UTF-8 text, 0: bytes, -1: not given
 * @param expirySeconds    Message Expiry Interval: as published (the broker keeps the deadline in
 *                         {@link Message#expiresAt}) and as sent (the time left), -1 when not given
 * @param contentType      or null
 * @param responseTopic    or null
 * @param correlationData  or null
 * @param userProperties   name/value pairs in order (names may repeat); empty when none
 */
public record MessageProperties(int payloadFormat, long expirySeconds, String contentType, String responseTopic,
                                byte[] correlationData, List<Map.Entry<String, String>> userProperties) {
    public MessageProperties {
        if (payloadFormat < -1 || payloadFormat > 1) throw new IllegalArgumentException("payloadFormat must be -1, 0 or 1");
        if (expirySeconds < -1 || expirySeconds > 0xFFFF_FFFFL) throw new IllegalArgumentException("expirySeconds out of range");
        userProperties = List.copyOf(userProperties);
    }

    /** The same properties with another Message Expiry Interval (the time a message has left when sent). */
    public MessageProperties withExpirySeconds(long seconds) {
        return seconds == expirySeconds ? this
                : new MessageProperties(payloadFormat, seconds, contentType, responseTopic, correlationData, userProperties);
    }

    /** Roughly what the properties take in a packet and in memory (strings as UTF-8, each with its two length bytes). */
    public int size() {
        int n = (payloadFormat >= 0 ? 2 : 0) + (expirySeconds >= 0 ? 5 : 0) + text(contentType) + text(responseTopic)
                + (correlationData == null ? 0 : 3 + correlationData.length);
        for (Map.Entry<String, String> p : userProperties) n += 1 + utf8(p.getKey()) + 2 + utf8(p.getValue()) + 2;
        return n;
    }

    /** A string property: its id, two length bytes and the UTF-8 text; nothing when absent. */
    private static int text(String s) {
        return s == null ? 0 : 3 + utf8(s);
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageProperties p && payloadFormat == p.payloadFormat && expirySeconds == p.expirySeconds
                && Objects.equals(contentType, p.contentType) && Objects.equals(responseTopic, p.responseTopic)
                && Arrays.equals(correlationData, p.correlationData) && userProperties.equals(p.userProperties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(payloadFormat, expirySeconds, contentType, responseTopic, Arrays.hashCode(correlationData), userProperties);
    }

    @Override
    public String toString() {
        return "MessageProperties[format=" + payloadFormat + ", expiry=" + expirySeconds + ", contentType=" + contentType
                + ", responseTopic=" + responseTopic + ", correlation=" + (correlationData == null ? "none" : correlationData.length + " bytes")
                + ", user=" + userProperties + "]";
    }
}
