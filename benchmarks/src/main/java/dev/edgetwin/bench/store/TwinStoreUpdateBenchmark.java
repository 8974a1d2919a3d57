package dev.edgetwin.bench.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.bench.EventCounter;
import dev.edgetwin.bench.TempDirs;
import dev.edgetwin.bench.Workload;
import dev.edgetwin.bench.log.TwinEntries;
import dev.edgetwin.bench.projection.FleetJournal;
import dev.edgetwin.log.FsyncPolicy;
import dev.edgetwin.log.Result;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.TwinCommand;
import dev.edgetwin.log.model.TwinEvent;
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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Twin updates through the whole write path of a node — validate and decide, HLC stamp,
 * journal append, projection apply — on the workload of {@code SqliteTwinUpdateBenchmark}
 * (1,000 devices × 4 properties, reported values). {@code batch=1} acknowledges one update at
 * a time, like KubeEdge's edge (one SQLite transaction per update), and is the like-for-like
 * comparison; larger batches go through {@link TwinStore#executeAll}. The primary result is
 * calls/s; the secondary {@code events} is updates/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class TwinStoreUpdateBenchmark {
    private static final int UPDATES = 1 << 16;

    @Param({"1", "64"})
    public int batch;

    @Param({"interval", "never"})
    public String fsync;

    private Path dir;
    TwinStore store;
    private TwinCommand[] commands;
    private int next;

    @Setup(Level.Trial)
    public void open() {
        dir = TempDirs.create("twinstore-");
        StoreOptions options = StoreOptions.edge();
        store = TwinStore.open(dir, Workload.NODE, options.withJournal(options.journal().withFsync(FsyncPolicy.parse(fsync))));
        Workload workload = Workload.standard();
        List<TwinStore.Request> registrations = new ArrayList<>();
        for (int d = 0; d < workload.devices(); d++) {
            TwinEvent.DeviceRegistered r = FleetJournal.registration(workload, d);
            registrations.add(TwinStore.Request.of(new TwinCommand.RegisterDevice(r.device(), r.node(), r.model(),
                    r.attributes(), r.properties(), Map.of())));
        }
        store.executeAll(registrations);
        List<Workload.TwinUpdate> updates = workload.updates(UPDATES);
        commands = new TwinCommand[UPDATES];
        for (int i = 0; i < UPDATES; i++) {
            Workload.TwinUpdate u = updates.get(i);
            JsonNode value = TwinEntries.json(u.property(), u.value());
            commands[i] = new TwinCommand.PatchReported(new DeviceId(Workload.NAMESPACE, u.device()), Map.of(u.property(), value));
        }
    }

    @Benchmark
    public Object update(EventCounter counter) {
        counter.events += batch;
        if (batch == 1) {
            Result r = store.execute(nextCommand(), null, null);
            if (!(r instanceof Result.Applied)) throw new IllegalStateException("update rejected: " + r);
            return r;
        }
        List<TwinStore.Request> requests = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) requests.add(TwinStore.Request.of(nextCommand()));
        return store.executeAll(requests);
    }

    private TwinCommand nextCommand() {
        TwinCommand c = commands[next];
        next = (next + 1) & (UPDATES - 1);
        return c;
    }

    @TearDown(Level.Trial)
    public void close() {
        if (store != null) store.close();
        TempDirs.delete(dir);
    }
}
