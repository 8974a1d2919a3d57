package dev.edgetwin.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A cloud and two edges as real processes on loopback, each edge behind a {@link FaultProxy}.
 * While both sides keep writing (desired values in the cloud, reported and desired values at
 * the edges), the test SIGKILLs and restarts every node, cuts, stalls, throttles and partitions
 * the links. After healing, every replica equals its source, the twins of each edge's devices
 * are identical on the edge and in the cloud, and no acknowledged entry is missing anywhere.
 */
class ClusterIT {
    static final Duration CONVERGE = Duration.ofSeconds(180);
    static final List<String> EDGES = List.of("edge-a", "edge-b");
    static final List<String> SYNC_FLAGS = List.of("--sync-heartbeat-ms", "400", "--sync-idle-timeout-ms", "3000");

    @TempDir
    Path dir;
    /** The children's output is kept under target/ for a post-mortem. */
    final Path logs = Path.of(System.getProperty("java.io.tmpdir"), "cluster-it-logs");
    final List<AutoCloseable> open = new ArrayList<>();
    final Random random = new Random(20261123L);

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : open) c.close();
    }

    ChildNode cloud() throws Exception {
        if (Files.exists(logs)) {
            try (var files = Files.list(logs)) {
                for (Path f : files.toList()) Files.delete(f);
            }
        }
        Files.writeString(dir.resolve("tokens"), "edge-a token-edge-a\nedge-b token-edge-b\n");
        List<String> args = new ArrayList<>(List.of("cloud", "--node-id", "cloud", "--data-dir", dir.resolve("cloud").toString(),
                "--http-port", "0", "--token-file", dir.resolve("tokens").toString()));
        args.addAll(SYNC_FLAGS);
        Files.createDirectories(logs);
        ChildNode c = new ChildNode("cloud", args, logs.resolve("cloud.log"));
        open.add(c);
        return c.start();
    }

    ChildNode edge(String id, FaultProxy proxy) throws Exception {
        List<String> args = new ArrayList<>(List.of("edge", "--node-id", id, "--data-dir", dir.resolve(id).toString(), "--http-port", "0",
                "--mqtt-port", "0", "--cloud", "ws://127.0.0.1:" + proxy.port() + "/sync/v1", "--token", "token-" + id,
                "--reconnect-min-ms", "100", "--reconnect-max-ms", "1500"));
        args.addAll(SYNC_FLAGS);
        ChildNode e = new ChildNode(id, args, logs.resolve(id + ".log"));
        open.add(e);
        return e.start();
    }

    @Test
    void killsCutsStallsAndPartitionsLoseNothingAcknowledgedAndEverythingConverges() throws Exception {
        ChildNode cloud = cloud();
        Map<String, FaultProxy> proxies = new HashMap<>();
        Map<String, ChildNode> edges = new TreeMap<>();
        for (String e : EDGES) {
            FaultProxy p = new FaultProxy(cloud.port());
            open.add(p);
            proxies.put(e, p);
            edges.put(e, edge(e, p));
        }
        for (String e : EDGES) {
            for (int i = 0; i < 4; i++) cloud.send("reg " + e + "-dev-" + i + " " + e);
            for (int i = 0; i < 2; i++) edges.get(e).send("regedge " + e + "-local-" + i);
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> writeLoop(cloud, edges, writing), "writes");
        writer.start();
        try {
            chaos(cloud, edges, proxies);
        } finally {
            writing.set(false);
            writer.join();
        }
        for (FaultProxy p : proxies.values()) {
            p.throttle(0);
            p.mode(FaultProxy.Mode.PASS);
        }
        for (String e : EDGES) awaitConverged(cloud, edges.get(e));
        assertNothingAcknowledgedIsMissing(cloud, edges);
        for (ChildNode n : List.of(cloud, edges.get("edge-a"), edges.get("edge-b"))) {
            long reconnects = Files.readAllLines(logs.resolve(n.name + ".log")).stream().filter(l -> l.contains(": streaming, session")).count();
            System.out.printf("%s: %d entries acknowledged, %d commands rejected, %d sessions streamed%n", n.name, n.acks.get(),
                    n.rejections.get(), reconnects);
        }
        assertThat(cloud.acks.get() + edges.values().stream().mapToLong(n -> n.acks.get()).sum()).as("entries written").isGreaterThan(500);
        for (ChildNode n : edges.values()) assertThat(n.errors).as(n.name + " driver errors").isEmpty();
        assertThat(cloud.errors).isEmpty();
    }

    private void writeLoop(ChildNode cloud, Map<String, ChildNode> edges, AtomicBoolean writing) {
        long n = 0;
        while (writing.get()) {
            String e = EDGES.get(random.nextInt(EDGES.size()));
            int k = random.nextInt(10);
            if (k < 3) {
                cloud.send("desire " + e + "-dev-" + random.nextInt(4) + " power " + (random.nextBoolean() ? "ON" : "OFF"));
            } else if (k < 7) {
                edges.get(e).send("report " + e + "-dev-" + random.nextInt(4) + " level " + n);
            } else if (k < 9) {
                edges.get(e).send("report " + e + "-local-" + random.nextInt(2) + " level " + n);
            } else {
                edges.get(e).send("desire " + e + "-dev-" + random.nextInt(4) + " level " + n);
            }
            n++;
            try {
                Thread.sleep(4);
            } catch (InterruptedException ex) {
                return;
            }
        }
    }

    /** Roughly 45 s of faults, each while both sides keep writing. */
    private void chaos(ChildNode cloud, Map<String, ChildNode> edges, Map<String, FaultProxy> proxies) throws Exception {
        ChildNode a = edges.get("edge-a");
        ChildNode b = edges.get("edge-b");
        FaultProxy pa = proxies.get("edge-a");
        FaultProxy pb = proxies.get("edge-b");
        Thread.sleep(3_000);
        pa.cut();                                   // both connections drop
        pb.cut();
        Thread.sleep(3_000);
        pb.mode(FaultProxy.Mode.STALL);             // edge-b: a half-dead link, found by the idle timeout
        Thread.sleep(5_000);
        pb.mode(FaultProxy.Mode.PASS);
        a.kill();                                   // SIGKILL an edge in the middle of traffic
        Thread.sleep(1_000);
        a.start();
        pa.throttle(20_000);                        // a slow link: credit keeps memory bounded
        Thread.sleep(4_000);
        pa.throttle(0);
        cloud.kill();                               // SIGKILL the cloud; edges keep writing
        Thread.sleep(2_000);
        cloud.start();
        pa.target(cloud.port());
        pb.target(cloud.port());
        Thread.sleep(3_000);
        pa.mode(FaultProxy.Mode.REFUSE);            // edge-a partitioned while both sides write
        Thread.sleep(5_000);
        pa.mode(FaultProxy.Mode.PASS);
        b.kill();
        Thread.sleep(500);
        b.start();
        Thread.sleep(3_000);
        pa.cut();
        cloud.kill();
        a.kill();                                   // two at once
        Thread.sleep(1_000);
        cloud.start();
        pa.target(cloud.port());
        pb.target(cloud.port());
        a.start();
        Thread.sleep(4_000);
    }

    static Map<String, long[]> positions(ChildNode n) throws InterruptedException {
        Map<String, long[]> out = new TreeMap<>();
        for (String line : n.query("pos", "pos end")) {
            String[] f = line.split(" ");
            out.put(f[1], new long[]{Long.parseLong(f[2]), Long.parseLong(f[3])});
        }
        return out;
    }

    private void awaitConverged(ChildNode cloud, ChildNode edge) {
        String up = "edge/" + edge.name;
        String down = "cloud/" + edge.name;
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, long[]> c = positions(cloud);
            Map<String, long[]> e = positions(edge);
            assertThat(c.get(up)).as("cloud's %s", up).isNotNull();
            assertThat(e.get(down)).as("%s's %s", edge.name, down).isNotNull();
            assertThat(c.get(up)[0]).as(up + " on the cloud").isEqualTo(e.get(up)[0]);
            assertThat(e.get(down)[0]).as(down + " on " + edge.name).isEqualTo(c.get(down)[0]);
            for (long[] p : c.values()) assertThat(p[1]).as("cloud projection applied").isEqualTo(p[0]);
            for (long[] p : e.values()) assertThat(p[1]).as(edge.name + " projection applied").isEqualTo(p[0]);
            List<String> cloudDocs = cloud.query("docs " + edge.name, "docs end");
            List<String> edgeDocs = edge.query("docs " + edge.name, "docs end");
            assertThat(edgeDocs).as("twins of %s's devices", edge.name).isEqualTo(cloudDocs).hasSize(6);
        });
    }

    private void assertNothingAcknowledgedIsMissing(ChildNode cloud, Map<String, ChildNode> edges) throws InterruptedException {
        Map<String, long[]> c = positions(cloud);
        for (ChildNode e : edges.values()) {
            Map<String, long[]> p = positions(e);
            String up = "edge/" + e.name;
            String down = "cloud/" + e.name;
            Long upAcked = e.acked.get(up);
            Long downAcked = cloud.acked.get(down);
            assertThat(upAcked).as("%s acknowledged writes", e.name).isNotNull();
            assertThat(downAcked).as("cloud acknowledged writes for %s", e.name).isNotNull();
            assertThat(p.get(up)[0]).as("%s holds what it acknowledged", e.name).isGreaterThan(upAcked);
            assertThat(c.get(up)[0]).as("the cloud holds what %s acknowledged", e.name).isGreaterThan(upAcked);
            assertThat(c.get(down)[0]).as("the cloud holds what it acknowledged for %s", e.name).isGreaterThan(downAcked);
            assertThat(p.get(down)[0]).as("%s holds what the cloud acknowledged", e.name).isGreaterThan(downAcked);
        }
    }
}
