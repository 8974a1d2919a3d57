package dev.edgetwin.bench.sync;

import dev.edgetwin.bench.TempDirs;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.node.NodeCore;
import dev.edgetwin.sync.SyncOptions;
import dev.edgetwin.sync.wire.SyncProtocol;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Catch-up (issue 3): an edge was offline while {@code --events} events accumulated in its
 * journal; it connects, and the clock runs until the cloud's journal, then its projection, hold
 * every one of them (goal: 5 s for 1 M events on 2 cores). Cloud and edge run in this JVM over
 * a real WebSocket on loopback, each with its own Vert.x and writer thread.
 *
 * <pre>java @twin-log/target/classes/edgetwin-jvm.flags -Xmx2g -cp benchmarks/target/benchmarks.jar \
 *     dev.edgetwin.bench.sync.CatchUpBench --events 1000000 --devices 1000</pre>
 */
public final class CatchUpBench {
    private CatchUpBench() {
    }

    /**
     * The same entries appended straight into a cloud store (TwinStore.acceptReplica in frames of
     * 1,024, no network, no protocol): what catch-up would cost if the sync protocol were free.
     */
    private static void baseline(TwinStore edge, Path dir, long total) {
        NodeCore cloud = NodeCore.open("cloud", dir, dev.edgetwin.log.StoreOptions.cloud());
        String up = SyncProtocol.edgeStream("edge-a");
        long start = System.nanoTime();
        try (dev.edgetwin.log.JournalCursor c = edge.journal().read(up, 0)) {
            List<byte[]> frame = new ArrayList<>(1024);
            for (dev.edgetwin.log.JournalEntry e = c.next(); e != null; e = c.next()) {
                frame.add(e.bytes());
                if (frame.size() == 1024) {
                    cloud.store().acceptReplica(up, frame);
                    frame = new ArrayList<>(1024);
                }
            }
            if (!frame.isEmpty()) cloud.store().acceptReplica(up, frame);
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf("baseline without sync: acceptReplica of %d entries in frames of 1,024 took %.2f s (%.0f events/s)%n", total, s, total / s);
        cloud.close();
    }

    /**
     * Optional ({@code --warmup-events N}): another edge ({@code edge-w}) catches up N events
     * first, so the code paths of both sides are compiled before the clock starts, as in nodes
     * that have been running for a while. Default 0: a cold JVM, as in the runs before.
     */
    private static void warmUp(SyncBenchNodes.Cloud cloud, Path dir, int events, int devices, SyncOptions sync) throws InterruptedException {
        long t0 = System.nanoTime();
        NodeCore w = SyncBenchNodes.edge("edge-w", dir);
        SyncBenchNodes.registerDevices(w.store(), devices);
        List<TwinStore.Request> batch = new ArrayList<>(1000);
        for (int i = 0; i < events - devices; i++) {
            batch.add(SyncBenchNodes.report("edge-w", i % devices, i));
            if (batch.size() == 1000) {
                w.store().executeAll(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) w.store().executeAll(batch);
        String up = SyncProtocol.edgeStream("edge-w");
        long total = w.store().journal().nextSeq(up);
        SyncBenchNodes.connect(w, cloud.url(), sync);
        while (cloud.core().store().projection().checkpoint(up) < total) Thread.sleep(5);
        w.close();
        System.out.printf("warm-up: edge-w caught up %d events, %.1f s in all%n", total, (System.nanoTime() - t0) / 1e9);
    }

    public static void main(String[] args) throws Exception {
        int events = (int) SyncBenchNodes.arg(args, "--events", 1_000_000);
        int devices = (int) SyncBenchNodes.arg(args, "--devices", 1_000);
        SyncOptions d = SyncOptions.DEFAULT;
        SyncOptions sync = d.withWindow((int) SyncBenchNodes.arg(args, "--window-entries", d.windowEntries()),
                        (int) SyncBenchNodes.arg(args, "--window-bytes", d.windowBytes()))
                .withBatch(d.maxBatchBytes(), (int) SyncBenchNodes.arg(args, "--frame-entries", d.maxBatchEntries()));
        System.out.printf("sync settings: window %d entries / %d bytes, frames of at most %d entries / %d bytes%n",
                sync.windowEntries(), sync.windowBytes(), sync.maxBatchEntries(), sync.maxBatchBytes());
        Path dir = TempDirs.create("catchup-");
        try {
            NodeCore edge = SyncBenchNodes.edge("edge-a", dir.resolve("edge"));
            long t0 = System.nanoTime();
            TwinStore store = edge.store();
            SyncBenchNodes.registerDevices(store, devices);
            Random r = new Random(1);
            List<TwinStore.Request> batch = new ArrayList<>(1000);
            for (int i = 0; i < events - devices; i++) {
                batch.add(SyncBenchNodes.report("edge-a", r.nextInt(devices), i));
                if (batch.size() == 1000) {
                    store.executeAll(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) store.executeAll(batch);
            String up = SyncProtocol.edgeStream("edge-a");
            long total = store.journal().nextSeq(up);
            System.out.printf("setup: %d entries written offline in %.1f s%n", total, (System.nanoTime() - t0) / 1e9);

            SyncBenchNodes.Cloud cloud = SyncBenchNodes.cloud(dir.resolve("cloud"), sync);
            int warmup = (int) SyncBenchNodes.arg(args, "--warmup-events", 0);
            if (warmup > 0) warmUp(cloud, dir.resolve("edge-w"), warmup, devices, sync);
            String loadBefore = SyncBenchNodes.loadAverage();
            long start = System.nanoTime();
            SyncBenchNodes.connect(edge, cloud.url(), sync);
            long journalDone = -1;
            long firstEntry = -1;
            long lastReport = start;
            while (true) {
                long held = cloud.core().store().journal().nextSeq(up);
                long applied = cloud.core().store().projection().checkpoint(up);
                long now = System.nanoTime();
                if (firstEntry < 0 && held > 0) firstEntry = now;
                if (journalDone < 0 && held >= total) journalDone = now;
                if (applied >= total) break;
                if (now - lastReport > 1_000_000_000L) {
                    lastReport = now;
                    System.out.printf("  %.1f s: cloud journal %d, projection %d of %d%n", (now - start) / 1e9, held, applied, total);
                }
                if (now - start > 600_000_000_000L) throw new IllegalStateException("no catch-up within 10 minutes");
                Thread.sleep(5);
            }
            long done = System.nanoTime();
            double toJournal = (journalDone - start) / 1e9;
            double toProjection = (done - start) / 1e9;
            System.out.printf("catch-up: %d entries; cloud journal complete after %.2f s (%.0f entries/s), projection after %.2f s (%.0f events/s)%n",
                    total, toJournal, total / toJournal, toProjection, total / toProjection);
            System.out.printf("first entry in the cloud's journal after %.2f s (connect, handshake, first frame); from there %.2f s (%.0f events/s)%n",
                    (firstEntry - start) / 1e9, (done - firstEntry) / 1e9, total / ((done - firstEntry) / 1e9));
            System.out.printf("heap used after GC: %s; load average before %s, after %s%n", SyncBenchNodes.mib(SyncBenchNodes.usedHeapAfterGc()),
                    loadBefore, SyncBenchNodes.loadAverage());
            cloud.core().close();
            baseline(edge.store(), dir.resolve("baseline"), total);
            edge.close();
        } finally {
            TempDirs.delete(dir);
        }
    }
}
