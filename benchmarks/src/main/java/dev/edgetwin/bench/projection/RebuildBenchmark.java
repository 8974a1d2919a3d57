package dev.edgetwin.bench.projection;

import dev.edgetwin.bench.EventCounter;
import dev.edgetwin.bench.TempDirs;
import dev.edgetwin.bench.Workload;
import dev.edgetwin.log.FsyncPolicy;
import dev.edgetwin.log.chronicle.ChronicleJournal;
import dev.edgetwin.log.chronicle.JournalOptions;
import dev.edgetwin.log.rocksdb.RocksProjection;
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
import java.util.concurrent.TimeUnit;

/**
 * Full projection rebuild: drop the RocksDB projection and replay the whole journal into it
 * ({@link RocksProjection#rebuild}), as {@code twinctl rebuild} and recovery do. The journal
 * ({@link FleetJournal}: 1,000 registrations, then {@code updates} reported values) is written
 * once per trial. One call is one full rebuild, closed (flushed) at the end; the secondary
 * result {@code events} is events/s. Goal: ≥ 500k events/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class RebuildBenchmark {
    @Param({"200000"})
    public int updates;

    @Param({"100000"})
    public int cacheSize;

    private Path dir;
    ChronicleJournal journal;
    long entries;

    @Setup(Level.Trial)
    public void writeJournal() {
        dir = TempDirs.create("rebuild-");
        journal = ChronicleJournal.open(dir.resolve("journal"), JournalOptions.DEFAULT.withFsync(FsyncPolicy.parse("never")));
        entries = FleetJournal.write(journal, Workload.standard(), updates);
    }

    @Benchmark
    public String rebuild(EventCounter counter) {
        String checkpoint;
        try (RocksProjection p = RocksProjection.rebuild(dir.resolve("projection"), journal, cacheSize)) {
            checkpoint = p.checkpoints().toString();
        }
        counter.events += entries;
        return checkpoint;
    }

    @TearDown(Level.Trial)
    public void close() {
        if (journal != null) journal.close();
        TempDirs.delete(dir);
    }
}
