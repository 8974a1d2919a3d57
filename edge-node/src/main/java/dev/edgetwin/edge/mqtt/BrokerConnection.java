package dev.edgetwin.edge.mqtt;

import dev.edgetwin.edge.kubeedge.KubeEdgeTwinService;
import dev.edgetwin.edge.kubeedge.TwinTopic;
import dev.edgetwin.edge.mqtt.broker.Acl;
import dev.edgetwin.edge.mqtt.broker.Broker;
import dev.edgetwin.edge.mqtt.broker.ClientLink;
import dev.edgetwin.edge.mqtt.broker.Message;
import dev.edgetwin.edge.mqtt.broker.Topics;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.VertxHeapByteBuf;
import io.vertx.core.buffer.impl.VertxUnsafeHeapByteBuf;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.MqttWill;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One client connection of the embedded broker: turns the Vert.x endpoint's packets into
 * {@link Broker} calls, hands messages on KubeEdge twin topics to the twin service as well,
 * and acknowledges QoS 1 publications in order once they are handled. Lives on the broker's
 * event loop.
 *
 * <p>QoS 2 publications are accepted (PUBREC/PUBREL/PUBCOMP are answered) and handled as
 * QoS 1: the broker delivers at most QoS 1.
 */
final class BrokerConnection implements ClientLink {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerConnection.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final MqttEndpoint endpoint;
    private final Broker broker;
    private final KubeEdgeTwinService twins;
    private final MqttSettings settings;
    private final InOrderAcks acks = new InOrderAcks();
    private Packets packets;   // null: Vert.x's own publish and acknowledge
    private Acl.Grants grants; // null: no ACL, any topic
    private boolean graceful;

    BrokerConnection(MqttEndpoint endpoint, Broker broker, KubeEdgeTwinService twins, MqttSettings settings) {
        this.endpoint = endpoint;
        this.broker = broker;
        this.twins = twins;
        this.settings = settings;
    }

    /** Accepts or refuses the CONNECT and wires the handlers. */
    void start() {
        String clientId = endpoint.clientIdentifier();
        String user = endpoint.auth() == null ? null : endpoint.auth().getUsername();
        String pass = endpoint.auth() == null ? null : endpoint.auth().getPassword();
        if (!settings.users().accepts(user, pass)) {
            LOG.info("mqtt client {} from {} refused: bad user name or password", clientId, endpoint.remoteAddress());
            endpoint.reject(endpoint.protocolVersion() >= 5 ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                    : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
            return;
        }
        if (!broker.admitsConnect(clientId)) {
            long refused = broker.connectionsRefusedCount();
            if (Long.bitCount(refused) == 1) {   // the 1st, 2nd, 4th, ...: not a line per attempt of clients retrying
                LOG.info("mqtt client {} from {} refused: {} clients connected (mqtt.maxConnections); {} refused so far", clientId,
                        endpoint.remoteAddress(), broker.connectedCount(), refused);
            }
            endpoint.reject(endpoint.protocolVersion() >= 5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
            return;
        }
        Message will = will(endpoint.will());
        if (endpoint.will() != null && endpoint.will().isWillFlag() && will == null) {
            LOG.info("mqtt client {} refused: invalid will topic", clientId);
            endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
            return;
        }
        if (settings.acl() != null) grants = settings.acl().grants(user, clientId);
        if (will != null && grants != null && !grants.mayPublish(will.topic())) {
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
        endpoint.disconnectHandler(v -> graceful = true);
        endpoint.exceptionHandler(t -> LOG.debug("mqtt client {}: {}", clientId, t.toString()));
        endpoint.closeHandler(v -> broker.disconnected(this, graceful));
        boolean present = broker.sessionPresent(clientId, endpoint.isCleanSession());
        endpoint.accept(present);
        broker.connect(clientId, endpoint.isCleanSession(), will, this);
        LOG.debug("mqtt client {} connected from {} (clean={}, keep-alive={}s, session present={})", clientId,
                endpoint.remoteAddress(), endpoint.isCleanSession(), endpoint.keepAliveTimeSeconds(), present);
    }

    private Message will(MqttWill w) {
        if (w == null || !w.isWillFlag()) return null;
        if (w.getWillTopic() == null || Topics.checkName(w.getWillTopic(), broker.settings().maxTopicBytes()) != null) return null;
        byte[] payload = w.getWillMessageBytes() == null ? new byte[0] : w.getWillMessageBytes();
        return new Message(w.getWillTopic(), payload, Math.min(w.getWillQos(), 1), w.isWillRetain());
    }

    private void onPublish(MqttPublishMessage msg) {
        String topic = msg.topicName();
        String bad = Topics.checkName(topic, broker.settings().maxTopicBytes());
        if (bad != null) {
            // a protocol violation (MQTT 3.1.1 section 4.7.3): the connection is closed, its will published
            LOG.info("mqtt client {} published to an invalid topic ({}): closing the connection", endpoint.clientIdentifier(), bad);
            endpoint.close();
            return;
        }
        if (grants != null && !grants.mayPublish(topic)) {
            // MQTT 3.1.1 section 3.3.5: acknowledged as usual (in order with the others), and dropped
            denied("a PUBLISH to " + topic);
            acknowledge(msg, DONE);
            return;
        }
        int qos = Math.min(msg.qosLevel().value(), 1);
        byte[] payload = bytes(msg.payload());
        TwinTopic twin = topic.startsWith("$hw/") ? twins.twinTopic(topic) : null;
        CompletableFuture<Void> handled = DONE;
        if (twin == null) {
            broker.publish(new Message(topic, payload, qos, msg.isRetain()));
        } else {
            // a twin topic goes on with the routes kept on the twin service's object for it
            broker.publish(new Message(twin.name(), payload, qos, msg.isRetain()), EmbeddedBroker.route(broker, twin.name(), twin.memo()));
            handled = twins.handle(twin, payload);
        }
        acknowledge(msg, handled);
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
        for (int i = 0; i < asked.size(); i++) {
            MqttTopicSubscription s = asked.get(i);
            if (grants != null && !grants.maySubscribe(s.topicName())) {
                refused[i] = true;
                denied("a SUBSCRIBE to " + s.topicName());
                continue;
            }
            requests.add(new AbstractMap.SimpleEntry<>(s.topicName(), s.qualityOfService().value()));
        }
        Broker.Subscribed result = broker.subscribe(this, requests);
        List<MqttQoS> granted = new ArrayList<>(asked.size());
        for (int i = 0, next = 0; i < asked.size(); i++) {
            granted.add(MqttQoS.valueOf(refused[i] ? 0x80 : result.granted().get(next++)));
        }
        endpoint.subscribeAcknowledge(sub.messageId(), granted);
        broker.deliver(this, result.retained());
    }

    /** Counts what the ACL refused; logs the 1st, 2nd, 4th, 8th, ... refusal (not a line per message of a client retrying). */
    private void denied(String what) {
        long count = broker.countDenied();
        if (Long.bitCount(count) == 1) {
            LOG.info("mqtt client {} (user {}): {} refused by the ACL (--mqtt-acl); {} refused so far", endpoint.clientIdentifier(),
                    endpoint.auth() == null ? "none" : endpoint.auth().getUsername(), what, count);
        }
    }

    @Override
    public void send(Message m, int packetId, boolean dup) {
        if (!endpoint.isConnected()) return;
        try {
            if (packets != null) {
                packets.publish(m.topic(), m.payload(), m.qos(), dup, m.retain(), packetId);
            } else if (m.qos() == 0) {
                endpoint.publish(m.topic(), Buffer.buffer(m.payload()), MqttQoS.AT_MOST_ONCE, false, m.retain());
            } else {
                endpoint.publish(m.topic(), Buffer.buffer(m.payload()), MqttQoS.AT_LEAST_ONCE, dup, m.retain(), packetId);
            }
        } catch (RuntimeException e) {
            LOG.debug("mqtt client {}: cannot send on {}: {}", endpoint.clientIdentifier(), m.topic(), e.toString());
        }
    }

    @Override
    public void close() {
        endpoint.close();
    }

    @Override
    public String toString() {
        return "mqtt client " + endpoint.clientIdentifier();
    }
}
