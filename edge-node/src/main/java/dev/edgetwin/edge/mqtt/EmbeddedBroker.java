package dev.edgetwin.edge.mqtt;

import dev.edgetwin.edge.kubeedge.KubeEdgeTwinService;
import dev.edgetwin.edge.kubeedge.TopicMemo;
import dev.edgetwin.edge.mqtt.broker.Broker;
import dev.edgetwin.edge.mqtt.broker.Message;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.TwinWriter;
import io.vertx.core.Future;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded MQTT broker (the default): a Vert.x MQTT server in front of {@link Broker}, with
 * the KubeEdge twin service as an internal subscriber of the twin topics. Any client may use
 * it as a general broker for its own topics too.
 *
 * <p>One verticle instance: the broker state, every connection and the twin service share its
 * event loop, so none of them needs a lock; twin writes leave that loop for the writer thread.
 */
public final class EmbeddedBroker extends TwinTransport {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private Broker broker;
    private KubeEdgeTwinService twins;
    private MqttServer server;

    private long expiryTimer = -1;

    public EmbeddedBroker(String nodeId, TwinStore store, TwinWriter writer, MqttSettings settings) {
        super(nodeId, store, writer, settings);
    }

    /** The broker's routes of {@code topic}, kept in the topic's memo while the subscriptions stay the same. */
    static Broker.Route route(Broker broker, String topic, TopicMemo memo) {
        long version = broker.subscriptionsVersion();
        if (memo.get(version) instanceof Broker.Route kept) return kept;
        Broker.Route r = broker.route(topic);
        memo.set(version, r);
        return r;
    }

    @Override
    public Future<?> start() {
        broker = new Broker(settings.broker());
        twins = twinService(new KubeEdgeTwinService.Publisher() {
            @Override
            public void publish(String topic, byte[] payload, int qos, boolean retain) {
                broker.publish(new Message(topic, payload, qos, retain));
            }

            @Override
            public boolean listened(String topic) {
                return broker.hasSubscribers(topic);
            }

            @Override
            public long subscriptionsVersion() {
                return broker.subscriptionsVersion();
            }

            @Override
            public boolean listened(String topic, TopicMemo memo) {
                return !route(broker, topic, memo).isEmpty();
            }

            @Override
            public void publish(String topic, TopicMemo memo, byte[] payload, int qos, boolean retain) {
                broker.publish(new Message(topic, payload, qos, retain), route(broker, topic, memo));
            }
        });
        MqttServerOptions options = new MqttServerOptions().setHost(settings.bind()).setPort(settings.port())
                .setMaxMessageSize(settings.maxMessageBytes()).setMaxClientIdLength(settings.maxClientIdLength())
                .setAutoClientId(true).setTimeoutOnConnect(settings.connectTimeoutSeconds());
        options.setTcpNoDelay(true);
        server = MqttServer.create(vertx, options);
        server.endpointHandler(endpoint -> new BrokerConnection(endpoint, broker, twins, settings).start());
        server.exceptionHandler(t -> LOG.debug("mqtt connection error: {}", t.toString()));
        int expiry = settings.broker().sessionExpirySeconds();
        if (expiry > 0) expiryTimer = vertx.setPeriodic(sweepMillis(expiry), id -> broker.expireSessions());
        return server.listen().onSuccess(s -> {
            twins.start();
            LOG.info("edge {} mqtt listening on {}:{} (embedded broker, {})", nodeId, settings.bind(), s.actualPort(),
                    settings.users().anonymous() ? "anonymous access" : "user name and password required");
        }).onFailure(e -> LOG.error("edge {} mqtt cannot listen on {}:{}: {}", nodeId, settings.bind(), settings.port(), e.toString()));
    }

    @Override
    public Future<?> stop() {
        if (expiryTimer >= 0) vertx.cancelTimer(expiryTimer);
        if (twins != null) twins.close();
        return server == null ? Future.succeededFuture() : server.close();
    }

    /**
     * How often stored sessions are checked for expiry: a quarter of their lifetime, between a
     * quarter second and a minute (a reconnecting client is checked at its CONNECT in any case).
     */
    static long sweepMillis(int expirySeconds) {
        return Math.max(250, Math.min(60_000, expirySeconds * 250L));
    }

    /** The bound port (valid once deployed). */
    public int port() {
        return server.actualPort();
    }

    /** The broker state, for metrics; touch it only on the broker's event loop. */
    Broker broker() {
        return broker;
    }
}
