package dev.edgetwin.bench.log;

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

import dev.edgetwin.bench.EventCounter;
import dev.edgetwin.bench.TempDirs;
import dev.edgetwin.bench.Workload;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The floor for journal appends: the same entry bytes appended to a bare Chronicle queue
 * (binary wire, {@code FAST_DAILY} cycles, one document per entry, no index, no fsync), in
 * batches of {@code batch}. The journal benchmark uses the same grid; their ratio is the
 * journal's overhead (goal: journal >= 0.7 × raw).
 *
 * <p>Primary score: batches/s; secondary {@code events}: entries/s. Each iteration writes to
 * a fresh queue that is deleted afterwards, so disk use stays bounded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class RawChronicleAppendBenchmark {
    /** Distinct entries replayed round-robin; a power of two. */
    static final int ENTRIES = 1 << 14;

    @Param({"1", "16", "256"})
    public int batch;

    byte[][] entries;
    private int next;
    private Path dir;
    private SingleChronicleQueue queue;
    private ExcerptAppender appender;

    @Setup(Level.Trial)
    public void prepare() {
        entries = TwinEntries.encoded(TwinEntries.drafts(Workload.standard().updates(ENTRIES)));
    }

    @Setup(Level.Iteration)
    public void openQueue() {
        dir = TempDirs.create("raw-chronicle-");
        queue = SingleChronicleQueueBuilder.binary(dir.toFile()).rollCycle(RollCycles.FAST_DAILY).build();
        appender = queue.createAppender();
    }

    @Benchmark
    public long append(EventCounter counter) {
        for (int i = 0; i < batch; i++) {
            byte[] e = entries[next];
            next = (next + 1) & (ENTRIES - 1);
            try (DocumentContext dc = appender.writingDocument()) {
                dc.wire().bytes().write(e);
            }
        }
        counter.events += batch;
        return appender.lastIndexAppended();
    }

    @TearDown(Level.Iteration)
    public void closeQueue() {
        if (appender != null) appender.close();
        if (queue != null) queue.close();
        TempDirs.delete(dir);
    }
}
