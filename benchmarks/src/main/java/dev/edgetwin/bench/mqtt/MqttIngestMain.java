package dev.edgetwin.bench.mqtt;

import dev.edgetwin.bench.TempDirs;
import dev.edgetwin.edge.EdgeConfig;
import dev.edgetwin.edge.EdgeNode;
import dev.edgetwin.edge.mqtt.MqttSettings;
import dev.edgetwin.log.FsyncPolicy;
import dev.edgetwin.log.Result;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The MQTT ingest load driver: {@code --clients} mappers publish KubeEdge twin updates at QoS 1,
 * each with {@code --window} in flight, for {@code --seconds} after {@code --warmup}; prints
 * throughput (PUBACKs per second) and publish→PUBACK latency percentiles.
 *
 * <p>{@code --target edge} (default) starts an edge node in this JVM (embedded broker; devices
 * registered first), so each PUBACK means: parsed, checked, journaled, projected, result and
 * document published. {@code --target tcp://host:port} drives any broker (mosquitto: the
 * baseline with no twin logic). The load generator runs on the same machine: its own CPU use
 * is part of every figure. {@code --generator raw} (default) keeps that share small: a minimal
 * MQTT client over java.nio, all clients on one thread ({@link RawLoadClient});
 * {@code --generator vertx} uses Vert.x MQTT clients ({@link LoadClient}).
 */
@Command(name = "mqtt-ingest", mixinStandardHelpOptions = true, description = "MQTT twin-update ingest load driver")
public final class MqttIngestMain implements Callable<Integer> {
    @Option(names = "--target", defaultValue = "edge", description = "edge (in this JVM) or tcp://host:port of a broker")
    String target;
    @Option(names = "--clients", defaultValue = "16")
    int clients;
    @Option(names = "--devices", defaultValue = "4000", description = "devices, spread over the clients")
    int devices;
    @Option(names = "--window", defaultValue = "200", description = "QoS 1 publications in flight per client")
    int window;
    @Option(names = "--seconds", defaultValue = "20")
    int seconds;
    @Option(names = "--warmup", defaultValue = "10")
    int warmup;
    @Option(names = "--results", defaultValue = "true", negatable = true, description = "clients subscribe (QoS 0) to their devices' update results")
    boolean results;
    @Option(names = "--fsync", defaultValue = "interval:1000", description = "edge journal fsync policy")
    String fsync;
    @Option(names = "--data-dir", description = "edge data folder (default: a temporary folder)")
    Path dataDir;
    /** The edge's data folder when --data-dir is not given; deleted when the run ends. */
    private Path tempDir;
    @Option(names = "--generator", defaultValue = "raw", description = "load generator: raw (RawLoadClient: minimal MQTT over java.nio, "
            + "one thread) or vertx (LoadClient: Vert.x MQTT clients)")
    String generator;
    @Option(names = "--raw-batch-us", defaultValue = "500", description = "raw generator: least µs between two turns of its loop while "
            + "every client has half its window in flight and windows are >= 16 (fewer wake-ups and system calls per update, "
            + "more frames per read and write; PUBACKs are seen up to that much later; 0: none)")
    long rawBatchMicros;
    @Option(names = "--loops", defaultValue = "1", description = "event loops of the vertx load generator")
    int loops;
    @Option(names = "--broker-pid", description = "process id of the external broker, to count its CPU time too")
    Integer brokerPid;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the driver; its exit code. */
    static int run(String... args) {
        return new CommandLine(new MqttIngestMain()).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        if (!generator.equals("raw") && !generator.equals("vertx")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--generator must be raw or vertx");
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < devices; i++) ids.add(String.format("default/dev-%05d", i));
        EdgeNode edge = null;
        String host;
        int port;
        if (target.equals("edge")) {
            edge = startEdge(ids);
            host = "127.0.0.1";
            port = edge.mqttPort();
        } else {
            URI uri = URI.create(target);
            host = uri.getHost();
            port = uri.getPort();
        }
        Generator load = generator.equals("raw") ? new RawGenerator(Duration.ofSeconds(warmup + seconds + 180L), Duration.ofNanos(rawBatchMicros * 1000L)) : new VertxGenerator(loops);
        try {
            for (int c = 0; c < clients; c++) {
                List<String> mine = new ArrayList<>();
                for (int d = c; d < ids.size(); d += clients) mine.add(ids.get(d));
                load.add("load-" + c, mine, window);
            }
            load.connect(host, port, results);
            System.out.printf("target=%s generator=%s clients=%d devices=%d window=%d results=%s warmup=%ds measure=%ds%n",
                    target, generator, clients, devices, window, results, warmup, seconds);
            load.start();
            sleepWatching(load, warmup * 1000L);
            load.measure(true);
            long cpuStart = CpuTime.process() + CpuTime.of(brokerPid);
            long heapStart = CpuTime.allocatedBytes();
            Map<String, Long> threadsStart = ThreadCpu.snapshot();
            long start = System.nanoTime();
            for (int s = 1; s <= seconds; s++) {
                sleepWatching(load, 1000);
                long acked = load.acked();
                System.out.printf("  %2d s: %,d acked (%,.0f/s so far)%n", s, acked, acked / ((System.nanoTime() - start) / 1e9));
            }
            load.measure(false);
            double elapsed = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (CpuTime.process() + CpuTime.of(brokerPid) - cpuStart) / 1e9;
            long heapBytes = CpuTime.allocatedBytes() - heapStart;
            String threads = ThreadCpu.report(threadsStart, ThreadCpu.snapshot(), elapsed, 8);
            load.stop();
            long acked = load.acked();
            long failed = load.failed();
            long[] sorted = Latencies.merge(load.latencies());
            double cpuPerUpdate = acked == 0 ? Double.NaN : cpuSeconds * 1e6 / acked;
            // heap allocated in this JVM (the edge, when embedded, and the generator) per update
            double heapPerUpdate = acked == 0 || heapStart < 0 ? Double.NaN : (double) heapBytes / acked;
            System.out.printf("RESULT target=%s generator=%s clients=%d window=%d throughput=%,.0f/s p50=%.2fms p99=%.2fms p999=%.2fms max=%.2fms "
                            + "acked=%d refused=%d cpu=%.1fs cpu/update=%.1fus cores-used=%.2f heap/update=%.0fB%n", target, generator, clients, window, acked / elapsed,
                    Latencies.percentileMillis(sorted, 50), Latencies.percentileMillis(sorted, 99),
                    Latencies.percentileMillis(sorted, 99.9), Latencies.percentileMillis(sorted, 100), acked, failed,
                    cpuSeconds, cpuPerUpdate, cpuSeconds / elapsed, heapPerUpdate);
            // where the CPU went: the edge's writer and MQTT loop, RocksDB's native threads, the generator
            if (!threads.isEmpty()) System.out.println("threads (share of one core while measuring): " + threads);
            if (edge != null) {
                System.out.printf("edge journal: %,d entries in edge/edge-bench%n",
                        edge.core().store().journal().nextSeq("edge/edge-bench"));
            }
            load.disconnect();
            String stats = load.stats();
            if (stats != null) System.out.println(stats);
            return 0;
        } finally {
            load.close();
            if (edge != null) edge.close();
            // a journal of a 20 s run takes about a gigabyte: a temporary one must not outlive the run
            TempDirs.delete(tempDir);
        }
    }

    /** Sleeps, failing as soon as the load generator did. */
    private static void sleepWatching(Generator load, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            Thread.sleep(Math.min(100, Math.max(1, left / 1_000_000L)));
            Throwable failure = load.failure();
            if (failure != null) throw new IllegalStateException("the load generator failed: " + failure, failure);
        }
    }

    /** The load generator: all its clients. */
    private interface Generator extends AutoCloseable {
        void add(String clientId, List<String> devices, int window) throws Exception;

        /** Connects every client (and subscribes, with {@code results}); returns once all are ready. */
        void connect(String host, int port, boolean results) throws Exception;

        void start();

        void measure(boolean on);

        /** Stops publishing; the counts and latencies are final afterwards. */
        void stop() throws Exception;

        long acked();

        long failed();

        List<Latencies> latencies();

        /** Why the generator stopped by itself, or null. */
        Throwable failure();

        void disconnect() throws Exception;

        /** What the generator did (system calls, bytes), or null. */
        default String stats() {
            return null;
        }

        @Override
        void close() throws Exception;
    }

    /** What both generators share: their clients, and the sums over them. */
    private abstract static class Clients<C extends MeasuredClient> implements Generator {
        final List<C> all = new ArrayList<>();

        @Override
        public void measure(boolean on) {
            all.forEach(c -> c.measure(on));
        }

        @Override
        public long acked() {
            return all.stream().mapToLong(MeasuredClient::ackedWhileMeasuring).sum();
        }

        @Override
        public long failed() {
            return all.stream().mapToLong(MeasuredClient::failed).sum();
        }

        @Override
        public List<Latencies> latencies() {
            return all.stream().map(MeasuredClient::latencies).toList();
        }
    }

    /** {@link RawLoadClient}s on one thread. */
    private static final class RawGenerator extends Clients<RawLoadClient> {
        private final RawLoadClient.Loop loop;

        RawGenerator(Duration maxRun, Duration batch) throws Exception {
            loop = new RawLoadClient.Loop(maxRun, batch);
        }

        @Override
        public void add(String clientId, List<String> devices, int window) {
            all.add(new RawLoadClient(loop, clientId, devices, window));
        }

        @Override
        public void connect(String host, int port, boolean results) throws Exception {
            List<CompletableFuture<Void>> ready = new ArrayList<>();
            for (RawLoadClient c : all) ready.add(c.connect(host, port, results));
            CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }

        @Override
        public void start() {
            all.forEach(RawLoadClient::start);
        }

        @Override
        public void stop() throws Exception {
            for (RawLoadClient c : all) c.stop();
        }

        @Override
        public Throwable failure() {
            return loop.failure();
        }

        @Override
        public void disconnect() throws Exception {
            List<CompletableFuture<Void>> closed = new ArrayList<>();
            for (RawLoadClient c : all) closed.add(c.disconnect());
            CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }

        @Override
        public String stats() {
            return loop.stats();
        }

        @Override
        public void close() throws Exception {
            loop.close();
        }
    }

    /** {@link LoadClient}s (Vert.x MQTT clients) on {@code loops} event loops. */
    private static final class VertxGenerator extends Clients<LoadClient> {
        private final Vertx vertx;

        VertxGenerator(int loops) {
            vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
            // the edge's event loops have the same names: rename the generator's (new contexts take the loops in turn)
            // so that per-thread CPU (top -H) tells them apart
            for (int i = 0; i < loops; i++) {
                String name = "vertx-load-" + i;
                vertx.runOnContext(v -> Thread.currentThread().setName(name));
            }
        }

        @Override
        public void add(String clientId, List<String> devices, int window) {
            all.add(new LoadClient(vertx, clientId, devices, window));
        }

        @Override
        public void connect(String host, int port, boolean results) throws Exception {
            List<Future<Void>> connected = new ArrayList<>();
            for (LoadClient c : all) connected.add(c.connect(host, port, results));
            Future.all(connected).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }

        @Override
        public void start() {
            for (LoadClient c : all) vertx.runOnContext(v -> c.start());
        }

        @Override
        public void stop() {
            all.forEach(LoadClient::stop);
        }

        @Override
        public Throwable failure() {
            return null;
        }

        @Override
        public void disconnect() throws Exception {
            List<CompletableFuture<Void>> closing = new ArrayList<>();
            for (LoadClient c : all) closing.add(c.disconnect().toCompletionStage().toCompletableFuture());
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    EdgeNode startEdge(List<String> ids) throws Exception {
        if (dataDir == null) tempDir = TempDirs.create("mqtt-ingest");
        Path dir = dataDir != null ? dataDir : tempDir;
        EdgeConfig local = EdgeConfig.local("edge-bench", dir);
        Properties p = new Properties();
        p.setProperty("mqtt.maxInflight", Integer.toString(Math.max(1_000, window)));
        MqttSettings mqtt = local.mqtt().withProperties(p, "bench");
        EdgeConfig config = local.withMqtt(mqtt).withFsync(FsyncPolicy.parse(fsync));
        EdgeNode edge = EdgeNode.start(config);
        List<CompletableFuture<Result>> registered = new ArrayList<>();
        for (String id : ids) {
            registered.add(edge.core().writer().submit(TwinStore.Request.of(new TwinCommand.RegisterDevice(DeviceId.parse(id),
                    "edge-bench", "thermometer", Map.of(), Map.of("temperature", new PropertyDef("float", false)), Map.of()))));
        }
        for (CompletableFuture<Result> r : registered) {
            if (!(r.get(60, TimeUnit.SECONDS) instanceof Result.Applied)) throw new IllegalStateException("registration failed: " + r.get());
        }
        System.out.printf("edge started in this JVM: %d devices registered, data in %s%s, fsync %s%n", ids.size(), dir,
                tempDir != null ? " (temporary: deleted at the end)" : "", fsync);
        return edge;
    }
}
