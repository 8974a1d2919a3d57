package dev.edgetwin.node.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgetwin.log.Journal;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.JsonValues;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /readyz}: 200 once the projection has caught up with the journal — every stream's
 * checkpoint equals the journal's next seq — and 503 with the lagging streams until then.
 * Readiness latches: once caught up, the node stays ready (after start-up, appends and their
 * projection happen together under the store's lock; a probe that lands between the two must
 * not flap the node out of a load balancer).
 */
final class Readiness {
    private final TwinStore store;
    private volatile boolean ready;

    Readiness(TwinStore store) {
        this.store = store;
    }

    /** Streams whose projection checkpoint is behind the journal, with how many entries. */
    Map<String, Long> lagging() {
        Journal journal = store.journal();
        Map<String, Long> lag = new TreeMap<>();
        for (String stream : journal.streams()) {
            long behind = journal.nextSeq(stream) - store.projection().checkpoint(stream);
            if (behind > 0) lag.put(stream, behind);
        }
        return lag;
    }

    void handle(RoutingContext ctx) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (!ready) {
            Map<String, Long> lag = lagging();
            if (!lag.isEmpty()) {
                body.put("ready", false);
                ObjectNode streams = body.putObject("lagging");
                lag.forEach(streams::put);
                JsonIo.send(ctx, 503, JsonValues.write(body));
                return;
            }
            ready = true;
        }
        body.put("ready", true);
        JsonIo.send(ctx, 200, JsonValues.write(body));
    }
}
