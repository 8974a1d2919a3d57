package dev.edgetwin.sync.vertx;

import dev.edgetwin.sync.wire.Frame;
import dev.edgetwin.sync.wire.SyncCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The sync meters every node registers (PROTOCOL.md §11): entries and bytes sent and received,
 * frames sent by type, and closes by code. Gauges (connected edges, lag) are registered by the server and client.
 * Thread-safe (Micrometer counters).
 */
final class SyncMetrics {
    private final MeterRegistry registry;
    final Counter sentEntries;
    final Counter sentBytes;
    final Counter receivedEntries;
    final Counter receivedBytes;
    private final Counter dataFrames;
    private final Counter ackFrames;
    private final Counter pingFrames;
    private final Counter otherFrames;

    SyncMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.sentEntries = Counter.builder("edgetwin.sync.sent.entries").description("journal entries sent to peers").register(registry);
        this.sentBytes = Counter.builder("edgetwin.sync.sent.bytes").description("entry bytes sent to peers").baseUnit("bytes").register(registry);
        this.receivedEntries = Counter.builder("edgetwin.sync.received.entries").description("journal entries received and accepted")
                .register(registry);
        this.receivedBytes = Counter.builder("edgetwin.sync.received.bytes").description("entry bytes received and accepted")
                .baseUnit("bytes").register(registry);
        this.dataFrames = frames("data");
        this.ackFrames = frames("ack");
        this.pingFrames = frames("ping");
        this.otherFrames = frames("other");
    }

    private Counter frames(String type) {
        return Counter.builder("edgetwin.sync.sent.frames").description("sync frames sent to peers, by type").tag("type", type).register(registry);
    }

    void sent(Frame f) {
        (f instanceof Frame.Data ? dataFrames : f instanceof Frame.Ack ? ackFrames : f instanceof Frame.Ping ? pingFrames : otherFrames).increment();
    }

    void closed(SyncCode code) {
        Counter.builder("edgetwin.sync.closes").description("sync connections closed, by code")
                .tag("code", code == null ? "transport" : code.code()).register(registry).increment();
    }

    MeterRegistry registry() {
        return registry;
    }
}
