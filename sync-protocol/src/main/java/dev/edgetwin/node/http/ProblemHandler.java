package dev.edgetwin.node.http;

import dev.edgetwin.log.JournalException;
import dev.edgetwin.log.ProjectionException;
import dev.edgetwin.log.TwinWriter;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure of a request into a problem document: {@link ApiException}s as they
 * are, the router's own 404/405/413 with HTTP codes, storage failures with their journal or
 * projection code (500), a full writer queue as {@code twin:overloaded} (503), and anything
 * else as {@code http:internal} (500, logged with its stack: that one is a bug).
 */
final class ProblemHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

    private ProblemHandler() {
    }

    static void install(Router router) {
        router.route().failureHandler(ProblemHandler::failed);
        router.errorHandler(404, ctx -> send(ctx, 404, Problem.ROUTE_NOT_FOUND, "no resource at " + ctx.request().path()));
        router.errorHandler(405, ctx -> send(ctx, 405, Problem.METHOD_NOT_ALLOWED,
                ctx.request().method() + " is not allowed on " + ctx.request().path()));
    }

    private static void failed(RoutingContext ctx) {
        Throwable f = ctx.failure();
        if (f instanceof ApiException a) {
            send(ctx, a.status(), a.code(), a.detail());
        } else if (f instanceof JournalException j) {
            LOG.error("{} {}: journal failure {}", ctx.request().method(), ctx.request().path(), j.getMessage());
            send(ctx, 500, j.code(), j.getMessage());
        } else if (f instanceof ProjectionException p) {
            LOG.error("{} {}: projection failure {}", ctx.request().method(), ctx.request().path(), p.getMessage());
            send(ctx, 500, p.code(), p.getMessage());
        } else if (f instanceof IllegalStateException s && s.getMessage() != null && s.getMessage().startsWith(TwinWriter.OVERLOADED)) {
            ctx.response().putHeader("retry-after", "1");
            send(ctx, 503, Problem.OVERLOADED, s.getMessage());
        } else if (f == null) {
            int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            switch (status) {
                case 413 -> send(ctx, 413, Problem.BODY_TOO_LARGE, "the request body exceeds the limit of this node");
                case 404 -> send(ctx, 404, Problem.ROUTE_NOT_FOUND, "no resource at " + ctx.request().path());
                case 401 -> send(ctx, 401, Problem.UNAUTHORIZED, "a bearer token is required");
                default -> send(ctx, status, status >= 500 ? Problem.INTERNAL : Problem.PARAM_INVALID, "request failed with status " + status);
            }
        } else {
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), f);
            send(ctx, 500, Problem.INTERNAL, f.toString());
        }
    }

    private static void send(RoutingContext ctx, int status, String code, String detail) {
        Problem.send(ctx.response(), status, code, detail, ctx.request().path());
        if (ctx.response().headWritten() && !ctx.response().ended()) {
            // a streaming response (watch) that fails midway cannot take a problem any more: end it
            ctx.response().end();
        }
    }
}
