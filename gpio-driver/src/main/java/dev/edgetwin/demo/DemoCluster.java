package dev.edgetwin.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The demo cluster: starts the topology's processes in order (cloud; devices registered; edges;
 * mappers), waits until every device reports through the whole chain, then keeps watching; stops
 * everything in the reverse order (mappers, edges, cloud) on a signal or when a process dies.
 *
 * <p>Exits: a process the demo (or {@code bin/twin-demo stop}) stopped is "stopped"; a running one
 * stopped by a signal from someone else ({@code kill PID}: exit code 128 + signal) is "stopped" too
 * and the others go on ({@code bin/twin-demo start NAME} brings it back); any other exit — during
 * start-up, or an exit of its own — is a death: the demo says why (the last lines of its log) and
 * stops everything. A process started again that cannot start is reported; the demo goes on.
 */
final class DemoCluster implements ControlServer.Target {
    enum Phase {
        STARTING, READY, STOPPING, STOPPED, FAILED
    }

    /** How long a process started again may take to listen. */
    static final Duration RESTART_TIMEOUT = Duration.ofSeconds(120);
    private static final long POLL_MILLIS = 100;
    private static final long PROGRESS_MILLIS = 10_000;

    private final Topology topology;
    private final DemoFolder folder;
    private final PortPlan plan;
    private final Commands commands;
    private final Supervisor supervisor;
    private final Terminal terminal;
    private final Guide guide;
    private final Map<String, Child> children = new LinkedHashMap<>();
    private final Object lock = new Object();
    private final long startedNanos = System.nanoTime();
    private final Instant startedAt = Instant.now();
    private final CompletableFuture<Integer> done = new CompletableFuture<>();
    private volatile Phase phase = Phase.STARTING;
    private volatile String failure;
    private CompletableFuture<Void> stopped; // guarded by lock
    private volatile String controlUrl = "";
    private volatile String controlToken = "";

    DemoCluster(Topology topology, DemoFolder folder, PortPlan plan, Commands commands, Supervisor supervisor, Terminal terminal, Guide guide) {
        this.topology = topology;
        this.folder = folder;
        this.plan = plan;
        this.commands = commands;
        this.supervisor = supervisor;
        this.terminal = terminal;
        this.guide = guide;
        for (Topology.ProcessSpec p : topology.processes()) children.put(p.name(), new Child(p, folder.log(p.name())));
        supervisor.onExit(this::exited);
    }

    void control(String url, String token) {
        controlUrl = url;
        controlToken = token;
    }

    /** Starts everything and waits until every device reports; a {@link DemoException} says what did not come up. */
    void start(Duration timeout) throws DemoException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        writeState();
        Child cloud = children.get(topology.cloud().name());
        launch(cloud);
        awaitUp(cloud, deadline);
        CloudApi api = new CloudApi("http://" + Commands.LOOPBACK + ":" + cloud.ports.get("http"));
        try {
            for (Registrar.Result r : new Registrar(api).register(topology.devices())) terminal.status(cloud.name(), r.describe());
        } catch (IOException e) {
            throw new DemoException("registering the devices failed: " + e.getMessage());
        }
        for (Topology.Role tier : List.of(Topology.Role.EDGE, Topology.Role.GPIO)) {
            List<Child> started = topology.all(tier).stream().map(p -> children.get(p.name())).toList();
            for (Child c : started) launch(c);
            for (Child c : started) awaitUp(c, deadline);
        }
        awaitDevices(new Readiness(api), deadline);
        synchronized (lock) {
            if (phase != Phase.STARTING) throw new DemoException("the demo is stopping");
            phase = Phase.READY;
        }
        writeState();
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        terminal.block(guide.text(Supervisor.ports(children, plan), seconds));
        terminal.say(String.format(Locale.ROOT, "ready in %.1f s", seconds));
    }

    private void launch(Child c) throws DemoException {
        synchronized (lock) {
            if (phase == Phase.STOPPING || phase == Phase.STOPPED || phase == Phase.FAILED) {
                throw new DemoException(409, "the demo is stopping");
            }
            if (c.alive()) throw new DemoException(409, c.name() + " is already running (pid " + c.pid() + ")");
            // a restart runs the command of the first start, with the ports it got then (free-port mode too)
            List<String> command = c.command != null ? c.command
                    : commands.of(c.spec, plan.of(c.name()), Supervisor.ports(children, plan));
            try {
                supervisor.launch(c, command, guide.show(c.log));
            } catch (IOException e) {
                c.state = Child.State.FAILED;
                throw new DemoException("cannot start " + c.name() + ": " + e.getMessage());
            }
        }
        writeState();
    }

    /** Waits until {@code c} listens on every port of its role and its /healthz answers. */
    private void awaitUp(Child c, long deadline) throws DemoException, InterruptedException {
        CloudApi api = null;
        while (true) {
            Child.State state;
            String why;
            synchronized (lock) { // exited() sets a child's state and the demo's failure together
                state = c.state;
                why = failure;
            }
            if (why != null) throw new DemoException(why);
            if (state == Child.State.FAILED || state == Child.State.STOPPED) {
                throw new DemoException(c.name() + " exited (code " + c.exitCode + ") before it was up: see " + guide.show(c.log));
            }
            if (phase != Phase.STARTING && phase != Phase.READY) throw new DemoException(409, "the demo is stopping");
            if (c.listening()) {
                if (api == null) api = new CloudApi("http://" + Commands.LOOPBACK + ":" + c.ports.get("http"));
                if (api.ok("/healthz")) break;
            }
            if (System.nanoTime() > deadline) {
                throw new DemoException(c.name() + " did not come up in time (ports known: " + c.ports + "); see " + guide.show(c.log));
            }
            Thread.sleep(POLL_MILLIS);
        }
        synchronized (lock) {
            if (c.state == Child.State.STARTING) c.state = Child.State.RUNNING;
            // restarts reuse this command: the ports it has now, whatever it was asked for
            c.command = commands.of(c.spec, Map.copyOf(c.ports), Supervisor.ports(children, plan));
        }
        terminal.status(c.name(), "up: " + c.spec.role().ports.stream()
                .map(p -> p + " " + Commands.LOOPBACK + ":" + c.ports.get(p)).collect(Collectors.joining(", ")));
        writeState();
    }

    private void awaitDevices(Readiness readiness, long deadline) throws DemoException, InterruptedException {
        long nextProgress = System.nanoTime() + PROGRESS_MILLIS * 1_000_000;
        while (true) {
            if (failure != null) throw new DemoException(failure);
            List<String> waiting = readiness.waitingFor(topology.devices());
            if (waiting.isEmpty()) return;
            if (System.nanoTime() > deadline) throw new DemoException("the devices did not all report in time: " + String.join(", ", waiting));
            if (System.nanoTime() > nextProgress) {
                terminal.say("waiting for " + String.join(", ", waiting));
                nextProgress = System.nanoTime() + PROGRESS_MILLIS * 1_000_000;
            }
            Thread.sleep(250);
        }
    }

    private void exited(Child c, int code) {
        String message;
        boolean fatal = false;
        synchronized (lock) {
            Child.State was = c.state;
            if (c.stopRequested || phase == Phase.STOPPING || phase == Phase.STOPPED || phase == Phase.FAILED) {
                c.state = Child.State.STOPPED;
                message = "stopped (exit " + code + ")";
            } else if (was == Child.State.RUNNING && code > 128) {
                c.state = Child.State.STOPPED;
                message = "stopped by signal " + (code - 128) + " (exit " + code + "); the others go on. Start it again: "
                        + guide.self() + " start " + c.name();
            } else if (c.restarted && was == Child.State.STARTING && phase == Phase.READY) {
                c.state = Child.State.FAILED;
                message = "could not start again (exit " + code + "); the others go on. Its log: " + guide.show(c.log);
            } else {
                c.state = Child.State.FAILED;
                message = (was == Child.State.RUNNING ? "died" : "exited before it was up") + " (exit " + code + ")";
                fatal = claimFailure(c.name() + " " + message);
            }
        }
        terminal.status(c.name(), message);
        if (c.state == Child.State.FAILED) {
            terminal.status(c.name(), "last lines of " + guide.show(c.log) + ":");
            for (String line : c.tail()) terminal.status(c.name(), "  | " + LogLine.shorten(line));
        }
        writeState();
        if (fatal) stopAfterFailure(failure);
    }

    /** Stops the demo because of {@code reason} (exit code 1), on another thread: callers may be the threads it waits for. */
    void fail(String reason) {
        if (claimFailure(reason)) stopAfterFailure(reason);
    }

    /** Records {@code reason} as the demo's failure unless it already has one or is stopping; true when recorded. */
    private boolean claimFailure(String reason) {
        synchronized (lock) {
            if (failure != null || stopped != null) return false;
            failure = reason;
            return true;
        }
    }

    private void stopAfterFailure(String reason) {
        terminal.say("stopping everything: " + reason);
        Thread t = new Thread(this::shutdown, "demo-shutdown");
        t.start();
    }

    /**
     * Stops every process the demo started, mappers first (they say "offline" while their edge still
     * listens), then edges, then the cloud. Idempotent; every caller returns once all are stopped.
     */
    CompletableFuture<Void> shutdown() {
        CompletableFuture<Void> mine;
        synchronized (lock) {
            if (stopped != null) return stopped;
            stopped = mine = new CompletableFuture<>();
            phase = Phase.STOPPING;
        }
        try {
            writeState();
            if (children.values().stream().anyMatch(Child::alive)) terminal.say("stopping the processes it started");
            for (Topology.Role tier : List.of(Topology.Role.GPIO, Topology.Role.EDGE, Topology.Role.CLOUD)) {
                supervisor.stopAll(topology.all(tier).stream().map(p -> children.get(p.name())).toList());
            }
        } finally {
            phase = failure == null ? Phase.STOPPED : Phase.FAILED;
            writeState();
            supervisor.close();
            terminal.say((failure == null ? "stopped" : "stopped after a failure") + "; " + guide.dataAfterStop());
            mine.complete(null);
            done.complete(failure == null ? 0 : 1);
        }
        return mine;
    }

    /** Blocks until the demo has stopped: 0 when asked to, 1 after a failure. */
    int awaitDone() throws InterruptedException {
        try {
            return done.get();
        } catch (java.util.concurrent.ExecutionException e) {
            return 1;
        }
    }

    private Child child(String name) throws DemoException {
        Child c = children.get(name);
        if (c == null) throw new DemoException(404, "no process named " + name + " (known: " + String.join(", ", children.keySet()) + ")");
        return c;
    }

    @Override
    public String stop(String name) throws DemoException {
        Child c = child(name);
        synchronized (lock) {
            if (phase != Phase.READY) throw new DemoException(409, "the demo is " + phase.name().toLowerCase(Locale.ROOT));
            if (!c.alive()) throw new DemoException(409, name + " is not running");
        }
        terminal.status(name, "stopping (bin/twin-demo stop)");
        Integer code = supervisor.stop(c);
        return name + " stopped (exit " + code + "); " + guide.self() + " start " + name + " starts it again";
    }

    @Override
    public String start(String name) throws DemoException {
        Child c = child(name);
        synchronized (lock) {
            if (phase != Phase.READY) throw new DemoException(409, "the demo is " + phase.name().toLowerCase(Locale.ROOT));
            c.restarted = true;
        }
        launch(c);
        try {
            awaitUp(c, System.nanoTime() + RESTART_TIMEOUT.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoException("interrupted");
        }
        return name + " started again: pid " + c.pid() + ", " + c.spec.role().ports.stream()
                .map(p -> p + " " + Commands.LOOPBACK + ":" + c.ports.get(p)).collect(Collectors.joining(", "));
    }

    @Override
    public ObjectNode snapshot() {
        ObjectNode s = CloudApi.JSON.createObjectNode();
        s.put("pid", ProcessHandle.current().pid());
        s.put("pidStartedAt", StateFile.startedAt(ProcessHandle.current()));
        s.put("phase", phase.name().toLowerCase(Locale.ROOT));
        if (failure != null) s.put("failure", failure);
        s.put("control", controlUrl);
        s.put("controlToken", controlToken);
        s.put("dataDir", folder.root().toString());
        s.put("startedAt", startedAt.toString());
        ObjectNode processes = s.putObject("processes");
        for (Child c : children.values()) {
            ObjectNode p = processes.putObject(c.name());
            p.put("role", c.spec.role().name().toLowerCase(Locale.ROOT));
            p.put("state", c.state.name().toLowerCase(Locale.ROOT));
            if (c.process != null) p.put("pid", c.pid());
            ObjectNode ports = p.putObject("ports");
            c.spec.role().ports.forEach(name -> {
                Integer port = c.ports.get(name);
                if (port != null) ports.put(name, port);
            });
            p.put("log", c.log.toString());
            if (c.command != null) c.command.forEach(p.putArray("command")::add);
            if (c.exitCode != null) p.put("exitCode", c.exitCode);
        }
        return s;
    }

    private void writeState() {
        try {
            StateFile.write(folder.state(), snapshot());
        } catch (RuntimeException e) {
            terminal.say("cannot write " + folder.state() + ": " + e.getMessage());
        }
    }
}
