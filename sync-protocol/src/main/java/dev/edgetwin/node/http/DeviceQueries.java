package dev.edgetwin.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.HistoryEntry;
import dev.edgetwin.log.ListFilter;
import dev.edgetwin.log.Page;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceState;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.Hlc;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.TwinError;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The read side of the device API: list with filters and cursor paging, one document with its
 * ETag (and {@code If-None-Match} → 304), a document as of a time or journal position
 * ({@code ?at=}), and a device's history. Queries run on a worker thread (RocksDB and journal
 * reads must not hold up the event loop); responses are written back on the request's context.
 */
final class DeviceQueries {
    /** The prefix of {@link TwinStore#documentAt}'s refusal of a moment before what retention trimmed. */
    private static final String TRIMMED = "twin:position.trimmed: ";

    private final TwinStore store;
    private final DeviceScope scope;
    private final ApiOptions options;

    DeviceQueries(TwinStore store, DeviceScope scope, ApiOptions options) {
        this.store = store;
        this.scope = scope;
        this.options = options;
    }

    /** Runs {@code query} on a worker, then {@code respond} on the request's context; any failure becomes a problem. */
    static <T> void blocking(RoutingContext ctx, Callable<T> query, Consumer<T> respond) {
        Replies.on(ctx, ctx.vertx().executeBlocking(query, false), respond);
    }

    void list(RoutingContext ctx) {
        ListFilter filter = filter(ctx);
        String cursor = Params.text(ctx, "cursor");
        int limit = Params.limit(ctx, options.defaultPageSize(), options.maxPageSize());
        blocking(ctx, () -> {
            if (filter == null) return new Page<DeviceTwin>(List.of(), null);
            try {
                return store.list(filter, cursor, limit);
            } catch (IllegalArgumentException e) {
                throw ApiException.badParam("cursor", "not a cursor this API returned");
            }
        }, page -> {
            StringBuilder json = new StringBuilder(256 + page.items().size() * 256).append("{\"items\":[");
            for (int i = 0; i < page.items().size(); i++) {
                if (i > 0) json.append(',');
                json.append(page.items().get(i).documentJson());
            }
            json.append("],\"nextCursor\":").append(page.nextCursor() == null ? "null" : JsonValues.write(JsonValues.text(page.nextCursor())))
                    .append('}');
            JsonIo.send(ctx, 200, json.toString());
        });
    }

    /** The filter of the query, or null when it cannot match anything (an edge asked for another node). */
    private ListFilter filter(RoutingContext ctx) {
        String node = Params.text(ctx, "node");
        String property = Params.text(ctx, "property");
        String valueText = Params.text(ctx, "value");
        if (valueText != null && property == null) throw ApiException.badParam("value", "needs 'property'");
        JsonNode value = valueText == null ? null : valueOf(valueText);
        String stateText = Params.text(ctx, "state");
        DeviceState state = stateText == null ? null : DeviceState.parse(stateText)
                .orElseThrow(() -> ApiException.badParam("state", "'" + stateText + "' is not one of online, offline, ok, unknown, unhealthy"));
        if (scope.edge()) {
            if (node != null && !node.equals(scope.nodeId())) return null;
            node = scope.nodeId();
        }
        return new ListFilter(node, Params.text(ctx, "model"), property, value, Params.bool(ctx, "inSync"), state,
                Params.namespace(ctx));
    }

    /** {@code value=ON} is the string "ON"; anything that is valid JSON ({@code 3}, {@code true}, {@code "ON"}) is that JSON. */
    private static JsonNode valueOf(String text) {
        try {
            return JsonValues.parse(text);
        } catch (IllegalArgumentException notJson) {
            return JsonValues.text(text);
        }
    }

    void get(RoutingContext ctx) {
        DeviceId id = Params.device(ctx);
        String at = Params.text(ctx, "at");
        if (at != null) {
            getAt(ctx, id, at);
            return;
        }
        blocking(ctx, () -> store.get(id).filter(scope::visible), twin -> {
            DeviceTwin t = twin.orElseThrow(() -> ApiException.of(TwinError.notFound(id)));
            String etag = t.etag();
            if (EntityTags.matches(ctx.request().getHeader("if-none-match"), etag)) {
                ctx.response().setStatusCode(304).putHeader("etag", etag).end();
                return;
            }
            sendDocument(ctx, 200, t);
        });
    }

    private void getAt(RoutingContext ctx, DeviceId id, String at) {
        if (JournalPosition.looksLikePosition(at)) {
            JournalPosition p;
            try {
                p = JournalPosition.parse(at);
            } catch (IllegalArgumentException e) {
                throw ApiException.badParam("at", e.getMessage());
            }
            blocking(ctx, () -> {
                try {
                    return store.documentAt(id, p.stream(), p.seq());
                } catch (IllegalArgumentException e) {
                    throw notHeld(e, "the journal holds no entry " + p);
                }
            }, twin -> sendHistoric(ctx, id, twin, "at journal position " + p));
        } else {
            Instant time = Params.time("at", at);
            blocking(ctx, () -> {
                try {
                    return store.documentAt(id, time);
                } catch (IllegalArgumentException e) {
                    if (!String.valueOf(e.getMessage()).startsWith(TRIMMED)) throw e;
                    throw notHeld(e, null);
                }
            }, twin -> sendHistoric(ctx, id, twin, "at " + time));
        }
    }

    /** A moment the journal cannot show: never held, or before what retention trimmed (the detail says which). */
    private static ApiException notHeld(IllegalArgumentException e, String detail) {
        String m = String.valueOf(e.getMessage());
        if (m.startsWith(TRIMMED)) detail = m.substring(TRIMMED.length());
        else if (m.startsWith(Problem.POSITION_NOT_FOUND + ": ")) detail = m.substring(Problem.POSITION_NOT_FOUND.length() + 2);
        return new ApiException(404, Problem.POSITION_NOT_FOUND, detail);
    }

    private void sendHistoric(RoutingContext ctx, DeviceId id, Optional<DeviceTwin> twin, String when) {
        DeviceTwin t = twin.filter(scope::visible)
                .orElseThrow(() -> new ApiException(404, TwinError.DEVICE_NOT_FOUND, "device " + id + " did not exist " + when));
        sendDocument(ctx, 200, t);
    }

    static void sendDocument(RoutingContext ctx, int status, DeviceTwin twin) {
        ctx.response().putHeader("etag", twin.etag());
        JsonIo.send(ctx, status, twin.documentJson());
    }

    void history(RoutingContext ctx) {
        DeviceId id = Params.device(ctx);
        Instant from = Params.time(ctx, "from");
        Instant to = Params.time(ctx, "to");
        if (from != null && to != null && from.isAfter(to)) throw ApiException.badParam("from", "is after 'to'");
        int limit = Params.limit(ctx, options.defaultPageSize(), options.maxPageSize());
        String cursorText = Params.text(ctx, "cursor");
        HistoryCursor cursor = cursorText == null ? null : HistoryCursor.decode(cursorText);
        blocking(ctx, () -> historyPage(id, from, to, cursor, limit), page -> {
            StringBuilder json = new StringBuilder(256 + page.items().size() * 200).append("{\"items\":[");
            for (int i = 0; i < page.items().size(); i++) {
                HistoryEntry h = page.items().get(i);
                if (i > 0) json.append(',');
                json.append(EventJson.json(new JournalPosition(h.position().stream(), h.position().seq()), h.record()));
            }
            json.append("],\"nextCursor\":").append(page.nextCursor() == null ? "null" : JsonValues.write(JsonValues.text(page.nextCursor())))
                    .append('}');
            JsonIo.send(ctx, 200, json.toString());
        });
    }

    private Page<HistoryEntry> historyPage(DeviceId id, Instant from, Instant to, HistoryCursor cursor, int limit) {
        DeviceTwin raw = store.projection().raw(id);
        if (raw.maxHlc() == 0 || (raw.exists() && !scope.visible(raw))) throw ApiException.of(TwinError.notFound(id));
        long fromHlc = cursor != null ? Math.max(cursor.hlc(), lowHlc(from)) : lowHlc(from);
        long toHlc = highHlc(to);
        int fetch = limit + 1 + (cursor == null ? 0 : 16);
        List<HistoryEntry> items;
        while (true) {
            List<HistoryEntry> got = store.history(id, fromHlc, toHlc, fetch);
            items = new ArrayList<>(got.size());
            for (HistoryEntry h : got) {
                if (cursor == null || cursor.isBefore(h.position())) items.add(h);
            }
            // events at the cursor's own HLC are read again and skipped: fetch more if they crowded the page out
            if (items.size() > limit || got.size() < fetch) break;
            fetch = Math.min(Integer.MAX_VALUE / 2, fetch * 2);
        }
        if (items.size() <= limit) return new Page<>(items, null);
        List<HistoryEntry> page = items.subList(0, limit);
        return new Page<>(page, HistoryCursor.after(page.get(limit - 1).position()).encode());
    }

    private static long lowHlc(Instant t) {
        return t == null ? 0 : Hlc.pack(Math.min(Hlc.MAX_MILLIS, Math.max(0, t.toEpochMilli())), 0);
    }

    private static long highHlc(Instant t) {
        if (t == null) return Long.MAX_VALUE;
        if (t.toEpochMilli() < 0) return -1;
        return Hlc.pack(Math.min(Hlc.MAX_MILLIS, t.toEpochMilli()), Hlc.MAX_COUNTER);
    }
}
