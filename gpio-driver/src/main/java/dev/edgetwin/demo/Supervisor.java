package dev.edgetwin.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Starts, watches and stops the demo's processes, and only those: each by the {@link Process} it
 * started (so by its pid, never by a name). A process writes into its own log file (appended, the
 * command line first, its token masked); {@link LogFollower} reads the lines back for its ports
 * and for the status lines on the terminal.
 *
 * <p>What an exit means is decided by the {@link ExitPolicy} of the cluster: a stop the demo asked
 * for, a deliberate stop by a signal, or a death that stops the whole demo.
 */
final class Supervisor implements AutoCloseable {
    /** The same status line of a process is not shown again within this time. */
    static final long REPEAT_QUIET_NANOS = Duration.ofSeconds(60).toNanos();

    /** What the cluster makes of a process that exited without being asked to. */
    interface ExitPolicy {
        void exited(Child child, int code);
    }

    private final Path root;
    private final Map<String, String> env;
    private final Terminal terminal;
    private final Duration grace;
    private final LogFollower follower = new LogFollower();
    private volatile ExitPolicy policy = (c, code) -> { };

    Supervisor(Path root, Map<String, String> env, Terminal terminal, Duration grace) {
        this.root = root;
        this.env = Map.copyOf(env);
        this.terminal = terminal;
        this.grace = grace;
    }

    void onExit(ExitPolicy policy) {
        this.policy = policy;
    }

    /** Starts {@code child} with {@code command}; returns once the process exists (not once it listens). */
    void launch(Child child, List<String> command, String shownLog) throws IOException {
        Files.createDirectories(child.log.getParent());
        Files.writeString(child.log, "--- twin-demo " + Instant.now() + ": " + String.join(" ", masked(command)) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        long offset = Files.size(child.log);
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(child.log.toFile()));
        builder.environment().clear();
        builder.environment().putAll(Commands.environment(env, child.spec.role()));
        child.ports.clear();
        child.exitCode = null;
        child.stopRequested = false;
        child.forgetTail();
        Process p = builder.start();
        p.getOutputStream().close(); // nothing to say on their stdin
        child.process = p;
        child.command = List.copyOf(command);
        child.state = Child.State.STARTING;
        child.followed = follower.follow(child.log, offset, line -> read(child, line));
        child.exitHandled = p.onExit().thenRun(() -> exited(child, p));
        terminal.status(child.name(), "started, pid " + p.pid() + ", log " + shownLog);
    }

    private void read(Child child, String line) {
        child.remember(line);
        LogLine.port(line).ifPresent(port -> child.ports.put(port.name(), port.port()));
        String note = LogLine.notable(child.spec.role(), line);
        // a mapper retrying its edge's broker says so every second or two: once is enough here, the log has them all
        if (note != null && child.firstInAWhile(note, REPEAT_QUIET_NANOS)) terminal.status(child.name(), note);
    }

    private void exited(Child child, Process p) {
        if (child.process != p) return; // an earlier run of a restarted process
        LogFollower.Followed f = child.followed;
        if (f != null) f.finish(); // its last lines first: they say why
        child.exitCode = p.exitValue();
        policy.exited(child, p.exitValue());
    }

    /**
     * Stops {@code child}: SIGTERM, then SIGKILL after the grace period; also any process it left
     * behind. Returns its exit code, or null when it was not running.
     */
    Integer stop(Child child) {
        Process p = child.process;
        if (p == null || !p.isAlive()) return child.exitCode;
        child.stopRequested = true;
        child.state = Child.State.STOPPING;
        List<ProcessHandle> descendants = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                terminal.status(child.name(), "did not stop within " + grace.toSeconds() + " s after SIGTERM: SIGKILL");
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            CompletableFuture<Void> handled = child.exitHandled;
            if (handled != null) handled.get(10, TimeUnit.SECONDS); // its exit is told before the stop returns
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        } catch (Exception e) {
            // it has exited: only the notification was late
        }
        for (ProcessHandle d : descendants) {
            if (d.isAlive()) d.destroyForcibly();
        }
        return p.isAlive() ? null : p.exitValue();
    }

    /** Stops these children at the same time (one tier of the shutdown order). */
    void stopAll(List<Child> tier) {
        List<CompletableFuture<Integer>> stops = new ArrayList<>();
        for (Child c : tier) {
            stops.add(CompletableFuture.supplyAsync(() -> stop(c), r -> {
                Thread t = new Thread(r, "stop-" + c.name());
                t.setDaemon(true);
                t.start();
            }));
        }
        stops.forEach(CompletableFuture::join);
    }

    /** The command line as logged: a token's value is not written into a log file. */
    static List<String> masked(List<String> command) {
        List<String> shown = new ArrayList<>(command);
        for (int i = 0; i + 1 < shown.size(); i++) {
            if (shown.get(i).equals("--token")) shown.set(i + 1, "****");
        }
        return shown;
    }

    /** The port of {@code process} that {@code children} know, else the planned one. */
    static BiFunction<String, String, Integer> ports(Map<String, Child> children, PortPlan plan) {
        return (process, name) -> {
            Child c = children.get(process);
            Integer port = c == null ? null : c.ports.get(name);
            return port != null ? port : plan.port(process, name);
        };
    }

    @Override
    public void close() {
        follower.close();
    }
}
