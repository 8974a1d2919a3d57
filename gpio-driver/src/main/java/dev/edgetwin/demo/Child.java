package dev.edgetwin.demo;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One process the demo started and watches: its command line (the same on a restart, with the
 * ports it got the first time), its live state, the ports read from its log, and its last lines.
 */
final class Child {
    enum State {
        /** never started, or stopped (on request, by a signal, by the demo) */
        STOPPED,
        /** started; its ports are not all known yet */
        STARTING,
        /** listening on every port of its role */
        RUNNING,
        STOPPING,
        /** exited on its own, or could not start */
        FAILED
    }

    static final int TAIL_LINES = 15;
    final Topology.ProcessSpec spec;
    final Path log;
    final Map<String, Integer> ports = new ConcurrentHashMap<>();
    volatile State state = State.STOPPED;
    volatile Process process;
    volatile List<String> command;
    /** the demo asked it to stop (a stop request or the demo's own shutdown) */
    volatile boolean stopRequested;
    /** started again after the demo was up: failing then does not stop the demo */
    volatile boolean restarted;
    volatile Integer exitCode;
    volatile LogFollower.Followed followed;
    /** completes once the exit of the current run has been handled */
    volatile CompletableFuture<Void> exitHandled;
    private final Deque<String> tail = new ArrayDeque<>();

    Child(Topology.ProcessSpec spec, Path log) {
        this.spec = spec;
        this.log = log;
    }

    String name() {
        return spec.name();
    }

    boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    /** Every port its role opens is known. */
    boolean listening() {
        return ports.keySet().containsAll(spec.role().ports);
    }

    private final Map<String, Long> shown = new HashMap<>();

    /** True unless the same status line was shown less than {@code quietNanos} ago (then it stays quiet). */
    synchronized boolean firstInAWhile(String note, long quietNanos) {
        long now = System.nanoTime();
        Long last = shown.get(note);
        if (last != null && now - last < quietNanos) return false;
        if (shown.size() > 1000) shown.clear();
        shown.put(note, now);
        return true;
    }

    synchronized void remember(String line) {
        tail.addLast(line);
        if (tail.size() > TAIL_LINES) tail.removeFirst();
    }

    synchronized List<String> tail() {
        return List.copyOf(tail);
    }

    synchronized void forgetTail() {
        tail.clear();
    }
}
