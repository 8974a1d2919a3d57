package dev.edgetwin.node.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Answers a request when asynchronous work is done, on the request's own Vert.x context. A
 * failure of the work, or an exception thrown while answering, fails the routing context, so
 * the {@link ProblemHandler} sends the problem document (an exception thrown in a plain future
 * callback would otherwise only reach the context's exception handler, and the client would hang).
 */
final class Replies {
    private Replies() {
    }

    static <T> void on(RoutingContext ctx, Future<T> work, Consumer<T> respond) {
        work.onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            try {
                respond.accept(ar.result());
            } catch (RuntimeException e) {
                ctx.fail(e);
            }
        });
    }

    /** Work done on another thread (the twin writer): its completion hops back to the request's context first. */
    static <T> void on(RoutingContext ctx, CompletionStage<T> work, Consumer<T> respond) {
        on(ctx, Future.fromCompletionStage(work, ctx.vertx().getOrCreateContext()), respond);
    }
}
