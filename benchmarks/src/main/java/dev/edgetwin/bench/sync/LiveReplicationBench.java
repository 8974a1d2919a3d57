package dev.edgetwin.bench.sync;

import dev.edgetwin.bench.TempDirs;
import dev.edgetwin.log.TwinListener;
import dev.edgetwin.node.NodeCore;
import dev.edgetwin.sync.SyncOptions;
import dev.edgetwin.sync.wire.SyncProtocol;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Live replication under a steady write rate (issue 3: 10k events/s): an edge writes reported
 * values through its writer at {@code --rate} events/s for {@code --seconds}; the cloud applies
 * them. Measures, per entry, the time from the edge's append to the cloud's projection applying
 * it (both nodes in this JVM, so one clock), and the lag in entries sampled every 100 ms.
 *
 * <pre>java @twin-log/target/classes/edgetwin-jvm.flags -Xmx2g -cp benchmarks/target/benchmarks.jar \
 *     dev.edgetwin.bench.sync.LiveReplicationBench --rate 10000 --seconds 30</pre>
 */
public final class LiveReplicationBench {
    private LiveReplicationBench() {
    }

    public static void main(String[] args) throws Exception {
        int rate = (int) SyncBenchNodes.arg(args, "--rate", 10_000);
        int seconds = (int) SyncBenchNodes.arg(args, "--seconds", 30);
        int devices = (int) SyncBenchNodes.arg(args, "--devices", 1_000);
        int capacity = rate * (seconds + 10) + devices * 4;
        AtomicLongArray appendedAt = new AtomicLongArray(capacity);
        AtomicLongArray appliedAt = new AtomicLongArray(capacity);
        SyncOptions sync = SyncOptions.DEFAULT;
        String up = SyncProtocol.edgeStream("edge-a");
        Path dir = TempDirs.create("live-");
        try {
            SyncBenchNodes.Cloud cloud = SyncBenchNodes.cloud(dir.resolve("cloud"), sync);
            NodeCore edge = SyncBenchNodes.edge("edge-a", dir.resolve("edge"));
            TwinListener onEdge = (e, rec, twin) -> {
                if (e.stream().equals(up) && e.seq() < capacity) appendedAt.set((int) e.seq(), System.nanoTime());
            };
            TwinListener onCloud = (e, rec, twin) -> {
                if (e.stream().equals(up) && e.seq() < capacity) appliedAt.set((int) e.seq(), System.nanoTime());
            };
            edge.store().addListener(onEdge);
            cloud.core().store().addListener(onCloud);
            SyncBenchNodes.registerDevices(edge.store(), devices);
            SyncBenchNodes.connect(edge, cloud.url(), sync);
            while (cloud.core().store().projection().checkpoint(up) < devices) Thread.sleep(10);

            String loadBefore = SyncBenchNodes.loadAverage();
            long warmEnd = edge.store().journal().nextSeq(up);
            AtomicLong maxLag = new AtomicLong();
            long lagSum = 0;
            int lagSamples = 0;
            long start = System.nanoTime();
            long tick = 10_000_000L; // 10 ms
            int perTick = Math.max(1, rate / 100);
            long written = 0;
            long nextSample = start;
            for (long t = start; t < start + seconds * 1_000_000_000L; t += tick) {
                while (System.nanoTime() < t) Thread.onSpinWait();
                for (int i = 0; i < perTick; i++) edge.writer().submit(SyncBenchNodes.report("edge-a", (int) (written++ % devices), written));
                if (System.nanoTime() >= nextSample) {
                    nextSample += 100_000_000L;
                    long lag = edge.store().journal().nextSeq(up) - cloud.core().store().journal().nextSeq(up);
                    maxLag.accumulateAndGet(lag, Math::max);
                    lagSum += lag;
                    lagSamples++;
                }
            }
            long end = edge.store().journal().nextSeq(up);
            while (cloud.core().store().projection().checkpoint(up) < end) Thread.sleep(5);
            double elapsed = (System.nanoTime() - start) / 1e9;
            long[] latencies = new long[(int) (end - warmEnd)];
            int n = 0;
            for (long seq = warmEnd; seq < end; seq++) {
                long a = appendedAt.get((int) seq);
                long b = appliedAt.get((int) seq);
                if (a > 0 && b > 0) latencies[n++] = b - a;
            }
            long[] l = Arrays.copyOf(latencies, n);
            Arrays.sort(l);
            System.out.printf("live: %d events in %.1f s (%.0f events/s offered %d/s); append->cloud projection latency p50 %.1f ms, "
                            + "p99 %.1f ms, max %.1f ms; lag avg %.0f, max %d entries%n", end - warmEnd, elapsed, (end - warmEnd) / elapsed, rate,
                    pct(l, 0.50), pct(l, 0.99), l.length == 0 ? 0 : l[l.length - 1] / 1e6, lagSamples == 0 ? 0.0 : (double) lagSum / lagSamples,
                    maxLag.get());
            System.out.printf("heap used after GC: %s; load average before %s, after %s%n", SyncBenchNodes.mib(SyncBenchNodes.usedHeapAfterGc()),
                    loadBefore, SyncBenchNodes.loadAverage());
            edge.close();
            cloud.core().close();
        } finally {
            TempDirs.delete(dir);
        }
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6;
    }
}
