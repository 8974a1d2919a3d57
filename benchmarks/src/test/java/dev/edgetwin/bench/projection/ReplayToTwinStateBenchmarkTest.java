package dev.edgetwin.bench.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edgetwin.bench.EventCounter;
import dev.edgetwin.bench.Workload;
import dev.edgetwin.bench.log.TwinEntries;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.TwinState;

/** The replay really rebuilds the fleet: every device registered, every property at its last reported value. */
class ReplayToTwinStateBenchmarkTest {
    @TempDir
    Path base;

    @Test
    void applyStageRebuildsTheWholeFleet() {
        System.setProperty("edgetwin.bench.dir", base.toString());
        ReplayToTwinStateBenchmark bench = new ReplayToTwinStateBenchmark();
        try {
            bench.stage = "apply";
            bench.updates = 5_000;
            bench.writeJournal();
            EventCounter counter = new EventCounter();
            TwinState state = (TwinState) bench.replay(counter);
            assertThat(counter.events).isEqualTo(1_000 + 5_000);

            Map<String, JsonNode> last = new HashMap<>();
            for (Workload.TwinUpdate u : Workload.standard().updates(5_000)) {
                last.put(u.device() + "/" + u.property(), JsonValues.canonical(TwinEntries.json(u.property(), u.value())));
            }
            assertThat(state.twins()).hasSize(1_000);
            assertThat(state.twins().values()).allMatch(DeviceTwin::exists);
            last.forEach((key, value) -> {
                String[] dp = key.split("/");
                DeviceTwin twin = state.get(new DeviceId(Workload.NAMESPACE, dp[0])).orElseThrow();
                assertThat(twin.reported(dp[1])).contains(value);
            });
            DeviceTwin one = state.get(new DeviceId(Workload.NAMESPACE, "dev-00007")).orElseThrow();
            assertThat(one.model()).isEqualTo(Workload.MODEL);
            assertThat(one.properties()).containsOnlyKeys("powerstatus", "temperature", "humidity", "mode");
        } finally {
            bench.close();
            System.clearProperty("edgetwin.bench.dir");
        }
    }

    @Test
    void readAndDecodeStagesSeeEveryEntry() {
        System.setProperty("edgetwin.bench.dir", base.toString());
        for (String stage : new String[] {"read", "decode"}) {
            ReplayToTwinStateBenchmark bench = new ReplayToTwinStateBenchmark();
            try {
                bench.stage = stage;
                bench.updates = 2_000;
                bench.writeJournal();
                // sum of seqs: 0..999 on the cloud stream, 0..1999 on the edge stream
                assertThat(bench.replay(new EventCounter())).isEqualTo(999L * 1000 / 2 + 1999L * 2000 / 2);
            } finally {
                bench.close();
            }
        }
        System.clearProperty("edgetwin.bench.dir");
    }
}
