package dev.edgetwin.node.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;

/**
 * Request counts and latency: {@code edgetwin_http_requests_seconds{method,route,status}} (a
 * Prometheus summary: _count, _sum, _max). {@code route} is the route template
 * ({@code /api/v1/devices/:name}), never the raw path, so ids do not explode the series;
 * requests no route matched are {@code route="unmatched"}. A change stream is timed when it ends.
 */
final class HttpMetrics implements Handler<RoutingContext> {
    static final String ROUTE_KEY = "edgetwin.route";

    private final MeterRegistry registry;

    HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A first handler for a route: names its template for the metric. */
    static Handler<RoutingContext> named(String template) {
        return ctx -> {
            ctx.put(ROUTE_KEY, template);
            ctx.next();
        };
    }

    @Override
    public void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        ctx.addEndHandler(ar -> {
            String route = ctx.get(ROUTE_KEY);
            if (route == null) {
                Route current = ctx.currentRoute();
                route = current != null && current.getPath() != null ? current.getPath() : "unmatched";
            }
            Timer.builder("edgetwin.http.requests")
                    .description("HTTP requests by route template, method and status")
                    .tag("method", ctx.request().method().name())
                    .tag("route", route)
                    .tag("status", String.valueOf(ctx.response().getStatusCode()))
                    .register(registry)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        });
        ctx.next();
    }
}
