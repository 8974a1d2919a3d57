package dev.edgetwin.node;

import dev.edgetwin.log.FsyncPolicy;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.TwinWriter;
import dev.edgetwin.log.chronicle.JournalOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * What an edge and a cloud node are both made of: the {@link TwinStore}, the one
 * {@link TwinWriter} thread that writes to it, a Vert.x instance, the HTTP {@link Router}
 * that node components mount their routes on before {@link #listen}, and the Micrometer
 * registry every component registers its meters in (scraped at {@code /metrics}). {@link #close} stops
 * everything registered with {@link #onClose} (last first), then the HTTP server, Vert.x, the
 * writer (after its queued work) and the store.
 */
public final class NodeCore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeCore.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final TwinStore store;
    private final TwinWriter writer;
    private final Vertx vertx;
    private final Router router;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Deque<AutoCloseable> closers = new ArrayDeque<>();
    private volatile HttpServer http;

    private NodeCore(TwinStore store, TwinWriter writer, Vertx vertx) {
        this.store = store;
        this.writer = writer;
        this.vertx = vertx;
        this.router = Router.router(vertx);
        NodeHttp.health(router);
    }

    /** Opens the store in {@code dataDir} (replaying the journal into the projection) and starts Vert.x. */
    public static NodeCore open(String nodeId, Path dataDir, StoreOptions options, FsyncPolicy fsync) {
        StoreOptions withFsync = options.withJournal(options.journal().withFsync(fsync));
        TwinStore store = TwinStore.open(dataDir, nodeId, withFsync);
        return new NodeCore(store, new TwinWriter(store), Vertx.vertx());
    }

    /** Opens with {@link JournalOptions#DEFAULT}'s fsync policy. */
    public static NodeCore open(String nodeId, Path dataDir, StoreOptions options) {
        return open(nodeId, dataDir, options, options.journal().fsync());
    }

    /** Starts the HTTP server on the router (port 0 picks one) and waits until it listens. */
    public int listen(String host, int port, String what) {
        return listen(NodeHttp.options(host, port), what);
    }

    /** Starts the HTTP server with these options (TLS, WebSocket limits; port 0 picks one) and waits until it listens. */
    public int listen(HttpServerOptions options, String what) {
        http = await(NodeHttp.listen(vertx, router, options, what));
        return http.actualPort();
    }

    /** Registers something to close before the core's own parts (components: MQTT, sync, bridge). */
    public void onClose(AutoCloseable closer) {
        synchronized (closers) {
            closers.push(closer);
        }
    }

    /** Waits for a Vert.x future from a non-Vert.x thread (start-up, shutdown, tests). */
    public static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            throw new IllegalStateException(cause);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out after " + START_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public TwinStore store() {
        return store;
    }

    public TwinWriter writer() {
        return writer;
    }

    public Vertx vertx() {
        return vertx;
    }

    public Router router() {
        return router;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /** The bound HTTP port, or -1 before {@link #listen}. */
    public int httpPort() {
        return http == null ? -1 : http.actualPort();
    }

    @Override
    public void close() {
        synchronized (closers) {
            while (!closers.isEmpty()) {
                AutoCloseable c = closers.pop();
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("closing {} failed: {}", c, e.toString());
                }
            }
        }
        try {
            if (http != null) await(http.close());
            await(vertx.close());
        } catch (RuntimeException e) {
            LOG.warn("stopping Vert.x failed: {}", e.toString());
        }
        writer.close();
        try {
            store.close();
        } catch (RuntimeException e) {
            LOG.error("node {}: closing the twin store failed (the projection and journal are closed, the last sync is not sure): {}",
                    store.nodeId(), e.toString());
        }
        metrics.close();
        LOG.info("node {} stopped", store.nodeId());
    }
}
