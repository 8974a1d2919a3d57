package dev.edgetwin.bench.kubeedge;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Both ways give the same result message, and it is the update's. */
class TwinUpdateCodecBenchmarkTest {
    @Test
    void treeAndFastGiveTheSameBytes() {
        TwinUpdateCodecBenchmark bench = new TwinUpdateCodecBenchmark();
        bench.setup();
        byte[] fast = bench.fast();
        assertThat(fast).isEqualTo(bench.tree());
        assertThat(new String(fast, StandardCharsets.UTF_8))
                .startsWith("{\"event_id\":\"load-3-123\",\"timestamp\":1764990000123,\"twin\":{\"temperature\":{\"actual\":{\"value\":\"21.5\"")
                .endsWith("\"optional\":false,\"metadata\":{\"type\":\"float\"}}}}");
        assertThat(bench.parseFast()).isEqualTo(bench.parseTree());
    }
}
