package dev.edgetwin.node.http;

import dev.edgetwin.log.TwinStore;
import dev.edgetwin.node.NodeCore;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The REST API of DESIGN.md section 8, shared by the cloud and the edge, mounted on a node's
 * router: devices (list, get, {@code ?at=}, put, delete, desired patch, history) under
 * {@code /api/v1/devices/{name}} (namespace {@code default}) and
 * {@code /api/v1/namespaces/{ns}/devices/{name}}, the change stream {@code /api/v1/watch},
 * {@code /api/v1/nodes} (when given a {@link NodeDirectory}: the cloud), {@code /readyz},
 * {@code /metrics} and {@code /openapi.yaml} (the contract: {@code openapi.yaml} beside this
 * class). {@code /healthz} is the node core's. Errors are problem documents
 * ({@link ProblemHandler}); with a token file, {@code /api/**} and {@code /metrics} need a
 * bearer token, the health endpoints and the OpenAPI document stay open.
 */
public final class RestApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);
    static final String OPENAPI_RESOURCE = "openapi.yaml";

    private final TwinStore store;
    private final ChangeFeed feed;
    private final NodeMetrics metrics;

    private RestApi(TwinStore store, ChangeFeed feed, NodeMetrics metrics) {
        this.store = store;
        this.feed = feed;
        this.metrics = metrics;
    }

    /**
     * Mounts the API on {@code core}'s router (before it listens) and registers its teardown
     * with the core. {@code directory} is null on an edge (no {@code /api/v1/nodes}). Throws
     * {@link IllegalArgumentException} when the token file cannot be used.
     */
    public static RestApi mount(NodeCore core, ApiOptions options, NodeDirectory directory) {
        Router router = core.router();
        TwinStore store = core.store();
        BearerAuth auth = options.tokenFile() == null ? null : BearerAuth.fromFile(options.tokenFile());
        DeviceScope scope = new DeviceScope(store.role(), store.nodeId());
        DeviceQueries queries = new DeviceQueries(store, scope, options);
        DeviceCommands commands = new DeviceCommands(store, core.writer(), scope);
        ChangeFeed feed = new ChangeFeed();
        store.addListener(feed);
        WatchRoute watch = new WatchRoute(store, feed, options, core.metrics());
        NodeMetrics metrics = new NodeMetrics(store, core.writer(), core.metrics());
        Readiness readiness = new Readiness(store);
        byte[] openApi = openApiDocument();

        router.route().order(-1).handler(new HttpMetrics(core.metrics()));
        ProblemHandler.install(router);
        if (auth != null) {
            router.route("/api/*").handler(auth);
            router.route("/metrics").handler(auth);
        }
        BodyHandler body = BodyHandler.create(false).setBodyLimit(options.maxBodyBytes());
        for (String devices : List.of("/api/v1/devices", "/api/v1/namespaces/:ns/devices")) {
            String device = devices + "/:name";
            route(router, HttpMethod.GET, devices, queries::list);
            route(router, HttpMethod.GET, device, queries::get);
            route(router, HttpMethod.PUT, device, body, commands::put);
            route(router, HttpMethod.DELETE, device, commands::delete);
            route(router, HttpMethod.PATCH, device + "/desired", body, commands::patchDesired);
            route(router, HttpMethod.GET, device + "/history", queries::history);
        }
        route(router, HttpMethod.GET, "/api/v1/watch", watch::handle);
        if (directory != null) route(router, HttpMethod.GET, "/api/v1/nodes", new NodeRoutes(directory)::list);
        route(router, HttpMethod.GET, "/readyz", readiness::handle);
        route(router, HttpMethod.GET, "/metrics", metrics::handle);
        route(router, HttpMethod.GET, "/openapi.yaml", ctx -> ctx.response().putHeader("content-type", "application/yaml")
                .end(io.vertx.core.buffer.Buffer.buffer(openApi)));

        RestApi api = new RestApi(store, feed, metrics);
        core.onClose(api);
        LOG.info("REST API mounted for {} {} (auth {}, body limit {} bytes{})", store.role(), store.nodeId(),
                auth == null ? "off" : "on", options.maxBodyBytes(), directory == null ? "" : ", /api/v1/nodes");
        return api;
    }

    private static void route(Router router, HttpMethod method, String path, Handler<RoutingContext> handler) {
        route(router, method, path, null, handler);
    }

    /** A route: its body handler first (Vert.x requires it before user handlers), then its metric name, then the handler. */
    private static void route(Router router, HttpMethod method, String path, BodyHandler body, Handler<RoutingContext> handler) {
        var route = router.route(method, path).setName(path); // the template, for the OpenAPI coverage test
        if (body != null) route.handler(body);
        route.handler(HttpMetrics.named(path)).handler(handler);
    }

    static byte[] openApiDocument() {
        try (InputStream in = RestApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the classpath");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops feeding the change stream and the meters (the node is closing). */
    @Override
    public void close() {
        store.removeListener(feed);
        metrics.close();
    }
}
