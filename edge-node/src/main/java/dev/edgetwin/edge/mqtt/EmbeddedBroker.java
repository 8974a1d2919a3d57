package dev.edgetwin.edge.mqtt;

import dev.edgetwin.edge.kubeedge.KubeEdgeTwinService;
import dev.edgetwin.edge.kubeedge.TopicMemo;
import dev.edgetwin.edge.mqtt.broker.Acl;
import dev.edgetwin.edge.mqtt.broker.Broker;
import dev.edgetwin.edge.mqtt.broker.Credentials;
import dev.edgetwin.edge.mqtt.broker.Message;
import dev.edgetwin.edge.mqtt.broker.StoredMessages;
import dev.edgetwin.edge.mqtt.broker.StoredMessagesCodec;
import dev.edgetwin.edge.mqtt.broker.StoredSessionsCodec;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.TwinWriter;
import dev.edgetwin.node.NodeHttp;
import io.vertx.core.Future;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;

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
    private MqttServer wsServer;   // MQTT over WebSocket (--mqtt-ws-port), or null
    private MqttAccess access;
    private volatile long accessReloads;
    private volatile long accessReloadFailures;

    /** How often the persistent sessions are saved when they changed. */
    static final long SAVE_MILLIS = 1_000;

    private final Path dataDir;   // null: nothing kept across restarts
    private BrokerFileSaver sessionSaver;   // null: sessions not kept (mqtt.persistSessions off)
    private BrokerFileSaver messageSaver;   // null: messages not kept (mqtt.persistMessages off)
    private long expiryTimer = -1;
    private long sysTimer = -1;
    private long saveTimer = -1;
    private long messageTimer = -1;

    /** @param dataDir the node's data folder, where the broker keeps what {@code mqtt.persist*} says across restarts, or null: nothing */
    public EmbeddedBroker(String nodeId, TwinStore store, TwinWriter writer, MqttSettings settings, Path dataDir) {
        super(nodeId, store, writer, settings);
        this.dataDir = dataDir;
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
        access = new MqttAccess(settings.users(), settings.acl());
        restore();
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
        // no auto client id: BrokerConnection assigns one to an empty id itself, and tells an MQTT 5 client which
        MqttServerOptions options = new MqttServerOptions().setHost(settings.bind()).setPort(settings.port())
                .setMaxMessageSize(settings.maxMessageBytes()).setMaxClientIdLength(settings.maxClientIdLength())
                .setAutoClientId(false).setTimeoutOnConnect(settings.connectTimeoutSeconds());
        options.setTcpNoDelay(true);
        if (settings.tlsCert() != null) options.setSsl(true).setKeyCertOptions(NodeHttp.pem(settings.tlsCert(), settings.tlsKey()));
        server = MqttServer.create(vertx, options);
        server.endpointHandler(endpoint -> new BrokerConnection(endpoint, broker, twins, settings, access).start());
        server.exceptionHandler(t -> LOG.debug("mqtt connection error: {}", t.toString()));
        if (settings.wsPort() >= 0) {
            // the same broker on this loop, its packets in binary WebSocket frames at path /mqtt (a frame holds the largest packet)
            MqttServerOptions ws = new MqttServerOptions(options).setPort(settings.wsPort()).setUseWebSocket(true);
            ws.setWebSocketMaxFrameSize(settings.maxMessageBytes() + 16);
            wsServer = MqttServer.create(vertx, ws);
            wsServer.endpointHandler(endpoint -> new BrokerConnection(endpoint, broker, twins, settings, access).start());
            wsServer.exceptionHandler(t -> LOG.debug("mqtt websocket connection error: {}", t.toString()));
        }
        // MQTT 5 clients bring their own session expiry and will delays: the timer runs whatever the setting
        expiryTimer = vertx.setPeriodic(sweepMillis(settings.broker().sessionExpirySeconds()), id -> broker.expireSessions());
        if (sessionSaver != null) saveTimer = vertx.setPeriodic(SAVE_MILLIS, id -> sessionSaver.saveIfChanged());
        int messageSeconds = settings.persistence().messageSaveSeconds();
        if (messageSaver != null && messageSeconds > 0) {
            messageTimer = vertx.setPeriodic(messageSeconds * 1_000L, id -> messageSaver.saveIfChanged());
        }
        if (settings.sysIntervalSeconds() > 0) {
            SysTopics sys = new SysTopics();
            sys.publish(broker);
            sysTimer = vertx.setPeriodic(settings.sysIntervalSeconds() * 1_000L, id -> sys.publish(broker));
        }
        Future<MqttServer> listening = server.listen()
                .onFailure(e -> LOG.error("edge {} mqtt cannot listen on {}:{}: {}", nodeId, settings.bind(), settings.port(), e.toString()));
        if (wsServer != null) {
            listening = listening.compose(s -> wsServer.listen().map(s).onFailure(e -> LOG.error("edge {} mqtt cannot listen for "
                    + "websockets on {}:{}: {}", nodeId, settings.bind(), settings.wsPort(), e.toString())));
        }
        return listening.onSuccess(s -> {
            twins.start();
            LOG.info("edge {} mqtt listening on {}:{}{} (embedded broker, {}{})", nodeId, settings.bind(), s.actualPort(),
                    wsServer == null ? "" : " and " + (settings.tlsCert() == null ? "ws" : "wss") + "://" + settings.bind() + ":"
                            + wsServer.actualPort() + "/mqtt",
                    settings.users().anonymous() ? "anonymous access" : "user name and password required",
                    settings.tlsCert() == null ? "" : ", TLS");
        });
    }

    @Override
    public Future<?> stop() {
        if (expiryTimer >= 0) vertx.cancelTimer(expiryTimer);
        if (saveTimer >= 0) vertx.cancelTimer(saveTimer);
        if (messageTimer >= 0) vertx.cancelTimer(messageTimer);
        if (sysTimer >= 0) vertx.cancelTimer(sysTimer);
        if (twins != null) twins.close();
        if (access != null) access.connections().forEach(BrokerConnection::shuttingDown);
        Future<?> closed = server == null ? Future.succeededFuture() : server.close();
        if (wsServer != null) closed = Future.join(closed, wsServer.close());
        // the state as the connections left it (persistent sessions keep their in-flight messages), taken on the loop, written on workers
        return closed.eventually(() -> Future.join(sessionSaver == null ? Future.succeededFuture() : sessionSaver.saveNow(),
                messageSaver == null ? Future.succeededFuture() : messageSaver.saveNow()));
    }

    /**
     * Reads what the data folder keeps of the broker: the persistent sessions, then the messages
     * (the queued ones go back into their sessions). A file that cannot be read at all fails the start.
     */
    private void restore() {
        MqttSettings.Persistence keep = settings.persistence();
        if (dataDir != null && keep.sessions()) {
            BrokerFile<List<Broker.StoredSession>> file = BrokerFile.sessions(dataDir);
            List<Broker.StoredSession> stored = file.load();
            int count = 0;
            for (Broker.StoredSession s : stored) {
                if (broker.restore(s)) count++;
            }
            if (!stored.isEmpty()) {
                LOG.info("edge {} mqtt: {} persistent sessions restored from {} ({} kept at most offline)", nodeId, count,
                        file.path(), settings.broker().maxOfflineSessions());
            }
            sessionSaver = new BrokerFileSaver(vertx, nodeId, file, "persistent sessions", broker::storedSessionsVersion, () -> {
                byte[] bytes = StoredSessionsCodec.encode(broker.storedSessions());
                return () -> bytes;
            });
            sessionSaver.loaded();
        }
        if (dataDir != null && keep.messages()) {
            BrokerFile<StoredMessagesCodec.Decoded> file = BrokerFile.messages(dataDir);
            StoredMessagesCodec.Decoded stored = file.load();
            Broker.RestoredMessages back = broker.restore(stored.messages());
            if (stored.messages().count() + stored.expired() > 0) {
                LOG.info("edge {} mqtt: {} retained and {} queued messages restored from {}; {} expired while the edge was down, "
                        + "{} not restored (no stored session for them, or past a limit)", nodeId, back.retained(), back.queued(),
                        file.path(), stored.expired(), back.dropped());
            }
            messageSaver = new BrokerFileSaver(vertx, nodeId, file, "retained and queued messages", broker::storedMessagesVersion, () -> {
                StoredMessages now = broker.storedMessages();
                long at = System.currentTimeMillis();   // the wall clock when the deadlines were read
                return () -> StoredMessagesCodec.encode(now, at);
            });
            messageSaver.loaded();
        }
    }

    /**
     * How often stored sessions are checked for expiry and delayed wills for their time: a
     * quarter of {@code mqtt.sessionExpirySeconds}, between a quarter second and a second (MQTT 5
     * clients ask for their own intervals, in seconds; a check with nothing due costs a comparison;
     * a reconnecting client is checked at its CONNECT in any case).
     */
    static long sweepMillis(int expirySeconds) {
        return expirySeconds == 0 ? 1_000 : Math.max(250, Math.min(1_000, expirySeconds * 250L));
    }

    /**
     * Reads the users file and the ACL file the broker started with again and puts them in force
     * ({@link MqttAccess#replace}: new CONNECTs, the next PUBLISH or SUBSCRIBE of every connection,
     * and live subscriptions the new ACL no longer covers are revoked). Callable from any thread
     * (SIGHUP). A file that cannot be read or parsed changes nothing: the broker keeps what it had.
     *
     * @return completes on the broker's loop with what was done, or fails saying why nothing was
     */
    public Future<String> reloadAccess() {
        Credentials users = settings.users();
        Acl acl = settings.acl();
        if (users.source() == null && (acl == null || acl.source() == null)) {
            String why = "the broker was started without --mqtt-users or --mqtt-acl: nothing to reload";
            LOG.info("edge {} mqtt: {}", nodeId, why);
            return Future.failedFuture(new IllegalStateException(why));
        }
        return context.executeBlocking(() -> new Object[]{users.reloaded(), acl == null ? null : acl.reloaded()}).map(loaded -> {
            int revoked = access.replace((Credentials) loaded[0], (Acl) loaded[1]);
            accessReloads++;
            String done = "mqtt access reloaded" + (users.source() == null ? "" : ": users from " + users.source())
                    + (acl == null || acl.source() == null ? "" : (users.source() == null ? ": " : ", ") + "ACL from " + acl.source())
                    + "; " + revoked + " subscriptions revoked";
            LOG.info("edge {} {}", nodeId, done);
            return done;
        }).onFailure(e -> {
            accessReloadFailures++;
            LOG.warn("edge {} mqtt access not reloaded, the users and ACL in force stay: {}", nodeId, e.getMessage());
        });
    }

    /** Reloads of the users and ACL files that were put in force, and those that failed. */
    long accessReloads() {
        return accessReloads;
    }

    long accessReloadFailures() {
        return accessReloadFailures;
    }

    /** The bound port (valid once deployed). */
    public int port() {
        return server.actualPort();
    }

    /** The bound MQTT-over-WebSocket port (valid once deployed), -1 without {@code --mqtt-ws-port}. */
    public int webSocketPort() {
        return wsServer == null ? -1 : wsServer.actualPort();
    }

    /** The broker state, for metrics; touch it only on the broker's event loop. */
    Broker broker() {
        return broker;
    }
}
