package dev.edgetwin.bench.log;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import dev.edgetwin.log.EntryDraft;
import dev.edgetwin.log.FsyncPolicy;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.chronicle.ChronicleJournal;
import dev.edgetwin.log.chronicle.JournalOptions;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.TwinEvent;

/**
 * Twin events appended through {@link ChronicleJournal#append} in batches of {@code batch}
 * drafts: encode, CRC, chain hash, Chronicle write, stream index — the same grid and the
 * same entry bytes as {@link RawChronicleAppendBenchmark}. {@code fsync} is the journal's
 * {@link FsyncPolicy}: {@code never} matches the raw baseline, {@code interval} is the default.
 * With {@code encodeEvents=true} each call also encodes its batch's {@link TwinEvent}s with
 * {@code EventCodec} (the whole write path of a twin event); with {@code false} the payloads
 * are encoded once in setup, which is the like-for-like comparison with raw.
 *
 * <p>Primary score: batches/s; secondary {@code events}: entries/s. Each iteration writes to
 * a fresh journal that is deleted afterwards.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class JournalAppendBenchmark {
    /** Distinct drafts replayed round-robin; a multiple of every batch size. */
    static final int ENTRIES = 1 << 14;

    @Param({"1", "16", "256"})
    public int batch;

    @Param({"never", "interval"})
    public String fsync;

    @Param({"false", "true"})
    public boolean encodeEvents;

    private List<List<EntryDraft>> batches;
    private List<List<TwinEvent>> eventBatches;
    private int next;
    private Path dir;
    ChronicleJournal journal;

    @Setup(Level.Trial)
    public void prepare() {
        if (ENTRIES % batch != 0) throw new IllegalArgumentException("batch must divide " + ENTRIES + ", got " + batch);
        List<Workload.TwinUpdate> updates = Workload.standard().updates(ENTRIES);
        List<EntryDraft> drafts = TwinEntries.drafts(updates);
        batches = new ArrayList<>();
        eventBatches = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i += batch) {
            batches.add(List.copyOf(drafts.subList(i, i + batch)));
            eventBatches.add(updates.subList(i, i + batch).stream().<TwinEvent>map(TwinEntries::event).toList());
        }
    }

    @Setup(Level.Iteration)
    public void openJournal() {
        dir = TempDirs.create("journal-append-");
        journal = ChronicleJournal.open(dir, JournalOptions.DEFAULT.withFsync(FsyncPolicy.parse(fsync)));
    }

    @Benchmark
    public List<JournalEntry> append(EventCounter counter) {
        List<EntryDraft> drafts = encodeEvents ? encode(next) : batches.get(next);
        List<JournalEntry> written = journal.append(TwinEntries.STREAM, drafts);
        next = next + 1 == batches.size() ? 0 : next + 1;
        counter.events += batch;
        return written;
    }

    private List<EntryDraft> encode(int batchIndex) {
        List<TwinEvent> events = eventBatches.get(batchIndex);
        List<EntryDraft> drafts = new ArrayList<>(events.size());
        int first = batchIndex * batch;
        for (int i = 0; i < events.size(); i++) drafts.add(TwinEntries.draft(first + i, EventCodec.encode(events.get(i))));
        return drafts;
    }

    @TearDown(Level.Iteration)
    public void closeJournal() {
        if (journal != null) journal.close();
        TempDirs.delete(dir);
    }
}
