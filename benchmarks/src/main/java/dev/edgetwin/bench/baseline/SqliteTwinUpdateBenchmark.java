package dev.edgetwin.bench.baseline;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.edgetwin.bench.TempDirs;
import dev.edgetwin.bench.Workload;

/**
 * Twin updates per second through the KubeEdge-style SQLite store: one transaction per
 * reported value, replaying {@link Workload} (default 1,000 devices × 4 properties) on the
 * disk under {@code -Dedgetwin.bench.dir}. {@code profile} is parsed by
 * {@link SqliteOptions#parse}: {@code kubeedge} is KubeEdge as shipped.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class SqliteTwinUpdateBenchmark {
    /** Updates replayed round-robin; a power of two. */
    static final int UPDATES = 1 << 16;

    @Param({"kubeedge", "kubeedge+index", "wal-normal+index"})
    public String profile;

    @Param({"1000"})
    public int devices;

    @Param({"4"})
    public int properties;

    private Path dir;
    private SqliteTwinStore store;
    private Workload.TwinUpdate[] updates;
    private int next;

    @Setup(Level.Trial)
    public void open() {
        Workload workload = new Workload(Workload.DEFAULT_SEED, devices, properties);
        dir = TempDirs.create("sqlite-baseline-");
        store = SqliteTwinStore.open(dir.resolve("edgecore.db"), SqliteOptions.parse(profile));
        store.register(workload);
        updates = workload.updates(UPDATES).toArray(Workload.TwinUpdate[]::new);
    }

    @Benchmark
    public void update() {
        Workload.TwinUpdate u = updates[next];
        next = (next + 1) & (UPDATES - 1);
        store.update(u.device(), u.property(), u.value());
    }

    @TearDown(Level.Trial)
    public void close() {
        if (store != null) store.close();
        TempDirs.delete(dir);
    }
}
