package dev.edgetwin.gpio.mqtt;

import dev.edgetwin.gpio.DeviceAgent;
import dev.edgetwin.gpio.TwinChannel;
import dev.edgetwin.gpio.config.MapperConfig;
import dev.edgetwin.gpio.twin.TwinMessages;
import dev.edgetwin.gpio.twin.TwinTopics;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttSubAckMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One device's MQTT connection (Vert.x MQTT client, MQTT 3.1.1, clean session). Each device has its
 * own, because a connection has one last will and the will is what tells the edge that <em>this</em>
 * device went offline: {@code state/update} {@code {"state":"offline"}}, QoS 1, not retained.
 *
 * <p>It connects, subscribes to the agent's topics, waits for the SUBACK, and only then tells the
 * agent it is connected (so the answers to the agent's requests cannot be missed). A lost connection
 * or a failed attempt is retried with {@link Backoff}. {@link #publish} completes on the PUBACK.
 * Everything runs on one Vert.x context, the mapper thread.
 */
public final class DeviceLink implements TwinChannel {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceLink.class);
    /** The longest client id every MQTT 3.1.1 broker must accept. */
    static final int MAX_CLIENT_ID = 23;

    private final Vertx vertx;
    private final Context context;
    private final MapperConfig.Mqtt settings;
    private final BrokerAddress broker;
    private final String deviceId;
    private final String clientId;
    private final Backoff backoff;
    private final Map<Integer, Promise<Void>> publishes = new HashMap<>();
    private final Set<Integer> earlyPubAcks = new HashSet<>();
    private final Map<Integer, Promise<Void>> subscribes = new HashMap<>();
    private final Map<Integer, MqttSubAckMessage> earlySubAcks = new HashMap<>();
    private DeviceAgent agent;
    private MqttClient client;
    private boolean connected;
    private boolean stopping;
    private long reconnectTimer = -1;

    public DeviceLink(Vertx vertx, Context context, MapperConfig.Mqtt settings, BrokerAddress broker, String node, String deviceId) {
        this.vertx = vertx;
        this.context = context;
        this.settings = settings;
        this.broker = broker;
        this.deviceId = deviceId;
        this.clientId = clientId(settings.clientIdPrefix(), node, deviceId);
        this.backoff = new Backoff(settings.reconnectInitial(), settings.reconnectMax(), b -> ThreadLocalRandom.current().nextLong(b));
    }

    /** {@code prefix-<hex>}, 23 characters: the hex is a hash of node and device id, stable across restarts. */
    static String clientId(String prefix, String node, String deviceId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((node + "/" + deviceId).getBytes(StandardCharsets.UTF_8));
            String hex = HexFormat.of().formatHex(hash);
            return prefix + "-" + hex.substring(0, MAX_CLIENT_ID - prefix.length() - 1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String clientId() {
        return clientId;
    }

    /** Starts connecting (and keeps reconnecting) on behalf of {@code agent}. */
    public void start(DeviceAgent agent) {
        this.agent = agent;
        context.runOnContext(v -> connect());
    }

    @Override
    public boolean connected() {
        return connected;
    }

    @Override
    public CompletionStage<Void> publish(String topic, byte[] payload) {
        if (!connected) return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
        Promise<Void> acked = Promise.promise();
        client.publish(topic, Buffer.buffer(payload), MqttQoS.AT_LEAST_ONCE, false, false).onComplete(sent -> {
            if (sent.failed()) {
                acked.tryFail(sent.cause());
            } else if (!earlyPubAcks.remove(sent.result())) {
                publishes.put(sent.result(), acked);
            } else {
                acked.tryComplete();
            }
        });
        return acked.future().toCompletionStage();
    }

    /** Says offline (a clean stop fires no will) and disconnects; no reconnect after this. */
    public Future<Void> stop() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            stopping = true;
            if (reconnectTimer != -1) vertx.cancelTimer(reconnectTimer);
            MqttClient c = client;
            if (!connected || c == null) {
                done.complete();
                return;
            }
            Future.fromCompletionStage(agent.sayOffline(), context)
                    .timeout(settings.ackTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .eventually(() -> c.disconnect())
                    .onComplete(ar -> done.complete());
        });
        return done.future();
    }

    private void connect() {
        reconnectTimer = -1;
        if (stopping) return;
        MqttClientOptions options = new MqttClientOptions()
                .setClientId(clientId)
                .setCleanSession(true)
                .setKeepAliveInterval((int) settings.keepAlive().toSeconds())
                .setAutoKeepAlive(true)
                .setWillFlag(true)
                .setWillTopic(TwinTopics.stateUpdate(deviceId))
                .setWillMessageBytes(Buffer.buffer(TwinMessages.state(UUID.randomUUID().toString(), System.currentTimeMillis(), "offline")))
                .setWillQoS(1)
                .setWillRetain(false)
                .setMaxInflightQueue(settings.maxInflight())
                .setAckTimeout((int) Math.max(1, settings.ackTimeout().toSeconds()))
                .setMaxMessageSize(settings.maxMessageBytes());
        options.setConnectTimeout((int) settings.ackTimeout().toMillis());
        MqttClient c = MqttClient.create(vertx, options);
        client = c;
        c.publishHandler(m -> {
            if (c == client) agent.message(m.topicName(), m.payload().getBytes());
        });
        c.publishCompletionHandler(this::pubAck);
        c.publishCompletionExpirationHandler(id -> {
            Promise<Void> p = publishes.remove(id);
            if (p != null) p.tryFail("no PUBACK within " + settings.ackTimeout().toMillis() + " ms");
        });
        c.subscribeCompletionHandler(this::subAck);
        c.closeHandler(v -> closed(c));
        c.connect(broker.port(), broker.host())
                .compose(connack -> subscribe(c))
                .onSuccess(v -> {
                    if (c != client || stopping) return;
                    connected = true;
                    backoff.reset();
                    LOG.info("{} mqtt connected to {} as {}", deviceId, broker, clientId);
                    agent.connected();
                })
                .onFailure(e -> {
                    if (c != client) return;
                    LOG.warn("{} mqtt cannot connect to {}: {}", deviceId, broker, e.getMessage());
                    if (c.isConnected()) c.disconnect(); // the close handler schedules the retry
                    else scheduleReconnect();
                });
    }

    private Future<Void> subscribe(MqttClient c) {
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String topic : agent.subscriptions()) topics.put(topic, 1);
        Promise<Void> granted = Promise.promise();
        c.subscribe(topics).onComplete(sent -> {
            if (sent.failed()) {
                granted.tryFail(sent.cause());
                return;
            }
            MqttSubAckMessage early = earlySubAcks.remove(sent.result());
            if (early != null) settle(granted, early);
            else subscribes.put(sent.result(), granted);
        });
        return granted.future().timeout(settings.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void subAck(MqttSubAckMessage ack) {
        Promise<Void> p = subscribes.remove(ack.messageId());
        if (p == null) earlySubAcks.put(ack.messageId(), ack);
        else settle(p, ack);
    }

    private static void settle(Promise<Void> granted, MqttSubAckMessage ack) {
        List<Integer> refused = new ArrayList<>();
        for (int qos : ack.grantedQoSLevels()) if (qos == 0x80) refused.add(qos);
        if (refused.isEmpty()) granted.tryComplete();
        else granted.tryFail("the broker refused " + refused.size() + " of the subscriptions");
    }

    private void pubAck(int id) {
        Promise<Void> p = publishes.remove(id);
        if (p == null) earlyPubAcks.add(id);
        else p.tryComplete();
    }

    private void closed(MqttClient c) {
        if (c != client) return;
        boolean was = connected;
        connected = false;
        publishes.values().forEach(p -> p.tryFail("connection lost"));
        publishes.clear();
        earlyPubAcks.clear();
        subscribes.values().forEach(p -> p.tryFail("connection lost"));
        subscribes.clear();
        earlySubAcks.clear();
        if (was) {
            // a clean stop closes the connection on purpose: not a warning
            if (stopping) LOG.info("{} mqtt connection to {} closed", deviceId, broker);
            else LOG.warn("{} mqtt connection to {} lost", deviceId, broker);
            agent.disconnected();
        }
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (stopping || reconnectTimer != -1) return;
        long delay = backoff.nextDelayMillis();
        LOG.info("{} mqtt reconnecting in {} ms", deviceId, delay);
        reconnectTimer = vertx.setTimer(delay, t -> connect());
    }
}
