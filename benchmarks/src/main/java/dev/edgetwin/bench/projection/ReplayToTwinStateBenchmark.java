package dev.edgetwin.bench.projection;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
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

import com.fasterxml.jackson.databind.JsonNode;

import dev.edgetwin.bench.EventCounter;
import dev.edgetwin.bench.TempDirs;
import dev.edgetwin.bench.Workload;
import dev.edgetwin.bench.log.TwinEntries;
import dev.edgetwin.log.EntryDraft;
import dev.edgetwin.log.FsyncPolicy;
import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.chronicle.ChronicleJournal;
import dev.edgetwin.log.chronicle.JournalOptions;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.Envelope;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.EventRecord;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinEvent;
import dev.edgetwin.log.model.TwinState;

/**
 * The pure half of a projection rebuild: replay a whole journal in append order into an
 * in-memory {@link TwinState} — no RocksDB. It bounds what a rebuild can reach (goal
 * ≥ 500k events/s) and splits the cost by {@code stage}: {@code read} = journal cursor
 * (Chronicle read + EntryCodec decode + CRC), {@code decode} = + {@link EventCodec} decode into
 * an {@link EventRecord}, {@code apply} = + {@link TwinState#applyAll}.
 *
 * <p>The journal holds the workload's {@code devices} registrations on {@code cloud/edge-a}
 * followed by {@code updates} reported values on {@code edge/edge-a}, written once per trial.
 * One call replays all of it; the secondary result {@code events} is entries/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class ReplayToTwinStateBenchmark {
    public static final String CLOUD_STREAM = FleetJournal.CLOUD_STREAM;

    @Param({"read", "decode", "apply"})
    public String stage;

    @Param({"100000"})
    public int updates;

    private Path dir;
    ChronicleJournal journal;
    long entries;

    @Setup(Level.Trial)
    public void writeJournal() {
        if (!List.of("read", "decode", "apply").contains(stage)) throw new IllegalArgumentException("stage must be read, decode or apply");
        dir = TempDirs.create("replay-");
        journal = ChronicleJournal.open(dir, JournalOptions.DEFAULT.withFsync(FsyncPolicy.parse("never")));
        entries = FleetJournal.write(journal, Workload.standard(), updates);
    }

    @Benchmark
    public Object replay(EventCounter counter) {
        Object result;
        try (JournalCursor cursor = journal.readAll()) {
            result = switch (stage) {
                case "read" -> readOnly(cursor);
                case "decode" -> decodeOnly(cursor);
                default -> TwinState.empty().applyAll(() -> new Records(cursor));
            };
        }
        counter.events += entries;
        return result;
    }

    private long readOnly(JournalCursor cursor) {
        long n = 0;
        for (JournalEntry e = cursor.next(); e != null; e = cursor.next()) n += e.seq();
        return n;
    }

    private long decodeOnly(JournalCursor cursor) {
        long n = 0;
        for (JournalEntry e = cursor.next(); e != null; e = cursor.next()) n += record(e).envelope().seq();
        return n;
    }

    static EventRecord record(JournalEntry e) {
        Envelope env = new Envelope(e.stream(), e.seq(), e.hlc(), e.origin(), e.wallTime(), e.clientToken());
        return new EventRecord(env, EventCodec.decode(e.payload()));
    }

    /** The journal's entries as event records, read lazily; single use. */
    private static final class Records implements Iterator<EventRecord> {
        private final JournalCursor cursor;
        private JournalEntry next;

        Records(JournalCursor cursor) {
            this.cursor = cursor;
            this.next = cursor.next();
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public EventRecord next() {
            if (next == null) throw new NoSuchElementException();
            EventRecord r = record(next);
            next = cursor.next();
            return r;
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        if (journal != null) journal.close();
        TempDirs.delete(dir);
    }
}
