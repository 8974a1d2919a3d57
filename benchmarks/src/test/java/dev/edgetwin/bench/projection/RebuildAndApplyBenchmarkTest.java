package dev.edgetwin.bench.projection;

import dev.edgetwin.bench.EventCounter;
import dev.edgetwin.bench.Workload;
import dev.edgetwin.bench.log.TwinEntries;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.JsonValues;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The rebuild and apply benchmarks do the real work: checkpoints reach the end, twins hold the values. */
class RebuildAndApplyBenchmarkTest {
    @TempDir
    Path base;

    @BeforeEach
    void benchDir() {
        System.setProperty("edgetwin.bench.dir", base.toString());
    }

    @AfterEach
    void clear() {
        System.clearProperty("edgetwin.bench.dir");
    }

    @Test
    void rebuildReplaysEveryEntryEachTime() {
        RebuildBenchmark bench = new RebuildBenchmark();
        bench.updates = 3_000;
        bench.cacheSize = 10;
        try {
            bench.writeJournal();
            EventCounter counter = new EventCounter();
            String first = bench.rebuild(counter);
            String second = bench.rebuild(counter);
            assertThat(first).isEqualTo(second).contains("edge/edge-a=3000").contains("cloud/edge-a=1000");
            assertThat(counter.events).isEqualTo(2 * 4_000);
        } finally {
            bench.close();
        }
    }

    @Test
    void applyMergesNewEventsEveryCall() {
        ProjectionApplyBenchmark bench = new ProjectionApplyBenchmark();
        bench.batch = 64;
        try {
            bench.open();
            EventCounter counter = new EventCounter();
            for (int i = 0; i < 10; i++) assertThat(bench.apply(counter)).isNotEmpty();
            assertThat(counter.events).isEqualTo(640);
            assertThat(bench.projection.checkpoint(TwinEntries.STREAM)).isEqualTo(640);
            List<Workload.TwinUpdate> updates = Workload.standard().updates(640);
            Workload.TwinUpdate last = updates.get(639);
            DeviceTwin twin = bench.projection.get(new DeviceId(Workload.NAMESPACE, last.device())).orElseThrow();
            assertThat(twin.reported(last.property())).contains(JsonValues.canonical(TwinEntries.json(last.property(), last.value())));
        } finally {
            bench.close();
        }
    }
}
