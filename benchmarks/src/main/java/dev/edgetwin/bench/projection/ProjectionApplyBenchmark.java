package dev.edgetwin.bench.projection;

import dev.edgetwin.bench.EventCounter;
import dev.edgetwin.bench.TempDirs;
import dev.edgetwin.bench.Workload;
import dev.edgetwin.bench.log.TwinEntries;
import dev.edgetwin.log.InMemoryJournal;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.model.Hlc;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Live projection apply: batches of {@code batch} reported values (the workload's updates on
 * 1,000 registered devices) applied with {@link RocksProjection#apply} — decode, merge, one
 * WriteBatch with twins, history index and checkpoint. Entries are pre-built; their seqs keep
 * counting so every call applies new events. Secondary result {@code events}: events/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class ProjectionApplyBenchmark {
    private static final int PAYLOADS = 1 << 16;

    @Param({"1", "64", "1024"})
    public int batch;

    private Path dir;
    RocksProjection projection;
    private byte[][] payloads;
    long seq;

    @Setup(Level.Trial)
    public void open() {
        dir = TempDirs.create("projection-apply-");
        Workload workload = Workload.standard();
        InMemoryJournal registrations = new InMemoryJournal();
        FleetJournal.write(registrations, workload, 0);
        projection = RocksProjection.open(dir, registrations, 100_000);
        List<Workload.TwinUpdate> updates = workload.updates(PAYLOADS);
        payloads = new byte[PAYLOADS][];
        for (int i = 0; i < PAYLOADS; i++) payloads[i] = TwinEntries.payload(updates.get(i));
    }

    @Benchmark
    public Map<?, ?> apply(EventCounter counter) {
        List<JournalEntry> entries = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++, seq++) {
            long hlc = Hlc.pack(1_760_000_000_000L + seq / 1000, seq % 1000);
            // the projection reads stream, seq, envelope and payload; the encoded bytes are the journal's business
            entries.add(new JournalEntry(TwinEntries.STREAM, seq, hlc, Workload.NODE, Hlc.millis(hlc), "", 0, 0,
                    payloads[(int) (seq & (PAYLOADS - 1))], new byte[0]));
        }
        counter.events += batch;
        return projection.apply(entries);
    }

    @TearDown(Level.Trial)
    public void close() {
        if (projection != null) projection.close();
        TempDirs.delete(dir);
    }
}
