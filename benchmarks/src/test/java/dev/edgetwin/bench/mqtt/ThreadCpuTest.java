package dev.edgetwin.bench.mqtt;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ThreadCpuTest {
    // a /proc/<pid>/task/<tid>/stat line whose thread name holds a space and parentheses
    static final String STAT = "4242 (odd (name) x) S 1 4242 4242 0 -1 4194368 700 0 0 0 1234 56 0 0 20 0 30 0 1000 0 0";

    @Test
    void aStatLineGivesTheNameAndTheTicks() {
        assertThat(ThreadCpu.name(STAT)).isEqualTo("odd (name) x");
        assertThat(CpuTime.ticks(STAT)).isEqualTo(1234 + 56);
    }

    @Test
    void theReportGivesSharesOfOneCoreHighestFirstAndLeavesOutSmallAndEndedThreads() {
        Map<String, Long> before = Map.of("twin-writer-edg", 1_000L, "vert.x-eventloo", 500L, "gone", 10L, "idle", 7L);
        Map<String, Long> after = Map.of("twin-writer-edg", 1_890L, "vert.x-eventloo", 1_140L, "idle", 7L, "rocksdb:low", 150L,
                "tiny", 5L);
        // 10 s at 100 ticks/s: 1,000 ticks are one core
        assertThat(ThreadCpu.report(before, after, 10, 8)).isEqualTo("twin-writer-edg 89%, vert.x-eventloo 64%, rocksdb:low 15%");
        assertThat(ThreadCpu.report(before, after, 10, 1)).isEqualTo("twin-writer-edg 89%");
        assertThat(ThreadCpu.report(after, after, 10, 8)).isEmpty();
        // the threads of a name prefix together (the JIT's compiler threads), a thread new since the first snapshot in full
        Map<String, Long> jitBefore = Map.of("C2 CompilerThre", 300L, "C1 CompilerThre", 100L);
        Map<String, Long> jitAfter = Map.of("C2 CompilerThre", 420L, "C1 CompilerThre", 130L, "C2 CompilerThrf", 50L);
        assertThat(ThreadCpu.share(jitBefore, jitAfter, 10, "C2 Compiler")).isEqualTo(17.0);
        assertThat(ThreadCpu.share(jitBefore, jitAfter, 10, "C1 Compiler")).isEqualTo(3.0);
        assertThat(ThreadCpu.share(jitBefore, jitAfter, 10, "GC")).isZero();
    }

    @Test
    void aSnapshotFindsABusyThreadByItsName() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc");
        AtomicBoolean stop = new AtomicBoolean();
        Thread busy = new Thread(() -> {
            long x = 0;
            while (!stop.get()) x += System.nanoTime() % 7;
            if (x == 42) System.out.print("");
        }, "cpu-probe-test");
        busy.start();
        try {
            // busy until the kernel has counted a tick for it (bounded: 10 s)
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (ThreadCpu.snapshot().getOrDefault("cpu-probe-test", 0L) == 0 && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(ThreadCpu.snapshot().get("cpu-probe-test")).isPositive();
            assertThat(ThreadCpu.snapshot(ProcessHandle.current().pid()).get("cpu-probe-test")).as("by process id").isPositive();
        } finally {
            stop.set(true);
            busy.join();
        }
    }
}
