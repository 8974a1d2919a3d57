package dev.edgetwin.edge.mqtt;

import dev.edgetwin.edge.kubeedge.KubeEdgeTopics;
import dev.edgetwin.edge.kubeedge.KubeEdgeTwinService;
import dev.edgetwin.edge.mqtt.broker.Message;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.TwinWriter;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * External-broker mode ({@code --mqtt-broker tcp://host:port}): the edge is a client of an
 * existing broker (mosquitto), subscribed with QoS 1 to KubeEdge's twin filters, and publishes
 * its results there. Twin behaviour is the embedded broker's, through the same service.
 *
 * <p><b>Durability.</b> A persistent session (clean session off) and manual acknowledgement:
 * a request is acknowledged to the broker only once handled (journaled), so requests that
 * arrive while the edge is down or unacknowledged at a crash are delivered again.
 * <b>Reconnects</b> with exponential backoff and jitter, up to {@code reconnectMaxMillis}; the
 * edge starts (and works offline from MQTT) even when the broker is unreachable. Messages the
 * edge publishes while disconnected wait in a queue of at most {@code maxQueued} messages and
 * {@code maxQueuedBytes} (payload and topic); past either, new ones are dropped and counted.
 */
public final class ExternalBrokerClient extends TwinTransport {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalBrokerClient.class);
    private static final int FIRST_RETRY_MILLIS = 250;

    private final ArrayDeque<Message> outbox = new ArrayDeque<>();
    private KubeEdgeTwinService twins;
    private MqttClient client;
    private InOrderAcks acks;
    private boolean stopped;
    private boolean connected;
    private int retryMillis = FIRST_RETRY_MILLIS;
    private int failures;
    private long dropped;
    private long outboxBytes;

    public ExternalBrokerClient(String nodeId, TwinStore store, TwinWriter writer, MqttSettings settings) {
        super(nodeId, store, writer, settings);
    }

    @Override
    public Future<?> start() {
        twins = twinService(this::publish);
        MqttClientOptions options = new MqttClientOptions().setClientId(settings.clientId()).setCleanSession(false)
                .setAutoAck(false).setKeepAliveInterval(settings.keepAliveSeconds())
                .setMaxInflightQueue(settings.broker().maxInflight()).setMaxMessageSize(settings.maxMessageBytes());
        if (settings.username() != null) options.setUsername(settings.username()).setPassword(settings.password());
        options.setTcpNoDelay(true);
        if (settings.externalTls()) {
            // the broker's certificate must chain to a trusted CA and name the host dialled
            options.setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
            if (settings.externalCa() != null) options.setTrustOptions(new PemTrustOptions().addCertPath(settings.externalCa().toString()));
        }
        client = MqttClient.create(vertx, options);
        client.publishHandler(this::onMessage);
        client.publishCompletionHandler(id -> drainOutbox());
        client.closeHandler(v -> {
            if (connected && !stopped) LOG.warn("edge {}: connection to MQTT broker {} lost; reconnecting", nodeId, settings.external());
            connected = false;
            reconnectLater();
        });
        twins.start();
        connect();
        return Future.succeededFuture();
    }

    private void connect() {
        if (stopped) return;
        acks = new InOrderAcks();
        int port = settings.external().getPort() >= 0 ? settings.external().getPort() : settings.externalTls() ? 8883 : 1883;
        client.connect(port, settings.external().getHost()).compose(ack -> {
            Map<String, Integer> filters = new LinkedHashMap<>();
            KubeEdgeTopics.FILTERS.forEach(f -> filters.put(f, 1));
            return client.subscribe(filters);
        }).onSuccess(v -> {
            connected = true;
            retryMillis = FIRST_RETRY_MILLIS;
            failures = 0;
            LOG.info("edge {} mqtt connected to external broker {} as {}", nodeId, settings.external(), settings.clientId());
            drainOutbox();
        }).onFailure(e -> {
            // one warning per outage, then a reminder every 100 attempts: the edge works on without MQTT meanwhile
            if (failures++ % 100 == 0) {
                LOG.warn("edge {}: cannot connect to MQTT broker {}: {} (attempt {}); retrying up to every {} ms", nodeId,
                        settings.external(), e.getMessage(), failures, settings.reconnectMaxMillis());
            }
            if (client.isConnected()) {
                client.disconnect();    // subscribed halfway: start over; the close handler reconnects
            } else {
                reconnectLater();
            }
        });
    }

    private void reconnectLater() {
        if (stopped) return;
        long delay = retryMillis / 2 + ThreadLocalRandom.current().nextInt(retryMillis / 2 + 1);
        retryMillis = Math.min(retryMillis * 2, Math.max(FIRST_RETRY_MILLIS, settings.reconnectMaxMillis()));
        vertx.setTimer(delay, t -> connect());
    }

    private void onMessage(MqttPublishMessage msg) {
        CompletableFuture<Void> handled = twins.handle(msg.topicName(), msg.payload().getBytes());
        if (msg.qosLevel() == MqttQoS.AT_MOST_ONCE) return;
        InOrderAcks connectionAcks = acks;
        connectionAcks.add(handled, () -> {
            // an ack for a connection that is gone is not sent: the broker redelivers that message
            if (connectionAcks == acks && client.isConnected()) msg.ack();
        });
    }

    private void publish(String topic, byte[] payload, int qos, boolean retain) {
        Message m = new Message(topic, payload, qos, retain);
        if (connected && outbox.isEmpty() && trySend(m)) return;
        if (outbox.size() >= settings.broker().maxQueued() || outboxBytes + m.size() > settings.broker().maxQueuedBytes()) {
            if (dropped++ % 1_000 == 0) {
                LOG.warn("edge {}: {} MQTT messages ({} bytes) waiting for the broker (mqtt.maxQueued, mqtt.maxQueuedBytes); "
                        + "dropping one on {} ({} so far)", nodeId, outbox.size(), outboxBytes, topic, dropped);
            }
            return;
        }
        outbox.add(m);
        outboxBytes += m.size();
    }

    /** False when the client refuses at once (in-flight window full, connection gone): the message stays queued. */
    private boolean trySend(Message m) {
        Future<Integer> f;
        try {
            f = client.publish(m.topic(), Buffer.buffer(m.payload()), MqttQoS.valueOf(m.qos()), false, m.retain());
        } catch (RuntimeException e) {
            return false;
        }
        if (f.failed()) return false;
        f.onFailure(e -> LOG.debug("publish on {} failed: {}", m.topic(), e.toString()));
        return true;
    }

    private void drainOutbox() {
        while (connected && !outbox.isEmpty() && trySend(outbox.peek())) outboxBytes -= outbox.poll().size();
    }

    /** Messages dropped because the outbox was full. Read from any thread (one long field: possibly stale). */
    public long droppedCount() {
        return dropped;
    }

    /** Bytes (payload and topic) of the messages waiting for the broker. Read from any thread, possibly stale. */
    public long queuedBytes() {
        return outboxBytes;
    }

    @Override
    public Future<?> stop() {
        stopped = true;
        if (twins != null) twins.close();
        return client != null && client.isConnected() ? client.disconnect() : Future.succeededFuture();
    }

    /** Whether the edge is connected and subscribed to the external broker. */
    public boolean connected() {
        return connected;
    }
}
