package dev.edgetwin.bench.mqtt;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * CPU time per thread of this JVM, by thread name, from {@code /proc/self/task}: native threads
 * (RocksDB's flush and compaction, GC, the JIT) count as well as Java ones, which is what a JFR
 * profile does not show. Linux keeps the first 15 characters of a name ({@code twin-writer-edg},
 * {@code vert.x-eventloo}). Without {@code /proc} every snapshot is empty.
 */
final class ThreadCpu {
    private ThreadCpu() {
    }

    /** Clock ticks (user + system) per thread name of this JVM, threads of one name summed. */
    static Map<String, Long> snapshot() {
        return snapshot(Path.of("/proc/self/task"));
    }

    /** The same for another process (a node the benchmark started); empty once it ended. */
    static Map<String, Long> snapshot(long pid) {
        return snapshot(Path.of("/proc", Long.toString(pid), "task"));
    }

    private static Map<String, Long> snapshot(Path tasks) {
        Map<String, Long> out = new HashMap<>();
        if (!Files.isDirectory(tasks)) return out;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tasks)) {
            for (Path task : dirs) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    out.merge(name(stat), CpuTime.ticks(stat), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** The thread's name in a {@code stat} line: between the first '(' and the last ')' (a name may hold either). */
    static String name(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    /** The CPU of the threads whose name starts with {@code prefix} between two snapshots, as a share of one core in percent. */
    static double share(Map<String, Long> before, Map<String, Long> after, double seconds, String prefix) {
        long ticks = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            if (e.getKey().startsWith(prefix)) ticks += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return ticks * 100.0 / (CpuTime.TICKS_PER_SECOND * seconds);
    }

    /**
     * Each name's CPU between two snapshots as a share of one core over {@code seconds}, highest
     * first, those of at least 1 %, at most {@code most}: {@code "twin-writer-edg 89%, ..."}.
     * Threads that ended in between are left out; empty when nothing qualifies.
     */
    static String report(Map<String, Long> before, Map<String, Long> after, double seconds, int most) {
        List<Map.Entry<String, Double>> shares = new ArrayList<>();
        after.forEach((name, ticks) -> {
            double share = (ticks - before.getOrDefault(name, 0L)) * 100.0 / (CpuTime.TICKS_PER_SECOND * seconds);
            if (share >= 1) shares.add(Map.entry(name, share));
        });
        shares.sort(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        StringJoiner out = new StringJoiner(", ");
        for (int i = 0; i < Math.min(most, shares.size()); i++) {
            out.add(String.format("%s %.0f%%", shares.get(i).getKey(), shares.get(i).getValue()));
        }
        return out.toString();
    }
}
