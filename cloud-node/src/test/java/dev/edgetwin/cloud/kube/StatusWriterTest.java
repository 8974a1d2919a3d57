package dev.edgetwin.cloud.kube;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class StatusWriterTest {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final BridgeMetrics metrics = new BridgeMetrics(registry);

    @Test
    void failedWritesAreRetriedUntilTheyGoThrough() {
        AtomicInteger attempts = new AtomicInteger();
        List<String> written = new CopyOnWriteArrayList<>();
        StatusWriter.Sink flaky = key -> {
            if (attempts.incrementAndGet() <= 3) throw new IllegalStateException("API server unavailable");
            written.add(key);
        };
        try (StatusWriter w = new StatusWriter(flaky, metrics, Duration.ofMillis(50), Duration.ofMillis(200))) {
            w.changed("default/lamp-1");
            await().atMost(Duration.ofSeconds(30)).until(() -> written.size() == 1);
            assertThat(attempts.get()).isEqualTo(4);
            assertThat(registry.counter("edgetwin.kube.status.writes", "result", "failed").count()).isEqualTo(3);
            assertThat(w.pending("default/lamp-1")).isFalse();
        }
    }

    @Test
    void closeWritesWhatIsPending() {
        List<String> written = new CopyOnWriteArrayList<>();
        StatusWriter w = new StatusWriter(written::add, metrics, Duration.ofMillis(300), Duration.ofSeconds(1));
        w.changed("default/lamp-1");
        await().atMost(Duration.ofSeconds(30)).until(() -> written.size() == 1);
        w.changed("default/lamp-1");   // waits for its interval
        w.changed("default/lamp-1");   // coalesced
        w.close();
        assertThat(written).hasSize(2);
        assertThat(registry.counter("edgetwin.kube.status.coalesced").count()).isEqualTo(1);
        w.changed("default/lamp-1");   // after close: ignored
        assertThat(written).hasSize(2);
    }
}
