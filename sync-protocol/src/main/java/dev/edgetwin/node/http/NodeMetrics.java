package dev.edgetwin.node.http;

import dev.edgetwin.log.AppliedEvents;
import dev.edgetwin.log.Journal;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.TwinListener;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.TwinWriter;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.EventRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.RoutingContext;

/**
 * The node's twin meters and {@code GET /metrics} (Prometheus text format, scraped from the
 * node's registry, so every component's meters appear):
 * <ul>
 *   <li>{@code edgetwin_events_applied_total{source="local|replica"}}: events applied (its rate is the ingest rate)</li>
 *   <li>{@code edgetwin_journal_entries}, {@code edgetwin_journal_streams}: journal size</li>
 *   <li>{@code edgetwin_projection_lag_entries}: journal entries not yet in the projection</li>
 *   <li>{@code edgetwin_writer_queue_depth}: commands waiting for the writer thread</li>
 * </ul>
 * HTTP request counts and latency are {@link HttpMetrics}; watch clients are counted by {@link WatchRoute}.
 * Connected peers and replication lag are the sync layer's own meters, kept up to date by the
 * connections themselves ({@code edgetwin_sync_connected_edges}, {@code edgetwin_sync_lag_entries};
 * sync-protocol/PROTOCOL.md §11): the same facts {@code GET /api/v1/nodes} shows.
 */
final class NodeMetrics implements TwinListener {
    private final TwinStore store;
    private final PrometheusMeterRegistry registry;
    private final Counter local;
    private final Counter replica;

    NodeMetrics(TwinStore store, TwinWriter writer, PrometheusMeterRegistry registry) {
        this.store = store;
        this.registry = registry;
        this.local = Counter.builder("edgetwin.events.applied").tag("source", "local")
                .description("events applied to the projection, written by this node").register(registry);
        this.replica = Counter.builder("edgetwin.events.applied").tag("source", "replica")
                .description("events applied to the projection, replicated from a peer").register(registry);
        Gauge.builder("edgetwin.journal.entries", store, s -> entries(s.journal())).baseUnit("entries")
                .description("entries in the journal, all streams").register(registry);
        Gauge.builder("edgetwin.journal.streams", store, s -> s.journal().streams().size())
                .description("streams in the journal").register(registry);
        Gauge.builder("edgetwin.projection.lag", store, NodeMetrics::projectionLag).baseUnit("entries")
                .description("journal entries the projection has not applied yet").register(registry);
        Gauge.builder("edgetwin.writer.queue.depth", writer, TwinWriter::pending)
                .description("commands waiting for the twin writer thread").register(registry);
        store.addListener(this);
    }

    @Override
    public void onChange(JournalEntry entry, EventRecord record, DeviceTwin after) {
        (store.role().canWrite(store.nodeId(), entry.stream()) ? local : replica).increment();
    }

    /** Counts a batch by its entries' streams only, decoding no event. */
    @Override
    public void onApplied(AppliedEvents events) {
        long own = 0;
        for (JournalEntry e : events.entries()) if (store.role().canWrite(store.nodeId(), e.stream())) own++;
        if (own > 0) local.increment(own);
        if (events.size() > own) replica.increment(events.size() - own);
    }

    private static double entries(Journal journal) {
        long n = 0;
        for (String s : journal.streams()) n += journal.nextSeq(s) - journal.firstSeq(s); // a trimmed stream holds entries from its base
        return n;
    }

    private static double projectionLag(TwinStore store) {
        long lag = 0;
        for (String s : store.journal().streams()) lag += Math.max(0, store.journal().nextSeq(s) - store.projection().checkpoint(s));
        return lag;
    }

    void handle(RoutingContext ctx) {
        ctx.vertx().executeBlocking(registry::scrape, false).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(ar.result());
        });
    }

    void close() {
        store.removeListener(this);
    }
}
