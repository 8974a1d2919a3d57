package dev.edgetwin.sync.vertx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgetwin.log.TwinListener;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.TwinWriter;
import dev.edgetwin.sync.Backoff;
import dev.edgetwin.sync.JournalSource;
import dev.edgetwin.sync.ReplicationStatus;
import dev.edgetwin.sync.ReplicationStatusSource;
import dev.edgetwin.sync.SyncOptions;
import dev.edgetwin.sync.SyncSession;
import dev.edgetwin.sync.wire.SyncProtocol;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemTrustOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The edge's end of the sync protocol: keeps one WebSocket to the cloud's {@code /sync/v1},
 * reconnecting after every close or failed attempt with exponential backoff and full jitter
 * (PROTOCOL.md §6). Wakes its connection from a {@link TwinListener} when the edge writes to
 * {@code edge/<node>}. All its state lives on one Vert.x context.
 */
public final class SyncClient implements ReplicationStatusSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param cloud            {@code ws://host:port/sync/v1} or {@code wss://…}
     * @param token            this edge's bearer token, may be null
     * @param caFile           PEM file of the CA (or certificate) to trust for {@code wss://}; null: the JVM's trust store
     * @param sync             protocol limits
     * @param reconnectMinMs   first backoff cap
     * @param reconnectMaxMs   largest backoff cap
     * @param resetAfterMs     a connection that streamed this long resets the backoff
     * @param maxSnapshotBytes largest snapshot this side accepts from the cloud
     */
    public record Options(URI cloud, String token, Path caFile, SyncOptions sync, long reconnectMinMs, long reconnectMaxMs,
                          long resetAfterMs, long maxSnapshotBytes) {
        public Options {
            String scheme = cloud == null ? null : cloud.getScheme();
            if (!"ws".equals(scheme) && !"wss".equals(scheme) || cloud.getHost() == null) {
                throw new IllegalArgumentException("the cloud URL must be ws://host:port/sync/v1 or wss://…, got " + cloud);
            }
        }

        public static Options of(URI cloud, String token, SyncOptions sync) {
            return new Options(cloud, token, null, sync, 250, 30_000, 10_000, 256L << 20);
        }

        public Options withReconnect(long minMs, long maxMs) {
            return new Options(cloud, token, caFile, sync, minMs, maxMs, resetAfterMs, maxSnapshotBytes);
        }

        public Options withCa(Path ca) {
            return new Options(cloud, token, ca, sync, reconnectMinMs, reconnectMaxMs, resetAfterMs, maxSnapshotBytes);
        }

        boolean tls() {
            return cloud.getScheme().equals("wss");
        }

        int port() {
            return cloud.getPort() > 0 ? cloud.getPort() : tls() ? 443 : 80;
        }
    }

    private final Vertx vertx;
    private final TwinStore store;
    private final TwinWriter writer;
    private final Options options;
    private final SyncMetrics metrics;
    private final WebSocketClient client;
    private final Context context;
    private final Backoff backoff;
    private final TwinListener wakeSender;
    private final String node;
    private volatile SyncConnection current;
    private volatile boolean stopped;
    private volatile String lastError;
    private volatile long lastSeen;
    private volatile long cloudHead = -1;
    private volatile long cloudAcked = -1;
    private long retryTimer = -1;

    public SyncClient(Vertx vertx, TwinStore store, TwinWriter writer, MeterRegistry registry, Options options) {
        this(vertx, null, store, writer, registry, options);
    }

    /**
     * A client whose connections live on {@code context} (null: an event loop of its own). The edge
     * gives it the MQTT side's loop: the writer's thread then wakes one loop per group commit, for
     * the PUBACKs and the data frame alike, instead of two.
     */
    public SyncClient(Vertx vertx, Context context, TwinStore store, TwinWriter writer, MeterRegistry registry, Options options) {
        this.vertx = vertx;
        this.store = store;
        this.writer = writer;
        this.options = options;
        this.node = store.nodeId();
        this.metrics = new SyncMetrics(registry);
        WebSocketClientOptions wo = new WebSocketClientOptions().setMaxMessageSize(SyncServer.messageLimit(options.sync()))
                .setMaxFrameSize(64 * 1024).setConnectTimeout(10_000).setVerifyHost(true);
        if (options.caFile() != null) wo.setTrustOptions(new PemTrustOptions().addCertPath(options.caFile().toString()));
        this.client = vertx.createWebSocketClient(wo);
        this.context = context != null ? context : vertx.getOrCreateContext();
        this.backoff = new Backoff(options.reconnectMinMs(), options.reconnectMaxMs(), new Random());
        String up = SyncProtocol.edgeStream(node);
        this.wakeSender = new StreamWake(s -> {
            SyncConnection c = current;
            if (c != null && s.equals(up)) c.wake();
        });
        Gauge.builder("edgetwin.sync.connected", this, c -> c.connected() ? 1 : 0).description("1 while connected to the cloud")
                .register(registry);
        Gauge.builder("edgetwin.sync.lag.entries", this, c -> lagOf(c.status().up())).tags("direction", "up")
                .description("entries of edge/<node> the cloud has not acknowledged (NaN: unknown)").register(registry);
        Gauge.builder("edgetwin.sync.lag.entries", this, c -> lagOf(c.status().down())).tags("direction", "down")
                .description("entries of cloud/<node> this edge does not hold yet (NaN: unknown)").register(registry);
    }

    private static double lagOf(ReplicationStatus.StreamLag l) {
        return l.lag() == null ? Double.NaN : l.lag();
    }

    /** The context its connections live on. */
    public Context context() {
        return context;
    }

    /** Starts connecting (returns at once). */
    public void start() {
        store.addListener(wakeSender);
        LOG.info("sync {}: connecting to {}", node, options.cloud());
        context.runOnContext(v -> connect());
    }

    private void connect() {
        retryTimer = -1;
        if (stopped) return;
        WebSocketConnectOptions co = new WebSocketConnectOptions().setHost(options.cloud().getHost()).setPort(options.port())
                .setSsl(options.tls()).setURI(path()).putHeader(SyncProtocol.NODE_HEADER, node)
                .putHeader(SyncProtocol.VERSION_HEADER, String.valueOf(SyncProtocol.VERSION)).setTimeout(10_000);
        if (options.token() != null) co.putHeader("Authorization", "Bearer " + options.token());
        client.connect(co).onComplete(ar -> {
            if (stopped) {
                if (ar.succeeded()) ar.result().close();
                return;
            }
            if (ar.failed()) {
                lastError = describe(ar.cause());
                retry("cannot connect: " + lastError);
                return;
            }
            SyncSession session = new SyncSession(SyncSession.Side.EDGE, node, node, null, options.sync(),
                    new JournalSource(store.journal(), SyncProtocol.edgeStream(node)), SyncServer::monotonicMillis, options.maxSnapshotBytes());
            SyncConnection c = new SyncConnection(ar.result(), context, session, store, writer, metrics, new SyncConnection.Listener() {
                @Override
                public void streaming(SyncConnection connection) {
                    current = connection;
                }

                @Override
                public void closed(SyncConnection connection) {
                    onClosed(connection);
                }
            });
            c.start(SyncServer.tickMillis(options.sync()));
            // the listener wakes only a streaming connection; before that the session pumps by itself
            current = c;
        });
    }

    private String path() {
        String p = options.cloud().getRawPath();
        String q = options.cloud().getRawQuery();
        return (p == null || p.isEmpty() ? SyncProtocol.PATH : p) + (q == null ? "" : "?" + q);
    }

    private void onClosed(SyncConnection c) {
        SyncSession.SessionStats st = c.stats();
        if (st.peerHead() >= 0) cloudHead = Math.max(cloudHead, st.peerHead());
        if (st.peerAcked() >= 0) cloudAcked = st.peerAcked();
        lastSeen = Math.max(lastSeen, c.lastSeenMillis());
        lastError = c.session().closeCode() == null ? "transport" : c.session().closeCode().code();
        if (current == c) current = null;
        long since = c.streamingSinceMillis();
        if (since > 0 && System.currentTimeMillis() - since >= options.resetAfterMs()) backoff.reset();
        retry("connection closed (" + lastError + ")");
    }

    private void retry(String why) {
        if (stopped || retryTimer >= 0) return;
        long delay = Math.max(1, backoff.nextDelayMillis());
        LOG.info("sync {}: {}; reconnecting in {} ms (attempt {})", node, why, delay, backoff.attempts());
        retryTimer = vertx.setTimer(delay, id -> connect());
    }

    /** "401 sync:auth: …" for a refused upgrade, the exception otherwise. */
    static String describe(Throwable e) {
        if (e instanceof UpgradeRejectedException r) {
            String code = "";
            try {
                JsonNode body = r.getBody() == null ? null : JSON.readTree(r.getBody().getBytes());
                if (body != null && body.has("code")) code = " " + body.get("code").asText() + ": " + body.path("message").asText();
            } catch (Exception ignored) {
                // not our JSON: the status says enough
            }
            return "refused with HTTP " + r.getStatus() + code;
        }
        return e.toString();
    }

    public boolean connected() {
        SyncConnection c = current;
        return c != null && c.stats().state() == SyncSession.State.STREAMING;
    }

    /** This edge's replication status (node = this edge). */
    public ReplicationStatus status() {
        SyncConnection c = current;
        long head = cloudHead;
        long acked = cloudAcked;
        long seen = lastSeen;
        boolean streaming = false;
        if (c != null) {
            SyncSession.SessionStats st = c.stats();
            streaming = st.state() == SyncSession.State.STREAMING;
            head = Math.max(head, st.peerHead());
            if (st.peerAcked() >= 0) acked = st.peerAcked();
            seen = Math.max(seen, c.lastSeenMillis());
        }
        String up = SyncProtocol.edgeStream(node);
        String down = SyncProtocol.cloudStream(node);
        long held = store.journal().nextSeq(down);
        return new ReplicationStatus(node, streaming, streaming ? c.session().session() : null, streaming ? c.remoteAddress() : null,
                streaming ? Instant.ofEpochMilli(c.streamingSinceMillis()) : null, seen == 0 ? null : Instant.ofEpochMilli(seen),
                ReplicationStatus.StreamLag.of(up, store.journal().nextSeq(up), acked < 0 ? null : acked),
                ReplicationStatus.StreamLag.of(down, head < 0 ? null : Math.max(head, held), held), lastError);
    }

    @Override
    public List<ReplicationStatus> nodes() {
        return List.of(status());
    }

    /** Stops reconnecting and closes the connection with {@code sync:shutdown} (waits up to 5 s). */
    @Override
    public void close() {
        stopped = true;
        store.removeListener(wakeSender);
        context.runOnContext(v -> {
            if (retryTimer >= 0) vertx.cancelTimer(retryTimer);
        });
        SyncConnection c = current;
        try {
            if (c != null) {
                c.close(dev.edgetwin.sync.wire.SyncCode.SHUTDOWN, "the edge is stopping").toCompletionStage().toCompletableFuture()
                        .get(5, TimeUnit.SECONDS);
            }
            client.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.info("sync {}: the connection did not close cleanly: {}", node, e.toString());
        }
    }
}
