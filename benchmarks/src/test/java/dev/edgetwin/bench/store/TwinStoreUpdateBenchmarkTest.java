package dev.edgetwin.bench.store;

import dev.edgetwin.bench.EventCounter;
import dev.edgetwin.bench.Workload;
import dev.edgetwin.bench.log.TwinEntries;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.JsonValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every benchmark call is an acknowledged update: the journal grows and the store holds the last values. */
class TwinStoreUpdateBenchmarkTest {
    @TempDir
    Path base;

    @Test
    void singleAndBatchedUpdatesAreAppliedForReal() {
        System.setProperty("edgetwin.bench.dir", base.toString());
        for (int batch : new int[]{1, 64}) {
            TwinStoreUpdateBenchmark bench = new TwinStoreUpdateBenchmark();
            bench.batch = batch;
            bench.fsync = "never";
            try {
                bench.open();
                EventCounter counter = new EventCounter();
                int calls = 256 / batch;
                for (int i = 0; i < calls; i++) bench.update(counter);
                assertThat(counter.events).isEqualTo(256);
                assertThat(bench.store.journal().nextSeq("edge/" + Workload.NODE)).isEqualTo(1_000 + 256);
                List<Workload.TwinUpdate> updates = Workload.standard().updates(256);
                Workload.TwinUpdate last = updates.get(255);
                assertThat(bench.store.get(new DeviceId(Workload.NAMESPACE, last.device())).orElseThrow().reported(last.property()))
                        .contains(JsonValues.canonical(TwinEntries.json(last.property(), last.value())));
            } finally {
                bench.close();
            }
        }
        System.clearProperty("edgetwin.bench.dir");
    }
}
