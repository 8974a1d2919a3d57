package dev.edgetwin.edge.mqtt;

import dev.edgetwin.edge.kubeedge.KubeEdgeTwinService;
import dev.edgetwin.edge.kubeedge.TwinTopic;
import dev.edgetwin.edge.mqtt.broker.Acl;
import dev.edgetwin.edge.mqtt.broker.Broker;
import dev.edgetwin.edge.mqtt.broker.ClientLink;
import dev.edgetwin.edge.mqtt.broker.Message;
import dev.edgetwin.edge.mqtt.broker.MessageProperties;
import dev.edgetwin.edge.mqtt.broker.SubscriptionOptions;
import dev.edgetwin.edge.mqtt.broker.Topics;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.VertxHeapByteBuf;
import io.vertx.core.buffer.impl.VertxUnsafeHeapByteBuf;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.MqttWill;
import io.vertx.mqtt.messages.MqttDisconnectMessage;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One client connection of the embedded broker: turns the Vert.x endpoint's packets into
 * {@link Broker} calls, hands messages on KubeEdge twin topics to the twin service as well,
 * and acknowledges QoS 1 publications in order once they are handled. Lives on the broker's
 * event loop.
 *
 * <p>QoS 2 publications are accepted (PUBREC/PUBREL/PUBCOMP are answered) and handled as
 * QoS 1: the broker delivers at most QoS 1. An MQTT 5 client's CONNECT properties, message
 * properties, subscription options and reason codes are handled here and in {@link Mqtt5}.
 */
final class BrokerConnection implements ClientLink {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerConnection.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final MqttEndpoint endpoint;
    private final Broker broker;
    private final KubeEdgeTwinService twins;
    private final MqttSettings settings;
    private final MqttAccess access;
    private final InOrderAcks acks = new InOrderAcks();
    private Packets packets;   // null: Vert.x's own publish and acknowledge
    private Acl.Grants grants; // null: no ACL, any topic
    private long accessVersion; // the access's version the grants were taken at
    private String user;
    private boolean graceful;
    private boolean v5;
    private boolean problemInfo;   // an MQTT 5 client takes reason strings in PUBACK and SUBACK
    private String clientId;   // as the CONNECT gave it, or assigned by the broker to an empty one
    private String[] topicAliases;   // an MQTT 5 client's topic aliases (index: alias), made when it sets the first
    private Map<String, Integer> sentAliases;   // the broker's aliases for topics it sends this MQTT 5 client, or null: none
    private int sentAliasLimit;   // how many: the client's Topic Alias Maximum within mqtt.topicAliasMaximum

    BrokerConnection(MqttEndpoint endpoint, Broker broker, KubeEdgeTwinService twins, MqttSettings settings, MqttAccess access) {
        this.endpoint = endpoint;
        this.broker = broker;
        this.twins = twins;
        this.settings = settings;
        this.access = access;
    }

    /** Accepts or refuses the CONNECT and wires the handlers. */
    void start() {
        v5 = endpoint.protocolVersion() >= 5;
        // an empty client id with clean session (Vert.x refuses one without): the broker assigns one, as mosquitto does
        boolean assigned = endpoint.clientIdentifier() == null || endpoint.clientIdentifier().isEmpty();
        clientId = assigned ? "auto-" + UUID.randomUUID() : endpoint.clientIdentifier();
        // MQTT 5: Request Problem Information 0 keeps reason strings out of PUBACK and SUBACK (section 3.1.2.11.7)
        problemInfo = v5 && Mqtt5.unsigned(endpoint.connectProperties(), MqttPropertyType.REQUEST_PROBLEM_INFORMATION, 1) != 0;
        if (v5 && endpoint.connectProperties().getProperty(MqttPropertyType.AUTHENTICATION_METHOD.value()) != null) {
            // enhanced authentication (MQTT 5 section 4.12) is not offered: CONNACK 0x8C, as section 3.1.2.11.9 allows
            reject(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD, null,
                    "enhanced authentication is not offered: connect with a user name and password");
            return;
        }
        if (v5 && endpoint.will() != null && endpoint.will().isWillFlag() && endpoint.will().getWillQos() > 1) {
            // the broker's Maximum QoS is 1: a will at QoS 2 is refused with 0x9B (MQTT 5 section 3.2.2.3.4)
            reject(MqttConnectReturnCode.CONNECTION_REFUSED_QOS_NOT_SUPPORTED, null, "a will at QoS 2: the broker's maximum is 1");
            return;
        }
        user = endpoint.auth() == null ? null : endpoint.auth().getUsername();
        String pass = endpoint.auth() == null ? null : endpoint.auth().getPassword();
        if (!access.users().accepts(user, pass)) {
            reject(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD,
                    MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
            return;
        }
        if (!broker.admitsConnect(clientId)) {
            long refused = broker.connectionsRefusedCount();
            String why = broker.connectedCount() + " clients connected, the most the broker takes (mqtt.maxConnections)";
            if (Long.bitCount(refused) == 1) {   // the 1st, 2nd, 4th, ...: not a line per attempt of clients retrying
                LOG.info("mqtt client {} from {} refused: {}; {} refused so far", clientId, endpoint.remoteAddress(), why, refused);
            }
            endpoint.reject(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, v5 ? Mqtt5.reason(why) : MqttProperties.NO_PROPERTIES);
            return;
        }
        Message will = will(endpoint.will());
        if (endpoint.will() != null && endpoint.will().isWillFlag() && will == null) {
            reject(MqttConnectReturnCode.CONNECTION_REFUSED_TOPIC_NAME_INVALID, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                    "invalid will topic");
            return;
        }
        accessVersion = access.version();
        if (access.acl() != null) grants = access.acl().grants(user, clientId);
        if (will != null && ((grants != null && !grants.mayPublish(will.topic())) || will.topic().startsWith(SysTopics.ROOT))) {
            denied("its will on " + will.topic());
            will = null;
        }
        Flushes.consolidate(endpoint, settings.flushAfterWrites());
        // MQTT 5 packets carry properties Packets does not write: Vert.x MQTT encodes those
        if (settings.encodeDirectly() && endpoint.protocolVersion() <= 4) packets = Packets.of(endpoint);
        endpoint.publishAutoAck(false);
        endpoint.publishHandler(this::onPublish);
        endpoint.publishReleaseHandler(endpoint::publishComplete);
        endpoint.publishAcknowledgeHandler(id -> broker.acknowledged(this, id));
        endpoint.subscribeHandler(this::onSubscribe);
        endpoint.unsubscribeHandler(u -> {
            broker.unsubscribe(this, u.topics());
            endpoint.unsubscribeAcknowledge(u.messageId());
        });
        if (v5) {
            endpoint.disconnectMessageHandler(this::onDisconnect);
        } else {
            endpoint.disconnectHandler(v -> graceful = true);
        }
        endpoint.exceptionHandler(t -> LOG.debug("mqtt client {}: {}", clientId, t.toString()));
        endpoint.closeHandler(v -> {
            access.unregister(this);
            broker.disconnected(this, graceful);
        });
        if (v5) {
            long accepts = Mqtt5.unsigned(endpoint.connectProperties(), MqttPropertyType.TOPIC_ALIAS_MAXIMUM, 0);
            sentAliasLimit = (int) Math.min(accepts, settings.topicAliasMaximum());
        }
        Broker.Connect connect = connect(clientId, will);
        boolean present = broker.sessionPresent(clientId, endpoint.isCleanSession());
        if (v5) {
            boolean wantsResponseInformation = Mqtt5.unsigned(endpoint.connectProperties(), MqttPropertyType.REQUEST_RESPONSE_INFORMATION, 0) != 0;
            endpoint.accept(present, Mqtt5.connack(settings.maxMessageBytes(), settings.topicAliasMaximum(), connect.expirySeconds(),
                    broker.grantedExpirySeconds(connect.expirySeconds()), assigned ? clientId : null,
                    wantsResponseInformation ? Mqtt5.responseInformation(clientId) : null));
        } else {
            endpoint.accept(present);
        }
        // a resumed session may hold subscriptions and messages from before the ACL changed (a reload, or a restart with another file)
        Acl.Grants g = grants;
        broker.connect(g == null ? connect : connect.withReadCheck(g::maySubscribe, g.hasDenials() ? g::isDenied : null), this);
        access.register(this);
        LOG.debug("mqtt client {} connected from {} (clean={}, keep-alive={}s, session present={})", clientId,
                endpoint.remoteAddress(), endpoint.isCleanSession(), endpoint.keepAliveTimeSeconds(), present);
    }

    /**
     * Refuses the CONNECT, logged with {@code why}: an MQTT 5 client gets {@code v5Code} and {@code why}
     * as CONNACK's Reason String, an MQTT 3.1.1 one {@code v3Code} (null: only MQTT 5 clients get here).
     */
    private void reject(MqttConnectReturnCode v5Code, MqttConnectReturnCode v3Code, String why) {
        LOG.info("mqtt client {} from {} refused: {}", clientId, endpoint.remoteAddress(), why);
        if (v5) {
            endpoint.reject(v5Code, Mqtt5.reason(why));
        } else {
            endpoint.reject(v3Code);
        }
    }

    /** The CONNECT as the broker takes it: MQTT 3.1.1's clean session, or MQTT 5's clean start and properties. */
    private Broker.Connect connect(String clientId, Message will) {
        if (!v5) return Broker.Connect.v3(clientId, endpoint.isCleanSession(), will);
        MqttProperties p = endpoint.connectProperties();
        long receiveMaximum = Mqtt5.unsigned(p, MqttPropertyType.RECEIVE_MAXIMUM, 65_535);
        long maxPacket = Mqtt5.unsigned(p, MqttPropertyType.MAXIMUM_PACKET_SIZE, Integer.MAX_VALUE);
        long willDelay = will == null ? 0 : Mqtt5.unsigned(endpoint.will().getWillProperties(), MqttPropertyType.WILL_DELAY_INTERVAL, 0);
        return new Broker.Connect(clientId, endpoint.isCleanSession(), Mqtt5.sessionExpiry(p), (int) Math.max(1, receiveMaximum),
                (int) Math.max(1, Math.min(maxPacket, Integer.MAX_VALUE)), will, willDelay);
    }

    private Message will(MqttWill w) {
        if (w == null || !w.isWillFlag()) return null;
        if (w.getWillTopic() == null || Topics.checkName(w.getWillTopic(), broker.settings().maxTopicBytes()) != null) return null;
        byte[] payload = w.getWillMessageBytes() == null ? new byte[0] : w.getWillMessageBytes();
        MessageProperties properties = v5 ? Mqtt5.message(w.getWillProperties()) : null;
        return new Message(w.getWillTopic(), payload, Math.min(w.getWillQos(), 1), w.isWillRetain(), properties);
    }

    /**
     * An MQTT 5 DISCONNECT: reason 0x04 asks for the will; a Session Expiry Interval sets the
     * session's anew (from 0 to more is a protocol error: the will goes out, nothing else changes).
     */
    private void onDisconnect(MqttDisconnectMessage d) {
        graceful = d.code() != MqttDisconnectReasonCode.WITH_WILL_MESSAGE;
        long expiry = Mqtt5.unsigned(d.properties(), MqttPropertyType.SESSION_EXPIRY_INTERVAL, -1);
        if (expiry >= 0 && !broker.changeExpiry(this, expiry)) {
            LOG.info("mqtt client {}: DISCONNECT sets a session expiry interval of {} s on a session that had none: a protocol "
                    + "error (MQTT 5 section 3.14.2.2.2), ignored", clientId, expiry);
            graceful = false;
        }
    }

    private void onPublish(MqttPublishMessage msg) {
        if (v5 && msg.qosLevel() == MqttQoS.EXACTLY_ONCE) {
            // above the Maximum QoS in CONNACK: a protocol error (MQTT 5 section 3.2.2.3.4)
            refuse(MqttDisconnectReasonCode.QOS_NOT_SUPPORTED, "published at QoS 2 (the broker's maximum is 1)");
            return;
        }
        String topic = msg.topicName();
        if (v5 && msg.properties().getProperty(MqttPropertyType.TOPIC_ALIAS.value()) != null) {
            topic = aliased(topic, (int) Mqtt5.unsigned(msg.properties(), MqttPropertyType.TOPIC_ALIAS, 0));
            if (topic == null) return;
        }
        String bad = Topics.checkName(topic, broker.settings().maxTopicBytes());
        if (bad != null) {
            // a protocol violation (MQTT 3.1.1 section 4.7.3): the connection is closed, its will published
            refuse(MqttDisconnectReasonCode.TOPIC_NAME_INVALID, "published to an invalid topic (" + bad + ")");
            return;
        }
        Acl.Grants grants = grants();
        // $SYS/ is the broker's own (SysTopics; its retained messages are outside the clients' limits)
        if ((grants != null && !grants.mayPublish(topic)) || topic.startsWith(SysTopics.ROOT)) {
            // MQTT 3.1.1 section 3.3.5: acknowledged as usual (in order with the others), and dropped; MQTT 5 says why
            denied("a PUBLISH to " + topic);
            if (v5 && msg.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                int id = msg.messageId();
                MqttProperties why = problemInfo ? Mqtt5.reason("the ACL (--mqtt-acl) does not let this client publish to " + topic)
                        : MqttProperties.NO_PROPERTIES;
                acks.add(DONE, () -> endpoint.publishAcknowledge(id, MqttPubAckReasonCode.NOT_AUTHORIZED, why));
            } else {
                acknowledge(msg, DONE);
            }
            return;
        }
        int qos = Math.min(msg.qosLevel().value(), 1);
        byte[] payload = bytes(msg.payload());
        MessageProperties properties = v5 ? Mqtt5.message(msg.properties()) : null;
        TwinTopic twin = topic.startsWith("$hw/") ? twins.twinTopic(topic) : null;
        CompletableFuture<Void> handled = DONE;
        String origin = clientId;
        if (twin == null) {
            broker.publish(new Message(topic, payload, qos, msg.isRetain(), properties), origin);
        } else {
            // a twin topic goes on with the routes kept on the twin service's object for it
            broker.publish(new Message(twin.name(), payload, qos, msg.isRetain(), properties),
                    EmbeddedBroker.route(broker, twin.name(), twin.memo()), origin);
            handled = twins.handle(twin, payload);
        }
        acknowledge(msg, handled);
    }

    /**
     * The topic of a PUBLISH with topic alias {@code alias} (MQTT 5 section 3.3.2.3.4): a topic
     * name sets the alias to it, an empty one uses the alias. An alias of 0 or above
     * {@code mqtt.topicAliasMaximum} (CONNACK's Topic Alias Maximum), or one used before it was
     * set, ends the connection (DISCONNECT 0x94, 0x82) and gives null. A topic name that is not
     * valid is not kept (the caller refuses it).
     */
    private String aliased(String topic, int alias) {
        if (alias < 1 || alias > settings.topicAliasMaximum()) {
            refuse(MqttDisconnectReasonCode.TOPIC_ALIAS_INVALID, "used topic alias " + alias + " (at most "
                    + settings.topicAliasMaximum() + ", mqtt.topicAliasMaximum)");
            return null;
        }
        if (topicAliases == null) topicAliases = new String[settings.topicAliasMaximum() + 1];
        if (!topic.isEmpty()) {
            if (Topics.checkName(topic, broker.settings().maxTopicBytes()) == null) topicAliases[alias] = topic;
            return topic;
        }
        if (topicAliases[alias] == null) {
            refuse(MqttDisconnectReasonCode.PROTOCOL_ERROR, "used topic alias " + alias + " before setting it");
            return null;
        }
        return topicAliases[alias];
    }

    /**
     * The alias under which {@code topic} goes to this MQTT 5 client (MQTT 5 section 3.3.2.3.4):
     * negative when the client knows it already (the PUBLISH carries the alias alone), positive
     * when this PUBLISH sets it (topic and alias), 0 when the client's aliases are all taken (the
     * first topics sent keep them for the connection: a mapper's few twin topics, typically).
     */
    private int sentAlias(String topic) {
        if (sentAliases == null) sentAliases = new HashMap<>();
        Integer known = sentAliases.get(topic);
        if (known != null) return -known;
        if (sentAliases.size() >= sentAliasLimit) return 0;
        int alias = sentAliases.size() + 1;
        sentAliases.put(topic, alias);
        return alias;
    }

    /** Acknowledges a QoS 1 (or 2) publication once {@code handled} completes, in the order the publications came. */
    private void acknowledge(MqttPublishMessage msg, CompletableFuture<Void> handled) {
        if (msg.qosLevel() == MqttQoS.AT_LEAST_ONCE && packets != null) {
            int id = msg.messageId();
            acks.add(handled, () -> {
                if (endpoint.isConnected()) packets.puback(id);
            });
        } else if (msg.qosLevel() != MqttQoS.AT_MOST_ONCE) {
            acks.add(handled, msg::ack);
        }
    }

    /**
     * A publication's payload as an array. Vert.x hands each payload over as its own heap copy
     * (a Vert.x heap buffer: never pooled, never released) that nothing else holds: when that copy
     * is exactly the payload, its array is taken as it is rather than copied again; any other
     * buffer is copied.
     */
    static byte[] bytes(Buffer payload) {
        if (payload instanceof BufferInternal internal) {
            ByteBuf b = internal.unwrap();
            if ((b instanceof VertxUnsafeHeapByteBuf || b instanceof VertxHeapByteBuf)
                    && b.arrayOffset() == 0 && b.readerIndex() == 0 && b.writerIndex() == b.array().length) {
                return b.array();
            }
        }
        return payload.getBytes();
    }

    private void onSubscribe(MqttSubscribeMessage sub) {
        List<Map.Entry<String, Integer>> requests = new ArrayList<>();
        List<MqttTopicSubscription> asked = sub.topicSubscriptions();
        boolean[] refused = new boolean[asked.size()];
        Acl.Grants grants = grants();
        for (int i = 0; i < asked.size(); i++) {
            MqttTopicSubscription s = asked.get(i);
            if (grants != null && !grants.maySubscribe(s.topicName())) {
                refused[i] = true;
                denied("a SUBSCRIBE to " + s.topicName());
                continue;
            }
            requests.add(new AbstractMap.SimpleEntry<>(s.topicName(), request(s)));
        }
        int subscriptionId = v5 ? (int) Mqtt5.unsigned(sub.properties(), MqttPropertyType.SUBSCRIPTION_IDENTIFIER, 0) : 0;
        Broker.Subscribed result = broker.subscribe(this, requests, subscriptionId);
        if (v5) {
            List<MqttSubAckReasonCode> codes = new ArrayList<>(asked.size());
            List<String> why = new ArrayList<>();
            for (int i = 0, next = 0; i < asked.size(); i++) {
                MqttSubAckReasonCode code = refused[i] ? MqttSubAckReasonCode.NOT_AUTHORIZED : Mqtt5.subAck(result.granted().get(next++));
                codes.add(code);
                String reason = Mqtt5.subAckReason(code);
                if (reason != null) why.add(asked.get(i).topicName() + ": " + reason);
            }
            endpoint.subscribeAcknowledge(sub.messageId(), codes, problemInfo && !why.isEmpty() ? Mqtt5.reason(String.join("; ", why))
                    : MqttProperties.NO_PROPERTIES);
        } else {
            List<MqttQoS> granted = new ArrayList<>(asked.size());
            for (int i = 0, next = 0; i < asked.size(); i++) {
                int code = refused[i] ? 0x80 : result.granted().get(next++);
                granted.add(MqttQoS.valueOf(code >= 0x80 ? 0x80 : code));
            }
            endpoint.subscribeAcknowledge(sub.messageId(), granted);
        }
        broker.deliver(this, result.retained());
    }

    /** A subscription's request as the broker takes it: the QoS, and an MQTT 5 client's options. */
    private int request(MqttTopicSubscription s) {
        int qos = s.qualityOfService().value();
        MqttSubscriptionOption o = s.subscriptionOption();
        if (!v5 || o == null) return Math.min(Math.max(qos, 0), 2);
        int retainHandling = switch (o.retainHandling()) {
            case SEND_AT_SUBSCRIBE -> 0;
            case SEND_AT_SUBSCRIBE_IF_NOT_YET_EXISTS -> 1;
            case DONT_SEND_AT_SUBSCRIBE -> 2;
        };
        return SubscriptionOptions.request(Math.min(Math.max(qos, 0), 2), o.isNoLocal(), o.isRetainAsPublished(), retainHandling);
    }

    /** The connection's grants under the access now in force (taken anew after a reload); null without an ACL. */
    private Acl.Grants grants() {
        if (accessVersion != access.version()) {
            accessVersion = access.version();
            grants = access.acl() == null ? null : access.acl().grants(user, clientId);
        }
        return grants;
    }

    /**
     * Unsubscribes the filters of this connection's session that the ACL now in force does not
     * cover (as a SUBSCRIBE to them now would be refused), and drops the messages waiting for it
     * on topics it may no longer read; returns how many filters.
     */
    int revokeUncovered() {
        Acl.Grants g = grants();
        if (g == null) return 0;
        return broker.revoke(this, g::maySubscribe, g.hasDenials() ? g::isDenied : null).size();
    }

    /** Counts what the ACL refused; logs the 1st, 2nd, 4th, 8th, ... refusal (not a line per message of a client retrying). */
    private void denied(String what) {
        long count = broker.countDenied();
        if (Long.bitCount(count) == 1) {
            LOG.info("mqtt client {} (user {}): {} refused by the ACL (--mqtt-acl); {} refused so far", clientId,
                    endpoint.auth() == null ? "none" : endpoint.auth().getUsername(), what, count);
        }
    }

    @Override
    public void send(Message m, int packetId, boolean dup, int[] subscriptionIds) {
        if (!endpoint.isConnected()) return;
        try {
            if (packets != null) {
                packets.publish(m.topic(), m.payload(), m.qos(), dup, m.retain(), packetId);
            } else if (v5) {
                int alias = sentAliasLimit == 0 ? 0 : sentAlias(m.topic());
                // a topic sent before under an alias goes as the alias alone
                String topic = alias < 0 ? "" : m.topic();
                endpoint.publish(topic, Buffer.buffer(m.payload()), MqttQoS.valueOf(m.qos()), dup, m.retain(), packetId,
                        Mqtt5.publish(m.properties(), Math.abs(alias), subscriptionIds));
            } else if (m.qos() == 0) {
                endpoint.publish(m.topic(), Buffer.buffer(m.payload()), MqttQoS.AT_MOST_ONCE, false, m.retain());
            } else {
                endpoint.publish(m.topic(), Buffer.buffer(m.payload()), MqttQoS.AT_LEAST_ONCE, dup, m.retain(), packetId);
            }
        } catch (RuntimeException e) {
            LOG.debug("mqtt client {}: cannot send on {}: {}", clientId, m.topic(), e.toString());
        }
    }

    /** Its session was taken over by a new connection with the same client id: an MQTT 5 client is told so (DISCONNECT 0x8E). */
    @Override
    public void close() {
        endpoint.disconnect(MqttDisconnectReasonCode.SESSION_TAKEN_OVER, reason("another connection with this client id took the session over"));
    }

    /** The broker stops: an MQTT 5 client is told so (DISCONNECT 0x8B) before the connection closes. */
    void shuttingDown() {
        if (endpoint.isConnected()) endpoint.disconnect(MqttDisconnectReasonCode.SERVER_SHUTTING_DOWN, reason("the edge is stopping"));
    }

    /** Ends the connection for a protocol error, logged with {@code what}; an MQTT 5 client gets DISCONNECT with {@code reason}. Its will goes out. */
    private void refuse(MqttDisconnectReasonCode reason, String what) {
        LOG.info("mqtt client {} {}: closing the connection", clientId, what);
        endpoint.disconnect(reason, reason("the client " + what));
    }

    /** A DISCONNECT's Reason String for an MQTT 5 client (Vert.x sends an MQTT 3.1.1 client no DISCONNECT). */
    private MqttProperties reason(String why) {
        return v5 ? Mqtt5.reason(why) : MqttProperties.NO_PROPERTIES;
    }

    @Override
    public String toString() {
        return "mqtt client " + clientId;
    }
}
