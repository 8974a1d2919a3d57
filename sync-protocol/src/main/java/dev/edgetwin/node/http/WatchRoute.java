package dev.edgetwin.node.http;

import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalException;
import dev.edgetwin.log.TwinStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /api/v1/watch}: the change stream as Server-Sent Events (format: {@link SseText},
 * data: {@link EventJson}, filters: {@link WatchFilter}, delivery: {@link WatchSession}). Each
 * event's id is its journal position {@code stream:seq}. A client that reconnects with
 * {@code Last-Event-ID} (or {@code ?lastEventId=}, for clients that cannot set headers) gets
 * every event after that position, then the live ones, with no gap and no duplicate; without
 * one it starts with the events from now on, preceded by a bookmark at the last event this node
 * notified before (none when nothing was written since the node started: the client then gets
 * its first id with its first event or bookmark). An id the journal does not hold (never
 * written, or trimmed by retention) is {@code twin:position.notfound} (404), a malformed one
 * {@code http:param.invalid} (400). At most {@link ApiOptions#watchMaxStreams()} streams are open
 * at once: one more is {@code watch:toomany} (503), and nothing is opened for it.
 */
final class WatchRoute {
    private final TwinStore store;
    private final ChangeFeed feed;
    private final ApiOptions options;
    private final AtomicInteger sessions = new AtomicInteger();
    private final Counter overflows;
    private final Counter refused;

    WatchRoute(TwinStore store, ChangeFeed feed, ApiOptions options, MeterRegistry metrics) {
        this.store = store;
        this.feed = feed;
        this.options = options;
        Gauge.builder("edgetwin.watch.sessions", sessions, AtomicInteger::get)
                .description("open change-stream (SSE) connections").register(metrics);
        this.overflows = Counter.builder("edgetwin.watch.overflows")
                .description("change-stream clients dropped for reading too slowly").register(metrics);
        this.refused = Counter.builder("edgetwin.watch.refused")
                .description("change-stream requests refused as --watch-max-streams were open").register(metrics);
    }

    void handle(RoutingContext ctx) {
        WatchFilter filter = WatchFilter.parse(ctx);
        String lastId = ctx.request().getHeader("last-event-id");
        if (lastId == null || lastId.isBlank()) lastId = Params.text(ctx, "lastEventId");
        JournalPosition after = null;
        if (lastId != null && !lastId.isBlank()) {
            try {
                after = JournalPosition.parse(lastId.strip());
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, Problem.PARAM_INVALID, "Last-Event-ID: " + e.getMessage());
            }
        }
        // a place among the open streams is taken first (the server's loops answer requests side by side) and
        // handed back if no stream comes of it; an open stream hands it back when it closes
        if (sessions.incrementAndGet() > options.watchMaxStreams()) {
            sessions.decrementAndGet();
            refused.increment();
            throw new ApiException(503, Problem.WATCH_TOO_MANY, options.watchMaxStreams()
                    + " change streams are open on this node (--watch-max-streams); close one or retry later");
        }
        if (after == null) {
            open(ctx, filter).start(null);
            return;
        }
        resume(ctx, filter, after);
    }

    private void resume(RoutingContext ctx, WatchFilter filter, JournalPosition after) {
        // position the cursor before answering, so an unknown id is a 404, not a stream that ends at once
        Future<JournalCursor> positioned = ctx.vertx().executeBlocking(() -> {
            try {
                return store.journal().readAllAfter(after.stream(), after.seq());
            } catch (JournalException e) {
                String why = switch (e.code()) {
                    case "journal:position.notfound" -> " is not in this node's journal";
                    case "journal:trimmed" -> " was trimmed from this node's journal by retention";
                    default -> throw e;
                };
                throw new ApiException(404, Problem.POSITION_NOT_FOUND, "Last-Event-ID " + after + why
                        + "; reconnect without it to watch from now");
            }
        }, false);
        positioned.onFailure(e -> sessions.decrementAndGet());
        Replies.on(ctx, positioned, cursor -> {
            if (ctx.response().closed()) {
                sessions.decrementAndGet();
                cursor.close();
                return;
            }
            WatchSession session = open(ctx, filter);
            session.start(new WatchReplay(cursor, store, filter, session.seen()));
        });
    }

    /** The stream, in the place taken for it in {@link #handle}. */
    private WatchSession open(RoutingContext ctx, WatchFilter filter) {
        String client = String.valueOf(ctx.request().remoteAddress());
        return new WatchSession(ctx.vertx().getOrCreateContext(), ctx.response(), client, feed, filter, options,
                overflows::increment, sessions::decrementAndGet);
    }
}
