package dev.edgetwin.edge.mqtt;

import dev.edgetwin.edge.mqtt.broker.MessageProperties;
import dev.edgetwin.edge.mqtt.broker.Topics;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperties;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MQTT 5 properties between Netty's packets and the broker's {@link MessageProperties}, and the
 * CONNACK properties by which the embedded broker says what it does not do (edge-node/MQTT.md,
 * "MQTT 5").
 */
final class Mqtt5 {
    /** Where Response Information points a client: topics of its own under this prefix. */
    static final String RESPONSE_PREFIX = "response/";

    private Mqtt5() {
    }

    /** An integer property as unsigned (a four-byte one may exceed {@code Integer.MAX_VALUE}), or {@code absent}. */
    static long unsigned(MqttProperties p, MqttPropertyType type, long absent) {
        MqttProperties.MqttProperty<?> prop = p == null ? null : p.getProperty(type.value());
        return prop != null && prop.value() instanceof Integer i ? Integer.toUnsignedLong(i) : absent;
    }

    private static String string(MqttProperties p, MqttPropertyType type) {
        MqttProperties.MqttProperty<?> prop = p.getProperty(type.value());
        return prop != null && prop.value() instanceof String s ? s : null;
    }

    /** The properties of a PUBLISH (or will) that go along with the message; null when it has none of them. */
    static MessageProperties message(MqttProperties p) {
        if (p == null || p.isEmpty()) return null;
        int format = (int) unsigned(p, MqttPropertyType.PAYLOAD_FORMAT_INDICATOR, -1);
        long expiry = unsigned(p, MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL, -1);
        String contentType = string(p, MqttPropertyType.CONTENT_TYPE);
        String responseTopic = string(p, MqttPropertyType.RESPONSE_TOPIC);
        MqttProperties.MqttProperty<?> correlation = p.getProperty(MqttPropertyType.CORRELATION_DATA.value());
        byte[] correlationData = correlation != null && correlation.value() instanceof byte[] b ? b : null;
        List<Map.Entry<String, String>> user = new ArrayList<>();
        // Netty lists user properties one pair each (UserProperty) or, as built, several together (UserProperties)
        for (MqttProperties.MqttProperty<?> prop : p.getProperties(MqttPropertyType.USER_PROPERTY.value())) {
            if (prop.value() instanceof StringPair pair) {
                user.add(new AbstractMap.SimpleImmutableEntry<>(pair.key, pair.value));
            } else if (prop.value() instanceof List<?> pairs) {
                for (Object o : pairs) {
                    if (o instanceof StringPair pair) user.add(new AbstractMap.SimpleImmutableEntry<>(pair.key, pair.value));
                }
            }
        }
        if (format < 0 && expiry < 0 && contentType == null && responseTopic == null && correlationData == null && user.isEmpty()) {
            return null;
        }
        return new MessageProperties(Math.min(format, 1), expiry, contentType, responseTopic, correlationData, user);
    }

    /**
     * The PUBLISH properties of a message as sent to an MQTT 5 subscriber: its own, a Topic Alias
     * (none when {@code topicAlias} is 0) and the Subscription Identifiers of the subscriptions it
     * matches (none when null).
     */
    static MqttProperties publish(MessageProperties m, int topicAlias, int[] subscriptionIds) {
        if (m == null && topicAlias == 0 && subscriptionIds == null) return MqttProperties.NO_PROPERTIES;
        MqttProperties p = new MqttProperties();
        if (topicAlias != 0) p.add(new IntegerProperty(MqttPropertyType.TOPIC_ALIAS.value(), topicAlias));
        if (subscriptionIds != null) {
            for (int id : subscriptionIds) p.add(new IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), id));
        }
        if (m == null) return p;
        if (m.payloadFormat() >= 0) p.add(new IntegerProperty(MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value(), m.payloadFormat()));
        if (m.expirySeconds() >= 0) p.add(new IntegerProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(), (int) m.expirySeconds()));
        if (m.contentType() != null) p.add(new StringProperty(MqttPropertyType.CONTENT_TYPE.value(), m.contentType()));
        if (m.responseTopic() != null) p.add(new StringProperty(MqttPropertyType.RESPONSE_TOPIC.value(), m.responseTopic()));
        if (m.correlationData() != null) p.add(new BinaryProperty(MqttPropertyType.CORRELATION_DATA.value(), m.correlationData()));
        if (!m.userProperties().isEmpty()) {
            UserProperties user = new UserProperties();
            for (Map.Entry<String, String> e : m.userProperties()) user.add(e.getKey(), e.getValue());
            p.add(user);
        }
        return p;
    }

    /**
     * CONNACK's properties: Maximum QoS 1, subscription identifiers, shared subscriptions, the
     * topic aliases a client may set (absent when none: 0), the largest packet the broker reads,
     * the session expiry interval when the broker granted less than asked, the client id the
     * broker assigned to a CONNECT with an empty one (MQTT 5 section 3.2.2.3.7), or null, and the
     * Response Information for a CONNECT that asked for it (section 3.2.2.3.15), or null.
     */
    static MqttProperties connack(int maxMessageBytes, int topicAliasMaximum, long askedExpiry, long grantedExpiry, String assignedClientId,
                                  String responseInformation) {
        MqttProperties p = new MqttProperties();
        p.add(new IntegerProperty(MqttPropertyType.MAXIMUM_QOS.value(), 1));
        p.add(new IntegerProperty(MqttPropertyType.RETAIN_AVAILABLE.value(), 1));
        p.add(new IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE.value(), 1));
        p.add(new IntegerProperty(MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE.value(), 1));
        p.add(new IntegerProperty(MqttPropertyType.WILDCARD_SUBSCRIPTION_AVAILABLE.value(), 1));
        p.add(new IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), maxMessageBytes));
        if (topicAliasMaximum > 0) p.add(new IntegerProperty(MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value(), topicAliasMaximum));
        if (grantedExpiry != askedExpiry) p.add(new IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), (int) grantedExpiry));
        if (assignedClientId != null) p.add(new StringProperty(MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value(), assignedClientId));
        if (responseInformation != null) p.add(new StringProperty(MqttPropertyType.RESPONSE_INFORMATION.value(), responseInformation));
        return p;
    }

    /**
     * The Response Information for {@code clientId} (MQTT 5 section 3.2.2.3.15: the basis of the
     * Response Topics a client names in its requests): {@code response/<client id>/}, a topic tree
     * no other client is given; null (none sent, as the section allows) for a client id that cannot
     * be a topic level ({@code /}, {@code +}, {@code #}, or the NUL character in it).
     */
    static String responseInformation(String clientId) {
        return Topics.isOneLevel(clientId) ? RESPONSE_PREFIX + clientId + "/" : null;
    }

    /** Properties holding only a Reason String (MQTT 5 section 3.2.2.3.9 and its like): what a human reads about a refusal. */
    static MqttProperties reason(String text) {
        MqttProperties p = new MqttProperties();
        p.add(new StringProperty(MqttPropertyType.REASON_STRING.value(), text));
        return p;
    }

    /** Why a SUBACK code refuses a filter, for its Reason String; null for a granted QoS. */
    static String subAckReason(MqttSubAckReasonCode code) {
        return switch (code) {
            case GRANTED_QOS0, GRANTED_QOS1, GRANTED_QOS2 -> null;
            case NOT_AUTHORIZED -> "the ACL (--mqtt-acl) does not let this client read it";
            case TOPIC_FILTER_INVALID -> "not a valid topic filter";
            case QUOTA_EXCEEDED -> "the session holds mqtt.maxSubscriptions filters";
            default -> "refused (" + code + ")";
        };
    }

    /** A SUBACK code as Vert.x names it: a granted QoS or one of the broker's refusals. */
    static MqttSubAckReasonCode subAck(int code) {
        for (MqttSubAckReasonCode c : MqttSubAckReasonCode.values()) {
            if ((c.value() & 0xFF) == code) return c;
        }
        return MqttSubAckReasonCode.UNSPECIFIED_ERROR;
    }

    /** The session expiry interval a CONNECT asks for (absent: 0, the session ends with the connection). */
    static long sessionExpiry(MqttProperties connect) {
        return unsigned(connect, MqttPropertyType.SESSION_EXPIRY_INTERVAL, 0);   // four bytes: at most 0xFFFFFFFF, "never"
    }
}
