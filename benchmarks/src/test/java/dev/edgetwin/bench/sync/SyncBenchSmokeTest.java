package dev.edgetwin.bench.sync;

import dev.edgetwin.bench.TempDirs;
import dev.edgetwin.sync.SyncOptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The sync benchmarks run end to end at toy sizes (the real runs are in RESULTS.md, not in the test suite). */
class SyncBenchSmokeTest {
    static String captured(ThrowingRunnable r) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void catchUpReportsWhenTheCloudHoldsEverything() throws Exception {
        String out = captured(() -> CatchUpBench.main(new String[]{"--events", "3000", "--devices", "20"}));
        assertThat(out).contains("catch-up: 3000 entries").contains("projection after");
    }

    @Test
    void liveReplicationReportsLatencyAndLag() throws Exception {
        String out = captured(() -> LiveReplicationBench.main(new String[]{"--rate", "500", "--seconds", "2", "--devices", "20"}));
        assertThat(out).containsPattern("live: \\d+ events").contains("p99");
    }

    @Test
    void theFleetDriverConnectsSimulatedEdgesAndDrainsItsBacklog() throws Exception {
        Path dir = TempDirs.create("fleet-smoke-");
        SyncBenchNodes.Cloud cloud = SyncBenchNodes.cloud(dir, SyncOptions.DEFAULT);
        try {
            String out = captured(() -> FleetDriver.main(new String[]{"--cloud", cloud.url().toString(), "--edges", "8", "--devices", "80",
                    "--rate", "200", "--seconds", "2"}));
            assertThat(out).contains("connected and registered: 8 edges").contains("backlog drained");
            assertThat(cloud.server().nodes()).hasSize(8).allMatch(n -> n.up().lag() == 0);
            assertThat(cloud.core().store().list(dev.edgetwin.log.ListFilter.ALL, null, 1000).items()).hasSize(80);
        } finally {
            cloud.core().close();
            TempDirs.delete(dir);
        }
    }
}
