package dev.edgetwin.log.chronicle;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/**
 * How long the writer's first append into a new cycle file takes, with the file prepared ahead
 * ({@link NextCycleFile}) and without, alternating, on queues whose clock jumps a day per round.
 * A main, not a test: it informs FORMAT.md §4 and benchmarks/RESULTS.md (f2).
 * Run from twin-log/ after a build (the folder must be on a disk, not tmpfs):
 * {@code ../mvnw -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt && java $(cat target/classes/edgetwin-jvm.flags)
 * -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.edgetwin.log.chronicle.RollLatencyProbe [rounds]}
 */
public final class RollLatencyProbe {
    private static final long WARM_AHEAD = 16L << 20;
    private static final long DAY = 86_400_000L;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path root = Files.createTempDirectory(Files.createDirectories(Path.of("target", "roll-probe")), "run-");
        long[][] first = new long[2][rounds];
        long[][] worst = new long[2][rounds];
        try (Side prepared = new Side(root.resolve("prepared"), true); Side plain = new Side(root.resolve("plain"), false)) {
            for (int r = 0; r < rounds; r++) {
                for (Side s : r % 2 == 0 ? new Side[] {prepared, plain} : new Side[] {plain, prepared}) {
                    long[] t = s.roll();
                    int i = s == prepared ? 0 : 1;
                    first[i][r] = t[0];
                    worst[i][r] = t[1];
                }
                System.out.printf(Locale.ROOT, "round %d: prepared first append %.2f ms (next 1,000 max %.2f), plain %.2f ms (%.2f)%n", r + 1,
                        first[0][r] / 1e6, worst[0][r] / 1e6, first[1][r] / 1e6, worst[1][r] / 1e6);
            }
        } finally {
            try (var s = Files.walk(root)) {
                for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) Files.deleteIfExists(p);
            }
        }
        System.out.printf(Locale.ROOT, "first append into the new cycle file, %d rolls each: prepared median %.2f ms max %.2f ms; plain median %.2f ms max %.2f ms%n",
                rounds, median(first[0]) / 1e6, max(first[0]) / 1e6, median(first[1]) / 1e6, max(first[1]) / 1e6);
    }

    /** One queue with its own clock and warmer, appending ~100-byte documents. */
    private static final class Side implements AutoCloseable {
        final SetTimeProvider time = new SetTimeProvider(Instant.parse("2026-12-07T12:00:00Z"));
        final NextCycleFile next;
        final PageWarmer warmer;
        final SingleChronicleQueue queue;
        final ExcerptAppender appender;
        final String text = "x".repeat(100);
        long midnight = Instant.parse("2026-12-08T00:00:00Z").toEpochMilli();

        Side(Path dir, boolean prepare) throws IOException {
            Files.createDirectories(dir);
            next = prepare ? new NextCycleFile(RollCycles.FAST_DAILY, 0, time::currentTimeMillis, 0) : null;
            warmer = new PageWarmer(WARM_AHEAD, dir.getFileName().toString());
            queue = SingleChronicleQueueBuilder.binary(dir.toFile()).rollCycle(RollCycles.FAST_DAILY).timeProvider(time)
                    .storeFileListener(warmer).build();
            if (next != null) warmer.prepareNextCycles(next);
            appender = queue.createAppender();
            append();
        }

        /** Two seconds before midnight, waits 1.5 s (the warming thread prepares the file, if it does); then appends past midnight. */
        long[] roll() throws InterruptedException {
            time.currentTimeMillis(midnight - 2_000);
            append();
            Thread.sleep(1_500);
            if (next != null) {
                File ready = new File(queue.file(), Instant.ofEpochMilli(midnight).toString().substring(0, 10).replace("-", "") + "F"
                        + NextCycleFile.READY);
                if (!ready.exists()) throw new IllegalStateException(ready + " not prepared");
            }
            time.currentTimeMillis(midnight + 1_000);
            long t0 = System.nanoTime();
            append();
            long firstNanos = System.nanoTime() - t0;
            long worst = 0;
            for (int i = 0; i < 1_000; i++) {
                long a = System.nanoTime();
                append();
                worst = Math.max(worst, System.nanoTime() - a);
            }
            midnight += DAY;
            return new long[] {firstNanos, worst};
        }

        void append() {
            appender.writeText(text);
            warmer.wrote(appender.cycle(), appender.wire().bytes().writePosition());
        }

        @Override
        public void close() {
            appender.close();
            queue.close();
            warmer.close();
        }
    }

    private static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }

    private static long max(long[] v) {
        return Arrays.stream(v).max().orElse(0);
    }
}
