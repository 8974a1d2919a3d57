package dev.edgetwin.bench.mqtt;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time consumed (user + system), in nanoseconds: of this JVM, and of another process from
 * {@code /proc/<pid>/stat}. On a machine shared with other work, CPU per update is a steadier
 * figure than updates per second.
 */
final class CpuTime {
    static final long TICKS_PER_SECOND = 100;   // USER_HZ on Linux

    private CpuTime() {
    }

    static long process() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * Heap bytes this JVM's threads have allocated since it started (those that ended included),
     * or -1 where the JVM does not measure it. Like CPU per update, bytes per update do not depend
     * on how fast the machine is at the moment.
     */
    static long allocatedBytes() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
            return -1;
        }
        return threads.getTotalThreadAllocatedBytes();
    }

    /** CPU time of process {@code pid}, 0 for null or when it cannot be read. */
    static long of(Integer pid) {
        if (pid == null) return 0;
        try {
            return ticks(Files.readString(Path.of("/proc", pid.toString(), "stat"))) * 1_000_000_000L / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** User + system clock ticks in a {@code /proc/.../stat} line. */
    static long ticks(String stat) {
        // fields after the parenthesised command name: state is field 3, utime 14, stime 15
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
