package dev.edgetwin.bench.sync;

import dev.edgetwin.sync.SyncOptions;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The fleet load driver (issue 3): {@code --edges} simulated edges ({@link SimulatedEdge}) connect
 * over real WebSockets to one cloud running as its own process, register
 * {@code --devices} devices between them, then write {@code --rate} reported values per second
 * for {@code --seconds}. Every 5 s it prints connected edges, entries written and acknowledged,
 * and the replication lag; at the end how long the backlog took to drain and, with
 * {@code --cloud-pid}, the cloud's heap after a GC, threads, open files and RSS.
 *
 * <pre>bin/twin-cloud --node-id cloud --data-dir /tmp/fleet --http-port 8080 (EDGETWIN_JAVA_OPTS=-Xmx2g)
 * java -Xmx2g -cp benchmarks/target/benchmarks.jar dev.edgetwin.bench.sync.FleetDriver \
 *     --cloud ws://127.0.0.1:8080/sync/v1 --edges 1000 --devices 100000 --rate 2000 --seconds 120 --cloud-pid PID</pre>
 */
public final class FleetDriver {
    private FleetDriver() {
    }

    public static void main(String[] args) throws Exception {
        URI cloud = URI.create(SyncBenchNodes.arg(args, "--cloud", "ws://127.0.0.1:8080/sync/v1"));
        int edgeCount = (int) SyncBenchNodes.arg(args, "--edges", 1_000);
        int devices = (int) SyncBenchNodes.arg(args, "--devices", 100_000);
        int rate = (int) SyncBenchNodes.arg(args, "--rate", 2_000);
        int seconds = (int) SyncBenchNodes.arg(args, "--seconds", 120);
        long cloudPid = SyncBenchNodes.arg(args, "--cloud-pid", -1);
        SyncOptions sync = SyncOptions.DEFAULT;
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(edgeCount + 16)
                .setMaxFrameSize(64 * 1024).setMaxMessageSize(4 << 20));
        List<SimulatedEdge> edges = new ArrayList<>();
        int perEdge = Math.max(1, devices / edgeCount);
        for (int i = 0; i < edgeCount; i++) {
            Context ctx = vertx.getOrCreateContext();
            SimulatedEdge e = new SimulatedEdge(String.format("sim-%05d", i), sync, ctx);
            e.register(perEdge);
            edges.add(e);
        }
        System.out.printf("fleet: %d edges x %d devices = %d devices, load average %s%n", edgeCount, perEdge, edgeCount * perEdge,
                SyncBenchNodes.loadAverage());
        long start = System.nanoTime();
        for (int i = 0; i < edges.size(); i++) {
            edges.get(i).connect(client, cloud);
            if (i % 50 == 49) Thread.sleep(50); // no connect storm
        }
        vertx.setPeriodic(250, id -> edges.forEach(SimulatedEdge::tick));
        while (edges.stream().filter(e -> e.streaming).count() < edgeCount || backlog(edges) > 0) {
            if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(10)) throw new IllegalStateException("fleet did not connect in 10 minutes");
            Thread.sleep(200);
        }
        System.out.printf("connected and registered: %d edges, %d entries acknowledged after %.1f s%n", edgeCount,
                edges.stream().mapToLong(e -> e.acked).sum(), (System.nanoTime() - start) / 1e9);

        Random random = new Random(7);
        long written = 0;
        long loadStart = System.nanoTime();
        long nextReport = loadStart + 5_000_000_000L;
        long maxLag = 0;
        int perTick = Math.max(1, rate / 100);
        for (long t = loadStart; t < loadStart + seconds * 1_000_000_000L; t += 10_000_000L) {
            while (System.nanoTime() < t) Thread.sleep(0, 200_000);
            for (int i = 0; i < perTick; i++) edges.get(random.nextInt(edgeCount)).report(random.nextInt(perEdge), written++);
            if (System.nanoTime() >= nextReport) {
                nextReport += 5_000_000_000L;
                long lag = backlog(edges);
                maxLag = Math.max(maxLag, lag);
                System.out.printf("  %5.0f s: %d/%d edges streaming, %d written, lag %d entries (max per edge %d)%s%n",
                        (System.nanoTime() - loadStart) / 1e9, edges.stream().filter(e -> e.streaming).count(), edgeCount, written, lag,
                        edges.stream().mapToLong(e -> e.head() - e.acked).max().orElse(0), cloudPid > 0 ? ", cloud " + process(cloudPid) : "");
            }
        }
        long drainStart = System.nanoTime();
        while (backlog(edges) > 0) Thread.sleep(10);
        System.out.printf("load: %d reported values in %d s (%.0f/s); max lag %d entries; backlog drained %.2f s after the last write%n", written,
                seconds, written / (double) seconds, maxLag, (System.nanoTime() - drainStart) / 1e9);
        System.out.printf("sessions opened: %d (%d edges); load average %s%n", edges.stream().mapToInt(e -> e.sessions).sum(), edgeCount,
                SyncBenchNodes.loadAverage());
        if (cloudPid > 0) {
            System.out.printf("cloud process %d: %s; heap after a full GC: %s%n", cloudPid, process(cloudPid), heapAfterGc(cloudPid));
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    static long backlog(List<SimulatedEdge> edges) {
        long n = 0;
        for (SimulatedEdge e : edges) n += e.head() - e.acked;
        return n;
    }

    /** Threads, open files and RSS of a process, from /proc. */
    static String process(long pid) {
        try {
            String threads = "?";
            String rss = "?";
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("Threads:")) threads = line.substring(8).trim();
                if (line.startsWith("VmRSS:")) rss = line.substring(6).trim();
            }
            long fds;
            try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                fds = s.count();
            }
            return threads + " threads, " + fds + " open files, RSS " + rss;
        } catch (Exception e) {
            return "(cannot read /proc/" + pid + ": " + e + ")";
        }
    }

    /** {@code jcmd PID GC.run}, then the heap line of {@code GC.heap_info}. */
    static String heapAfterGc(long pid) {
        try {
            new ProcessBuilder("jcmd", String.valueOf(pid), "GC.run").redirectErrorStream(true).start().waitFor(60, TimeUnit.SECONDS);
            Process p = new ProcessBuilder("jcmd", String.valueOf(pid), "GC.heap_info").redirectErrorStream(true).start();
            StringBuilder out = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.contains("total") && line.contains("used")) out.append(line.trim()).append("; ");
                }
            }
            p.waitFor(60, TimeUnit.SECONDS);
            return out.toString();
        } catch (Exception e) {
            return "(jcmd failed: " + e + ")";
        }
    }
}
