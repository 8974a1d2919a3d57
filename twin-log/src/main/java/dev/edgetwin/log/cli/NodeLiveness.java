package dev.edgetwin.log.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Tells whether the node owning a data directory is running, without touching its files: a
 * running node holds RocksDB's POSIX lock on {@code projection/LOCK}, and Linux lists every
 * such lock in {@code /proc/locks} by device and inode. The probe only {@code stat}s the lock
 * file and reads {@code /proc/locks}: it never opens the lock file, since closing any
 * descriptor of a file drops the POSIX locks the process holds on it (which would matter
 * when the node runs in this very JVM).
 */
final class NodeLiveness {
    /** RUNNING: a process holds the lock; STOPPED: none does; UNKNOWN: cannot tell (no /proc/locks). */
    enum State { RUNNING, STOPPED, UNKNOWN }

    /** The probe's answer; {@code pid} is the lock holder's (-1 when not known). */
    record Status(State state, long pid) {
        boolean mayBeRunning() {
            return state != State.STOPPED;
        }

        String describe() {
            return switch (state) {
                case RUNNING -> "running" + (pid > 0 ? ", pid " + pid : "");
                case STOPPED -> "stopped";
                case UNKNOWN -> "perhaps running (no /proc/locks to tell)";
            };
        }
    }

    static final Path PROC_LOCKS = Path.of("/proc/locks");

    private NodeLiveness() {
    }

    static Status probe(Path projectionDir) {
        return probe(projectionDir.resolve("LOCK"), PROC_LOCKS);
    }

    static Status probe(Path lockFile, Path procLocks) {
        Map<String, Object> attrs;
        try {
            attrs = Files.readAttributes(lockFile, "unix:ino");
        } catch (NoSuchFileException e) {
            return new Status(State.STOPPED, -1); // RocksDB creates LOCK on open: never opened, never running
        } catch (IOException | UnsupportedOperationException e) {
            return new Status(State.UNKNOWN, -1);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(procLocks);
        } catch (IOException e) {
            return new Status(State.UNKNOWN, -1);
        }
        long ino = (Long) attrs.get("ino");
        // "1: POSIX  ADVISORY  WRITE 12345 fe:00:2146644 0 EOF": hex major:minor of the device, then the inode.
        // The inode alone decides: on overlay file systems stat reports another device than the lock table.
        // A lock on an equal inode of another file system reads as "running": the safe side for rebuild.
        String inode = "[0-9a-f]+:[0-9a-f]+:" + ino;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            for (int i = 1; i < f.length; i++) {
                if (f[i].matches(inode)) return new Status(State.RUNNING, parsePid(f[i - 1]));
            }
        }
        return new Status(State.STOPPED, -1);
    }

    private static long parsePid(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
