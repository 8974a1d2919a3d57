package dev.edgetwin.node.http;

import dev.edgetwin.log.Journal;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.TwinListener;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.TwinWriter;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.EventRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;

/**
 * The node's twin meters and {@code GET /metrics} (Prometheus text format, scraped from the
 * node's registry, so every component's meters appear):
 * <ul>
 *   <li>{@code edgetwin_events_applied_total{source="local|replica"}}: events applied (its rate is the ingest rate)</li>
 *   <li>{@code edgetwin_journal_entries}, {@code edgetwin_journal_streams}: journal size</li>
 *   <li>{@code edgetwin_projection_lag_entries}: journal entries not yet in the projection</li>
 *   <li>{@code edgetwin_writer_queue_depth}: commands waiting for the writer thread</li>
 *   <li>with a {@link NodeDirectory} (cloud): {@code edgetwin_nodes_connected} and
 *       {@code edgetwin_replication_lag_entries{stream}} where the sync layer knows the peer's position</li>
 * </ul>
 * HTTP request counts and latency are {@link HttpMetrics}; watch clients are counted by {@link WatchRoute}.
 */
final class NodeMetrics implements TwinListener {
    private final TwinStore store;
    private final PrometheusMeterRegistry registry;
    private final NodeDirectory directory;
    private final Counter local;
    private final Counter replica;
    private final MultiGauge replicationLag;

    NodeMetrics(TwinStore store, TwinWriter writer, PrometheusMeterRegistry registry, NodeDirectory directory) {
        this.store = store;
        this.registry = registry;
        this.directory = directory;
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
        if (directory != null) {
            Gauge.builder("edgetwin.nodes.connected", directory, d -> d.nodes().stream()
                            .filter(n -> n.link() == NodeStatus.LinkState.CONNECTED).count())
                    .description("peer nodes connected now").register(registry);
            this.replicationLag = MultiGauge.builder("edgetwin.replication.lag").baseUnit("entries")
                    .description("entries one side of a stream holds that the other does not").register(registry);
        } else {
            this.replicationLag = null;
        }
        store.addListener(this);
    }

    @Override
    public void onChange(JournalEntry entry, EventRecord record, DeviceTwin after) {
        (store.role().canWrite(store.nodeId(), entry.stream()) ? local : replica).increment();
    }

    private static double entries(Journal journal) {
        long n = 0;
        for (String s : journal.streams()) n += journal.nextSeq(s);
        return n;
    }

    private static double projectionLag(TwinStore store) {
        long lag = 0;
        for (String s : store.journal().streams()) lag += Math.max(0, store.journal().nextSeq(s) - store.projection().checkpoint(s));
        return lag;
    }

    void handle(RoutingContext ctx) {
        if (replicationLag != null) {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (NodeStatus n : directory.nodes()) {
                for (NodeStatus.StreamStatus s : n.streams()) {
                    Long lag = s.replicationLag();
                    if (lag != null) rows.add(MultiGauge.Row.of(Tags.of("stream", s.stream()), lag));
                }
            }
            replicationLag.register(rows, true);
        }
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
