package dev.edgetwin.sync.vertx;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.edgetwin.log.TwinListener;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.TwinWriter;
import dev.edgetwin.log.model.Limits;
import dev.edgetwin.sync.JournalSource;
import dev.edgetwin.sync.ReplicationStatus;
import dev.edgetwin.sync.ReplicationStatusSource;
import dev.edgetwin.sync.SyncOptions;
import dev.edgetwin.sync.SyncSession;
import dev.edgetwin.sync.Tokens;
import dev.edgetwin.sync.wire.SyncCode;
import dev.edgetwin.sync.wire.SyncProtocol;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cloud's end of the sync protocol: serves {@code /sync/v1} on the node's router
 * (PROTOCOL.md §2). Checks version, node id and token in the upgrade request and refuses
 * with an HTTP error before upgrading; then runs one {@link SyncConnection} per edge. A second
 * connection of the same edge replaces the first ({@code sync:replaced}, §2.2). Wakes the
 * connection that sends {@code cloud/<edge>} from a {@link TwinListener} when the cloud writes
 * to it. Reports per-edge status ({@link ReplicationStatusSource}) and meters.
 */
public final class SyncServer implements ReplicationStatusSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncServer.class);

    /**
     * @param sync             protocol limits
     * @param tokens           per-edge tokens; null accepts every edge (development only, a warning at start)
     * @param maxSnapshotBytes largest snapshot this side accepts from an edge
     */
    public record Options(SyncOptions sync, Tokens tokens, long maxSnapshotBytes) {
        public static Options open(SyncOptions sync) {
            return new Options(sync, null, 256L << 20);
        }
    }

    private final TwinStore store;
    private final TwinWriter writer;
    private final Options options;
    private final SyncMetrics metrics;
    private final EdgeLedger ledger;
    private final Map<String, SyncConnection> connections = new ConcurrentHashMap<>();
    private final TwinListener wakeSenders;
    private final AtomicLong replaced = new AtomicLong();
    private final String sessionPrefix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final AtomicLong sessionCounter = new AtomicLong();
    private volatile boolean closing;

    public SyncServer(Vertx vertx, TwinStore store, TwinWriter writer, MeterRegistry registry, Options options) {
        this.store = store;
        this.writer = writer;
        this.options = options;
        this.metrics = new SyncMetrics(registry);
        this.ledger = new EdgeLedger(store.journal(), registry);
        if (options.tokens() == null) {
            LOG.warn("sync: no token file: every edge is accepted without authentication (development only)");
        }
        Gauge.builder("edgetwin.sync.connected.edges", ledger, EdgeLedger::connected).description("edges connected past the handshake")
                .register(registry);
        this.wakeSenders = new StreamWake(s -> {
            if (s.startsWith("cloud/")) {
                SyncConnection c = connections.get(s.substring(6));
                if (c != null) c.wake();
            }
        });
        store.addListener(wakeSenders);
    }

    /** Sets the WebSocket limits the protocol needs on the cloud's HTTP server options. */
    public static HttpServerOptions configure(HttpServerOptions o, SyncOptions sync) {
        return o.setMaxWebSocketMessageSize(messageLimit(sync)).setMaxWebSocketFrameSize(64 * 1024);
    }

    /**
     * The largest WebSocket message the transport lets through: twice the protocol limit, so a
     * batch somewhat over it reaches the protocol and is refused with {@code sync:batch.toolarge};
     * anything bigger is refused by Vert.x itself (close status 1009).
     */
    static int messageLimit(SyncOptions sync) {
        return (int) Math.min(Integer.MAX_VALUE, 2L * sync.maxBatchBytes() + 128 * 1024);
    }

    /** Mounts {@code /sync/v1}; mount it before any body handler. */
    public void mount(Router router) {
        router.route(SyncProtocol.PATH).handler(this::upgrade);
    }

    private void upgrade(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        if (closing) {
            refuse(ctx, 503, SyncCode.SHUTDOWN, "the cloud is stopping");
            return;
        }
        if (!req.canUpgradeToWebSocket()) {
            refuse(ctx, 400, SyncCode.FRAME_INVALID, SyncProtocol.PATH + " takes only WebSocket upgrades");
            return;
        }
        String version = req.getHeader(SyncProtocol.VERSION_HEADER);
        if (!String.valueOf(SyncProtocol.VERSION).equals(version == null ? null : version.trim())) {
            ctx.response().putHeader(SyncProtocol.VERSION_HEADER, String.valueOf(SyncProtocol.VERSION));
            refuse(ctx, 400, SyncCode.VERSION, "protocol version " + version + " is not supported; this cloud speaks " + SyncProtocol.VERSION);
            return;
        }
        String node = req.getHeader(SyncProtocol.NODE_HEADER);
        if (node == null || !Limits.DEFAULT.validName(node)) {
            refuse(ctx, 400, SyncCode.NODE_INVALID, "header " + SyncProtocol.NODE_HEADER + " must be a node id (a Kubernetes object name)");
            return;
        }
        if (options.tokens() != null && !options.tokens().accepts(node, bearer(req.getHeader("Authorization")))) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"edgetwin-sync\"");
            refuse(ctx, 401, SyncCode.AUTH, "no valid token for node " + node);
            LOG.warn("sync: refused node {} from {}: bad or missing token", node, req.remoteAddress());
            return;
        }
        Context context = ctx.vertx().getOrCreateContext();
        req.toWebSocket().onSuccess(ws -> {
            String session = sessionPrefix + "-" + sessionCounter.incrementAndGet();
            SyncSession s = new SyncSession(SyncSession.Side.CLOUD, store.nodeId(), node, session, options.sync(),
                    new JournalSource(store.journal(), SyncProtocol.cloudStream(node)), SyncServer::monotonicMillis, options.maxSnapshotBytes());
            SyncConnection c = new SyncConnection(ws, context, s, store, writer, metrics, ledger.listener(node, connections));
            SyncConnection old = connections.put(node, c);
            if (old != null) {
                replaced.incrementAndGet();
                LOG.warn("sync {}: a new connection from {} replaces the one from {}", node, ws.remoteAddress(), old.remoteAddress());
                old.retire(SyncCode.REPLACED, "a newer connection of " + node + " from " + ws.remoteAddress() + " replaced this one");
            }
            if (closing) c.retire(SyncCode.SHUTDOWN, "the cloud is stopping");
            else c.start(tickMillis(options.sync()));
        }).onFailure(e -> LOG.warn("sync: upgrade of {} from {} failed: {}", node, req.remoteAddress(), e.toString()));
    }

    static String bearer(String authorization) {
        if (authorization == null) return null;
        String a = authorization.trim();
        return a.regionMatches(true, 0, "Bearer ", 0, 7) ? a.substring(7).trim() : null;
    }

    private static void refuse(RoutingContext ctx, int status, SyncCode code, String message) {
        String body = JsonNodeFactory.instance.objectNode().put("code", code.code()).put("message", message).toString();
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body);
    }

    static long tickMillis(SyncOptions o) {
        return Math.max(50, Math.min(1_000, o.heartbeatMs() / 4));
    }

    static long monotonicMillis() {
        return System.nanoTime() / 1_000_000;
    }

    @Override
    public List<ReplicationStatus> nodes() {
        return ledger.statuses();
    }

    /** One edge's status, computed alone (the REST node directory asks edge by edge). */
    @Override
    public Optional<ReplicationStatus> node(String node) {
        return Optional.ofNullable(ledger.statusIfKnown(node));
    }

    /** Connections replaced by a newer one of the same edge since start. */
    public long replacedCount() {
        return replaced.get();
    }

    /** Closes every connection with {@code sync:shutdown} (waiting up to 5 s for the close frames) and refuses new ones. */
    @Override
    public void close() {
        closing = true;
        store.removeListener(wakeSenders);
        List<Future<Void>> closes = new ArrayList<>();
        for (SyncConnection c : connections.values()) closes.add(c.close(SyncCode.SHUTDOWN, "the cloud is stopping"));
        try {
            Future.join(closes).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.info("sync: not every edge connection closed cleanly: {}", e.toString());
        }
    }
}
