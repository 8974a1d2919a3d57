package dev.edgetwin.sync.vertx;

import dev.edgetwin.sync.wire.SyncCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The sync meters every node registers (PROTOCOL.md §11): entries and bytes sent and received,
 * and closes by code. Gauges (connected edges, lag) are registered by the server and client.
 * Thread-safe (Micrometer counters).
 */
final class SyncMetrics {
    private final MeterRegistry registry;
    final Counter sentEntries;
    final Counter sentBytes;
    final Counter receivedEntries;
    final Counter receivedBytes;

    SyncMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.sentEntries = Counter.builder("edgetwin.sync.sent.entries").description("journal entries sent to peers").register(registry);
        this.sentBytes = Counter.builder("edgetwin.sync.sent.bytes").description("entry bytes sent to peers").baseUnit("bytes").register(registry);
        this.receivedEntries = Counter.builder("edgetwin.sync.received.entries").description("journal entries received and accepted")
                .register(registry);
        this.receivedBytes = Counter.builder("edgetwin.sync.received.bytes").description("entry bytes received and accepted")
                .baseUnit("bytes").register(registry);
    }

    void closed(SyncCode code) {
        Counter.builder("edgetwin.sync.closes").description("sync connections closed, by code")
                .tag("code", code == null ? "transport" : code.code()).register(registry).increment();
    }

    MeterRegistry registry() {
        return registry;
    }
}
