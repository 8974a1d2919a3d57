package dev.edgetwin.bench.log;

import dev.edgetwin.bench.TempDirs;
import dev.edgetwin.bench.Workload;
import dev.edgetwin.log.EntryDraft;
import dev.edgetwin.log.FsyncPolicy;
import dev.edgetwin.log.chronicle.ChronicleJournal;
import dev.edgetwin.log.chronicle.JournalOptions;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;

/**
 * Goal (a) measured by CPU time instead of wall time, for a shared machine: the same entries as
 * {@link JournalAppendBenchmark} and {@link RawChronicleAppendBenchmark} ({@code fsync=never},
 * one queue and one journal, both appended on this thread and nowhere else), in alternating
 * rounds of {@code --entries} each, so load changes hit both sides alike. Reports entries per
 * second of this thread's CPU time for each side and their ratio, per round and as the median.
 *
 * <pre>java @twin-log/target/classes/edgetwin-jvm.flags -cp benchmarks/target/benchmarks.jar \
 *     dev.edgetwin.bench.log.AppendCpuCost [batch] [rounds] [entries per round]</pre>
 */
public final class AppendCpuCost {
    private AppendCpuCost() {
    }

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        int perRound = args.length > 2 ? Integer.parseInt(args[2]) : 400_000;
        int distinct = JournalAppendBenchmark.ENTRIES;
        if (distinct % batch != 0 || perRound % batch != 0) throw new IllegalArgumentException("batch must divide " + distinct + " and the round");
        List<EntryDraft> drafts = TwinEntries.drafts(Workload.standard().updates(distinct));
        byte[][] encoded = TwinEntries.encoded(drafts);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        Path dir = TempDirs.create("append-cpu-");
        double[] raw = new double[rounds];
        double[] journal = new double[rounds];
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir.resolve("raw").toFile())
                .rollCycle(RollCycles.FAST_DAILY).build();
             ExcerptAppender appender = queue.createAppender();
             ChronicleJournal j = ChronicleJournal.open(dir.resolve("journal"), JournalOptions.DEFAULT.withFsync(FsyncPolicy.parse("never")))) {
            for (int r = -2; r < rounds; r++) { // two rounds of warm-up
                long t0 = cpu.getCurrentThreadCpuTime();
                for (int i = 0; i < perRound; i++) {
                    try (DocumentContext dc = appender.writingDocument()) {
                        dc.wire().bytes().write(encoded[i & (distinct - 1)]);
                    }
                }
                long t1 = cpu.getCurrentThreadCpuTime();
                for (int i = 0; i < perRound; i += batch) {
                    int from = i & (distinct - 1);
                    j.append(TwinEntries.STREAM, drafts.subList(from, from + batch));
                }
                long t2 = cpu.getCurrentThreadCpuTime();
                if (r < 0) continue;
                raw[r] = perRound * 1e9 / (t1 - t0);
                journal[r] = perRound * 1e9 / (t2 - t1);
                System.out.printf("round %2d: raw %.2f M/cpu-s, journal %.2f M/cpu-s, ratio %.2f%n",
                        r, raw[r] / 1e6, journal[r] / 1e6, journal[r] / raw[r]);
            }
        } finally {
            TempDirs.delete(dir);
        }
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) ratios[r] = journal[r] / raw[r];
        System.out.printf("batch %d, %d rounds of %,d entries: median raw %.2f M/cpu-s, journal %.2f M/cpu-s, ratio %.2f [%.2f–%.2f]%n",
                batch, rounds, perRound, median(raw) / 1e6, median(journal) / 1e6, median(ratios),
                java.util.Arrays.stream(ratios).min().orElse(0), java.util.Arrays.stream(ratios).max().orElse(0));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
