package dev.edgetwin.bench.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgetwin.bench.TempDirs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * End-to-end latency (issue 4): a device reports a value over MQTT to the edge → the value is
 * visible at the cloud. Starts a real cloud and a real edge as child processes through their
 * launchers, registers {@code --devices} devices (model {@code bench-counter}, one {@code int}
 * property {@code counter}) at the cloud's REST API, waits until every one reached the edge (the
 * edge's REST API), opens the cloud's {@code GET /api/v1/watch}, then publishes KubeEdge
 * {@code twin/update} messages at QoS 1 at a fixed {@code --rate} for {@code --warmup} +
 * {@code --seconds}. Every update reports a value unique in the run (its sequence number), so the
 * watch event that carries it is matched to its publication: latency = the nanoTime the watch
 * read the event − the nanoTime just before the update was encoded for its write to the socket (one
 * JVM, one clock). The mappers are lean MQTT clients on one thread ({@link RawLoadClient} with a
 * paced {@link CounterFeed}), so the driver's own CPU use stays small next to the two nodes'.
 * Publications
 * of the warm-up ({@code --warmup} s at {@code --warmup-rate}) are not counted, and measuring starts
 * only once all of them arrived, so a warm-up backlog does not spill into the measurement. Afterwards, {@code --spot-checks} devices are read back with
 * {@code GET /api/v1/devices/{id}}: their reported value must be the last one published for them.
 */
@Command(name = "end-to-end", mixinStandardHelpOptions = true,
        description = "MQTT report at the edge → cloud watch (SSE) latency, with a real cloud and edge process")
public final class EndToEndMain implements Callable<Integer> {
    static final String PROPERTY = "counter";
    /** Publications a mapper may have in flight (PUBACK outstanding); past it, publishing waits. */
    static final int WINDOW = 4_096;

    @Option(names = "--rate", defaultValue = "10000", description = "updates per second, all clients together")
    int rate;
    @Option(names = "--seconds", defaultValue = "20", description = "measured seconds")
    int seconds;
    /**
     * 30 s: on a 2-core machine the nodes' JIT compilers still took 16-63 % of a core 10 s into a
     * 10 k/s run, and 0-10 % after 30 s (benchmarks/RESULTS.md (f2)); a run whose compilers were
     * busy while measuring is flagged ({@link #JIT_WARM_PERCENT}).
     */
    @Option(names = "--warmup", defaultValue = "30", description = "seconds at the same rate before measuring (default ${DEFAULT-VALUE}: "
            + "on 2 cores the nodes' JIT compilers are mostly done by then; a shorter warm-up measures them compiling)")
    int warmup;
    @Option(names = "--warmup-rate", description = "updates per second during the warm-up (default: --rate)")
    Integer warmupRate;
    @Option(names = "--devices", defaultValue = "1000", description = "devices (a multiple of --clients)")
    int devices;
    @Option(names = "--clients", defaultValue = "4", description = "MQTT clients (mappers); a device always reports through the same one")
    int clients;
    @Option(names = "--drain", defaultValue = "15", description = "after publishing ended, wait for the last updates until none arrived for this many seconds")
    int drain;
    @Option(names = "--spot-checks", defaultValue = "20", description = "devices read back with GET at the end")
    int spotChecks;
    @Option(names = "--fsync", defaultValue = "interval:1000", description = "journal fsync policy of both nodes")
    String fsync;
    @Option(names = "--root", defaultValue = ".", description = "repository root (for bin/twin-cloud and bin/twin-edge)")
    Path root;
    @Option(names = "--cloud-command", description = "command starting the cloud instead of <root>/bin/twin-cloud (split at spaces)")
    String cloudCommand;
    @Option(names = "--edge-command", description = "command starting the edge instead of <root>/bin/twin-edge (split at spaces)")
    String edgeCommand;
    @Option(names = "--node-arg", description = "extra flag for both nodes (repeatable), e.g. --node-arg=--sync-heartbeat-ms=1000")
    List<String> nodeArgs = new ArrayList<>();
    @Option(names = "--work-dir", description = "folder for both nodes' data and logs (default: a new temporary folder, deleted after)")
    Path workDir;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** JIT compilers' CPU in the measured seconds (both nodes, percent of a core) from which the run is flagged as not warm. */
    static final double JIT_WARM_PERCENT = 5;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the driver; its exit code (0 when it ran, lost updates or not). */
    static int run(String... args) {
        return new CommandLine(new EndToEndMain()).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        if (devices % clients != 0) throw new CommandLine.ParameterException(new CommandLine(this), "--devices must be a multiple of --clients");
        if (rate < 1 || seconds < 1 || warmup < 0) throw new CommandLine.ParameterException(new CommandLine(this), "--rate and --seconds must be positive");
        boolean temporary = workDir == null;
        Path dir = temporary ? TempDirs.create("end-to-end-") : workDir.toAbsolutePath();
        java.nio.file.Files.createDirectories(dir);
        List<NodeProcess> started = new ArrayList<>();
        try {
            NodeProcess cloud = NodeProcess.start("cloud", command(cloudCommand, "twin-cloud", "--node-id", "cloud",
                    "--data-dir", dir.resolve("cloud").toString(), "--http-port", "0"), dir.resolve("cloud.log"), 180);
            started.add(cloud);
            NodeProcess edge = NodeProcess.start("edge", command(edgeCommand, "twin-edge", "--node-id", "edge-a",
                    "--data-dir", dir.resolve("edge-a").toString(), "--http-port", "0", "--mqtt-port", "0",
                    "--cloud", "ws://127.0.0.1:" + cloud.httpPort() + "/sync/v1"), dir.resolve("edge-a.log"), 180);
            started.add(edge);
            System.out.printf("cloud pid %d http %d; edge pid %d http %d mqtt %d; fsync %s; logs in %s%n", cloud.pid(), cloud.httpPort(),
                    edge.pid(), edge.httpPort(), edge.mqttPort(), fsync, dir);
            return measure(cloud, edge);
        } finally {
            for (int i = started.size() - 1; i >= 0; i--) started.get(i).close();
            if (temporary) TempDirs.delete(dir);
        }
    }

    private List<String> command(String given, String launcher, String... flags) {
        List<String> cmd = new ArrayList<>();
        if (given == null || given.isBlank()) cmd.add(root.resolve("bin").resolve(launcher).toString());
        else cmd.addAll(Arrays.asList(given.trim().split("\\s+")));
        cmd.addAll(List.of(flags));
        cmd.add("--fsync");
        cmd.add(fsync);
        cmd.addAll(nodeArgs);
        return cmd;
    }

    private static long progress(long start, long report, List<CounterFeed> pubs, CloudWatch watch, String phase, SecondSlowest slowest) {
        long now = System.nanoTime();
        if (now < report) return report;
        System.out.printf("  %3d s: %,d published, %,d seen on the cloud watch%s%s%n", (now - start) / 1_000_000_000L,
                pubs.stream().mapToLong(CounterFeed::published).sum(), watch.events(), phase, slowest.take());
        return report + TimeUnit.SECONDS.toNanos(1);
    }

    /**
     * The slowest measured arrival since the last progress line and how many took longer than
     * {@link #SLOW_NANOS}: shows when in a run the tail happened, to set beside the nodes' logs.
     */
    static final class SecondSlowest {
        static final long SLOW_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
        private final AtomicLong max = new AtomicLong();
        private final AtomicLong slow = new AtomicLong();

        void record(long nanos) {
            max.accumulateAndGet(nanos, Math::max);
            if (nanos > SLOW_NANOS) slow.incrementAndGet();
        }

        /** "" when nothing was measured since the last call. */
        String take() {
            long m = max.getAndSet(0);
            long n = slow.getAndSet(0);
            return m == 0 ? "" : String.format("; slowest %.1f ms, %,d over %d ms", m / 1e6, n, SLOW_NANOS / 1_000_000);
        }
    }

    static String deviceName(int i) {
        return String.format("e2e-%05d", i);
    }

    private int measure(NodeProcess cloud, NodeProcess edge) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        String cloudApi = "http://127.0.0.1:" + cloud.httpPort();
        String edgeApi = "http://127.0.0.1:" + edge.httpPort();

        long t0 = System.nanoTime();
        register(http, cloudApi);
        System.out.printf("registered %d devices at the cloud in %.1f s%n", devices, (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        for (int i = 0; i < devices; i++) awaitDevice(http, edgeApi, deviceName(i), 120);
        System.out.printf("all %d devices reached the edge in %.1f s%n", devices, (System.nanoTime() - t0) / 1e9);

        int wRate = warmupRate == null ? rate : warmupRate;
        long firstMeasured = (long) wRate * warmup;
        long total = firstMeasured + (long) rate * seconds;
        if (total > Integer.MAX_VALUE - 1) throw new IllegalArgumentException("too many updates in one run");
        Pacing pacing = new Pacing(wRate, firstMeasured, rate, total);
        AtomicLongArray sentAt = new AtomicLongArray((int) total);
        Latencies e2e = new Latencies(1 << 21);
        BitSet arrived = new BitSet((int) total);
        AtomicLong arrivals = new AtomicLong();
        AtomicLong warmupArrivals = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        AtomicLong foreign = new AtomicLong();
        AtomicLong lastArrivalNanos = new AtomicLong();
        SecondSlowest slowest = new SecondSlowest();

        CloudWatch.Listener listener = (now, device, property, value) -> {
            if (!PROPERTY.equals(property) || !value.canConvertToLong() || !device.startsWith("e2e-")) {
                foreign.incrementAndGet();
                return;
            }
            long seq = value.asLong();
            if (seq < 0 || seq >= total) {
                foreign.incrementAndGet();
                return;
            }
            int s = (int) seq;
            if (arrived.get(s)) {
                duplicates.incrementAndGet();
                return;
            }
            arrived.set(s);
            if (seq < firstMeasured) warmupArrivals.incrementAndGet();
            if (seq >= firstMeasured) {
                long latency = now - sentAt.get(s);
                synchronized (e2e) {
                    e2e.record(latency);
                }
                slowest.record(latency);
                arrivals.incrementAndGet();
            }
            lastArrivalNanos.set(now);
        };
        // the mappers: one lean MQTT client each, all on one thread (RawLoadClient), so the driver's
        // own CPU use, which competes with both nodes on the same machine, stays small
        Duration maxRun = Duration.ofSeconds(warmup + seconds + drain + 300L);
        try (CloudWatch watch = CloudWatch.open(URI.create(cloudApi + "/api/v1/watch?node=edge-a"), listener);
             RawLoadClient.Loop loop = new RawLoadClient.Loop(maxRun)) {
            List<CounterFeed> pubs = new ArrayList<>();
            List<RawLoadClient> mappers = new ArrayList<>();
            List<CompletableFuture<Void>> connected = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                CounterFeed feed = new CounterFeed(c, clients, pacing, firstMeasured, sentAt);
                List<String> own = new ArrayList<>();
                for (int d = c; d < devices; d += clients) own.add("default/" + deviceName(d));
                RawLoadClient mapper = new RawLoadClient(loop, "e2e-mapper-" + c, own, WINDOW, feed);
                pubs.add(feed);
                mappers.add(mapper);
                connected.add(mapper.connect("127.0.0.1", edge.mqttPort(), false));
            }
            CompletableFuture.allOf(connected.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            double appliedBefore = appliedLocally(http, edgeApi);
            String loadBefore = loadAverage();
            System.out.printf("publishing %,d updates/s for %d s warm-up, then %,d updates/s for %d s measured, over %d MQTT clients, %d devices; "
                    + "load average %s%n", wRate, warmup, rate, seconds, clients, devices, loadBefore);
            long start = System.nanoTime();
            pubs.forEach(p -> p.start(start));
            mappers.forEach(RawLoadClient::start);
            // warm-up, then a pause until it all arrived, so its backlog is not measured: until every
            // warm-up update was PUBACKed and arrived, or (the edge refused some) none arrived for 3 s
            long report = start + TimeUnit.SECONDS.toNanos(1);
            long warmupEnd = start + TimeUnit.SECONDS.toNanos(warmup);
            long seen = -1;
            long quietSince = System.nanoTime();
            while (System.nanoTime() < warmupEnd + TimeUnit.SECONDS.toNanos(120) && watch.failure() == null && loop.failure() == null) {
                long now = System.nanoTime();
                long n = warmupArrivals.get();
                if (n != seen) {
                    seen = n;
                    quietSince = now;
                }
                boolean allSent = pubs.stream().mapToLong(CounterFeed::published).sum() >= firstMeasured
                        && pubs.stream().mapToLong(CounterFeed::warmupAcked).sum() >= firstMeasured;
                if (allSent && (n >= firstMeasured || now - quietSince > TimeUnit.SECONDS.toNanos(3))) break;
                report = progress(start, report, pubs, watch, " (warm-up)", slowest);
                Thread.sleep(20);
            }
            System.out.printf("warm-up: %,d of %,d updates arrived at the cloud after %.1f s; measuring%n", warmupArrivals.get(), firstMeasured,
                    (System.nanoTime() - start) / 1e9);
            double[] framesBefore = syncFrames(http, edgeApi, cloudApi);
            Map<String, Long> edgeThreadsBefore = ThreadCpu.snapshot(edge.pid());
            Map<String, Long> cloudThreadsBefore = ThreadCpu.snapshot(cloud.pid());
            long measureStart = System.nanoTime();
            pacing.measureFrom(measureStart);
            long end = measureStart + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end + TimeUnit.SECONDS.toNanos(5) && loop.failure() == null
                    && pubs.stream().mapToLong(CounterFeed::published).sum() < total) {
                report = progress(start, report, pubs, watch, "", slowest);
                Thread.sleep(20);
            }
            long publishedAll = pubs.stream().mapToLong(CounterFeed::published).sum();
            long publishEnd = System.nanoTime();
            double[] frames = syncFrames(http, edgeApi, cloudApi);
            Map<String, Long> edgeThreads = ThreadCpu.snapshot(edge.pid());
            Map<String, Long> cloudThreads = ThreadCpu.snapshot(cloud.pid());
            long measuredPublished = pubs.stream().mapToLong(CounterFeed::measuredPublished).sum();
            double publishSeconds = (pubs.stream().mapToLong(CounterFeed::lastPublishNanos).max().orElse(publishEnd) - measureStart) / 1e9;
            for (RawLoadClient m : mappers) m.stop();
            // drain: until every measured update arrived, or none arrived for --drain seconds
            long lastCount = -1;
            long lastProgress = System.nanoTime();
            while (arrivals.get() < measuredPublished && watch.failure() == null
                    && System.nanoTime() - lastProgress < TimeUnit.SECONDS.toNanos(drain)) {
                long n = arrivals.get();
                if (n != lastCount) {
                    lastCount = n;
                    lastProgress = System.nanoTime();
                }
                Thread.sleep(20);
            }
            String loadAfter = loadAverage();
            double applied = appliedLocally(http, edgeApi) - appliedBefore;
            Throwable watchFailure = watch.failure();
            long acked = pubs.stream().mapToLong(CounterFeed::measuredAcked).sum();
            long[] pubackSorted = Latencies.merge(pubs.stream().map(CounterFeed::pubackLatencies).toList());
            long[] sorted;
            synchronized (e2e) {
                sorted = Latencies.merge(List.of(e2e));
            }
            long lost = measuredPublished - arrivals.get();
            double arrivalSeconds = (lastArrivalNanos.get() - measureStart) / 1e9;
            System.out.printf("measured: %,d published in %.2f s (%,.0f/s, target %,d/s), %,d PUBACKed, %,d arrived on the cloud watch "
                            + "(%,.0f/s), lost %,d, duplicates %d, other events %d%n", measuredPublished, publishSeconds,
                    measuredPublished / publishSeconds, rate, acked, arrivals.get(), arrivals.get() / Math.max(arrivalSeconds, 1e-9), lost,
                    duplicates.get(), foreign.get());
            System.out.printf("the edge applied %,.0f of the %,d updates published (warm-up included); the rest it refused "
                    + "(twin:overloaded results, which these mappers do not subscribe to)%n", applied, publishedAll);
            double measuredSeconds = (publishEnd - measureStart) / 1e9;
            System.out.printf("sync frames while measuring: edge → cloud %,.0f data/s, %,.0f acks/s back; cloud → edge %,.0f data/s, %,.0f acks/s back%n",
                    (frames[0] - framesBefore[0]) / measuredSeconds, (frames[1] - framesBefore[1]) / measuredSeconds,
                    (frames[2] - framesBefore[2]) / measuredSeconds, (frames[3] - framesBefore[3]) / measuredSeconds);
            System.out.printf("node threads while measuring (share of one core): edge: %s; cloud: %s%n",
                    ThreadCpu.report(edgeThreadsBefore, edgeThreads, measuredSeconds, 6), ThreadCpu.report(cloudThreadsBefore, cloudThreads, measuredSeconds, 6));
            double jit = 0;
            for (String compiler : List.of("C1 Compiler", "C2 Compiler")) {
                jit += ThreadCpu.share(edgeThreadsBefore, edgeThreads, measuredSeconds, compiler)
                        + ThreadCpu.share(cloudThreadsBefore, cloudThreads, measuredSeconds, compiler);
            }
            if (jit >= JIT_WARM_PERCENT) {
                System.out.printf("note: the nodes' JIT compilers used %.0f%% of a core while measuring: they were still warming up; "
                        + "a longer --warmup measures the steady state%n", jit);
            }
            if (watchFailure != null) System.out.println("the watch stream failed: " + watchFailure);
            if (watch.resumes() > 0) System.out.printf("the watch stream was resumed %d time(s) with Last-Event-ID%n", watch.resumes());
            if (loop.failure() != null) System.out.println("the mappers' MQTT connections failed: " + loop.failure());
            int matched = spotCheck(http, cloudApi, total);
            System.out.printf("publish → PUBACK (edge journaled): p50=%.2fms p99=%.2fms p999=%.2fms max=%.2fms%n",
                    Latencies.percentileMillis(pubackSorted, 50), Latencies.percentileMillis(pubackSorted, 99),
                    Latencies.percentileMillis(pubackSorted, 99.9), Latencies.percentileMillis(pubackSorted, 100));
            System.out.printf("RESULT end-to-end rate=%d achieved=%.0f/s p50=%.2fms p99=%.2fms p999=%.2fms max=%.2fms published=%d arrived=%d "
                            + "lost=%d spot-check=%d/%d load-before=%s load-after=%s at=%s%n", rate, measuredPublished / publishSeconds,
                    Latencies.percentileMillis(sorted, 50), Latencies.percentileMillis(sorted, 99), Latencies.percentileMillis(sorted, 99.9),
                    Latencies.percentileMillis(sorted, 100), measuredPublished, arrivals.get(), lost, matched,
                    Math.min(spotChecks, devices), loadBefore, loadAfter, Instant.now());
            List<CompletableFuture<Void>> closing = new ArrayList<>();
            for (RawLoadClient m : mappers) closing.add(m.disconnect());
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            if (publishedAll < total) System.out.printf("note: only %,d of %,d updates were published in time%n", publishedAll, total);
            return 0;
        }
    }

    private void register(HttpClient http, String api) throws Exception {
        Semaphore inFlight = new Semaphore(32);
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            String body = "{\"node\":\"edge-a\",\"model\":\"bench-counter\",\"twin\":{\"" + PROPERTY + "\":{\"type\":\"int\"}}}";
            inFlight.acquire();
            String name = deviceName(i);
            all.add(http.sendAsync(HttpRequest.newBuilder(URI.create(api + "/api/v1/devices/" + name)).header("content-type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> inFlight.release()));
        }
        for (CompletableFuture<HttpResponse<String>> f : all) {
            HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
            if (r.statusCode() != 201 && r.statusCode() != 200) throw new IllegalStateException("registration: " + r.statusCode() + " " + r.body());
        }
    }

    private static void awaitDevice(HttpClient http, String api, String name, int timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        HttpRequest get = HttpRequest.newBuilder(URI.create(api + "/api/v1/devices/" + name)).GET().build();
        while (true) {
            HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) return;
            if (r.statusCode() != 404 || System.nanoTime() > deadline) {
                throw new IllegalStateException("device " + name + " did not reach the edge: " + r.statusCode() + " " + r.body());
            }
            Thread.sleep(50);
        }
    }

    /** Reads devices spread over the fleet from the cloud; returns how many show the last value published for them. */
    private int spotCheck(HttpClient http, String api, long total) throws Exception {
        int n = Math.min(spotChecks, devices);
        int matched = 0;
        for (int k = 0; k < n; k++) {
            int d = (int) ((long) k * devices / n);
            long expected = lastSeqOf(d, devices, total);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/devices/" + deviceName(d))).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode value = r.statusCode() == 200 ? JSON.readTree(r.body()).at("/twin/" + PROPERTY + "/reported/value") : null;
            if (value != null && value.canConvertToLong() && value.asLong() == expected) {
                matched++;
            } else {
                System.out.printf("spot-check %s: expected reported %d, cloud answered %d %s%n", deviceName(d), expected, r.statusCode(),
                        value == null ? r.body() : value);
            }
        }
        return matched;
    }

    /** The last sequence number below {@code total} reported for device {@code d} (sequence s goes to device s mod devices), -1 if none. */
    static long lastSeqOf(int d, int devices, long total) {
        if (total <= d) return -1;
        return d + (total - 1 - d) / devices * devices;
    }

    /** The edge's count of locally applied events ({@code /metrics}). */
    private static double appliedLocally(HttpClient http, String api) throws Exception {
        return metric(http, api, "edgetwin_events_applied_total{", "source=\"local\"");
    }

    /** The sum of a node's {@code /metrics} samples whose line starts with {@code name} and contains {@code label}. */
    private static double metric(HttpClient http, String api, String name, String label) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + "/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString());
        double sum = 0;
        for (String line : r.body().split("\n")) {
            if (line.startsWith(name) && line.contains(label)) sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        return sum;
    }

    /** Sync frames the edge and the cloud sent so far: edge data, cloud acks, cloud data, edge acks. */
    private static double[] syncFrames(HttpClient http, String edgeApi, String cloudApi) throws Exception {
        String name = "edgetwin_sync_sent_frames_total{";
        return new double[]{metric(http, edgeApi, name, "type=\"data\""), metric(http, cloudApi, name, "type=\"ack\""),
                metric(http, cloudApi, name, "type=\"data\""), metric(http, edgeApi, name, "type=\"ack\"")};
    }

    private static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + "/" + f[1] + "/" + f[2];
        } catch (java.io.IOException e) {
            return "n/a";
        }
    }

    /**
     * How many sequence numbers are due: {@code warmupRate} per second from the start, up to the
     * warm-up's count; then nothing until {@link #measureFrom} is called (the driver waits for the
     * warm-up to arrive, so its backlog does not spill into the measurement), then {@code rate}
     * per second from that moment, up to {@code total}.
     */
    static final class Pacing {
        private final int warmupRate;
        private final long warmupCount;
        private final int rate;
        private final long total;
        private volatile long measureStart = Long.MIN_VALUE;

        Pacing(int warmupRate, long warmupCount, int rate, long total) {
            this.warmupRate = warmupRate;
            this.warmupCount = warmupCount;
            this.rate = rate;
            this.total = total;
        }

        void measureFrom(long nanos) {
            measureStart = nanos;
        }

        long total() {
            return total;
        }

        long due(long startNanos, long nowNanos) {
            long m = measureStart;
            if (m == Long.MIN_VALUE) return Math.min(warmupCount, (nowNanos - startNanos) * warmupRate / 1_000_000_000L);
            return Math.min(total, warmupCount + Math.max(0, nowNanos - m) * rate / 1_000_000_000L);
        }
    }

    /**
     * One mapper's publications: the sequence numbers {@code c, c + clients, c + 2·clients, …} (so
     * each of its devices, {@code seq mod devices}, reports only through it, in order), each
     * reporting its own number as the device's {@code counter}, at its share of the rate from a
     * common start. Its {@link RawLoadClient} calls it on the generator's thread; the counters are
     * read from the driver's thread.
     */
    static final class CounterFeed implements RawLoadClient.Feed {
        private static final byte[] HEAD = "{\"event_id\":\"e".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] MID = "\",\"timestamp\":".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] VALUE = (",\"twin\":{\"" + PROPERTY + "\":{\"actual\":{\"value\":\"").getBytes(StandardCharsets.US_ASCII);
        private static final byte[] TAIL = "\"},\"metadata\":{\"type\":\"int\"}}}}".getBytes(StandardCharsets.US_ASCII);

        private final int index;
        private final int clients;
        private final Pacing pacing;
        private final long total;
        private final long firstMeasured;
        private final AtomicLongArray sentAt;
        private final Latencies pubacks = new Latencies(1 << 20);
        private volatile long startNanos = Long.MIN_VALUE;
        private volatile long published;
        private volatile long measuredPublished;
        private volatile long measuredAcked;
        private volatile long warmupAcked;
        private volatile long lastPublishNanos;

        CounterFeed(int index, int clients, Pacing pacing, long firstMeasured, AtomicLongArray sentAt) {
            this.index = index;
            this.clients = clients;
            this.pacing = pacing;
            this.total = pacing.total();
            this.firstMeasured = firstMeasured;
            this.sentAt = sentAt;
        }

        /** Publications fall due from {@code nanos} on. */
        void start(long nanos) {
            startNanos = nanos;
        }

        /** The sequence number of this client's publication {@code k}. */
        private long seq(long k) {
            return index + k * clients;
        }

        @Override
        public int maxBodyBytes() {
            return HEAD.length + 20 + MID.length + 20 + VALUE.length + 20 + TAIL.length;
        }

        @Override
        public boolean paced() {
            return true;
        }

        @Override
        public long due(long nanos) {
            long start = startNanos;
            if (start == Long.MIN_VALUE) return 0;
            long due = Math.min(total, pacing.due(start, nanos));   // sequence numbers below it are due
            return due <= index ? 0 : (due - index + clients - 1) / clients;
        }

        @Override
        public void body(long k, ByteBuffer to) {
            long seq = seq(k);
            to.put(HEAD);
            RawLoadClient.putDecimal(to, seq);
            to.put(MID);
            RawLoadClient.putDecimal(to, System.currentTimeMillis());
            to.put(VALUE);
            RawLoadClient.putDecimal(to, seq);
            to.put(TAIL);
        }

        @Override
        public void sent(long k, long nanos) {
            long seq = seq(k);
            sentAt.set((int) seq, nanos);
            published++;
            if (seq >= firstMeasured) measuredPublished++;
            lastPublishNanos = nanos;
        }

        @Override
        public void acked(long k, long latencyNanos) {
            if (seq(k) < firstMeasured) {
                warmupAcked++;
                return;
            }
            synchronized (pubacks) {
                pubacks.record(latencyNanos);
            }
            measuredAcked++;
        }

        long published() {
            return published;
        }

        long measuredPublished() {
            return measuredPublished;
        }

        long warmupAcked() {
            return warmupAcked;
        }

        long measuredAcked() {
            return measuredAcked;
        }

        long lastPublishNanos() {
            return lastPublishNanos;
        }

        /** A copy of the publish→PUBACK latencies so far (any thread). */
        Latencies pubackLatencies() {
            synchronized (pubacks) {
                return pubacks.copy();
            }
        }
    }
}
