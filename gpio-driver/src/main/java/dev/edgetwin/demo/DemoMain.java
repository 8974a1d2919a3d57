package dev.edgetwin.demo;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bin/twin-demo}: the local demo cluster, and the commands that talk to a running one.
 * Exit codes: 0 stopped as asked (a signal ends the JVM with 128 + its number: 130 for Ctrl-C, 143
 * for SIGTERM), 1 a process died or did not come up, 2 bad options or a busy port or folder.
 */
@Command(name = "twin-demo", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {DemoMain.Status.class, DemoMain.Register.class},
        description = {"Runs the EdgeTwin demo cluster on loopback: a cloud, edges edge-a and edge-b (each with its MQTT broker) and "
                + "a GPIO mapper per edge with simulated lamps and buttons; registers the devices at the cloud, waits until every "
                + "device reports, and prints what to try. Ctrl-C (or SIGTERM) stops every process it started.", ""},
        footer = {"", "Ports (defaults in gpio-driver/src/main/resources/demo-topology.yaml): cloud http 8080; edge-a http 8081, mqtt 1883; "
                + "edge-b http 8082, mqtt 1884; gpio-edge-a http 8091; gpio-edge-b http 8092. Each can be set with "
                + "EDGETWIN_DEMO_<PROCESS>_<PORT>_PORT (EDGETWIN_DEMO_CLOUD_HTTP_PORT=9080, EDGETWIN_DEMO_EDGE_A_MQTT_PORT=1885); "
                + "--free-ports (EDGETWIN_DEMO_FREE_PORTS=true) makes them all 0: each process picks a free port and logs it."})
public final class DemoMain implements Callable<Integer> {
    @Option(names = "--data-dir", scope = CommandLine.ScopeType.INHERIT, defaultValue = "${env:EDGETWIN_DEMO_DATA_DIR}",
            description = "the demo folder: nodes' data, logs/, demo.json (default: demo-data in the repository)")
    Path dataDir;

    @Option(names = "--temp", description = "use a new temporary folder, deleted when the demo stops")
    boolean temp;

    @Option(names = "--wipe", description = "delete the demo folder's contents first (only a demo folder's): start afresh")
    boolean wipe;

    @Option(names = "--free-ports", defaultValue = "${env:EDGETWIN_DEMO_FREE_PORTS:-false}",
            description = "every port 0: each process picks a free one, read back from its log")
    boolean freePorts;

    @Option(names = "--ready-timeout", defaultValue = "${env:EDGETWIN_DEMO_READY_TIMEOUT:-180}",
            description = "seconds to wait for every process to listen and every device to report (default: ${DEFAULT-VALUE})")
    int readyTimeout;

    @Option(names = "--stop-grace", defaultValue = "${env:EDGETWIN_DEMO_STOP_GRACE:-20}",
            description = "seconds a process may take to stop after SIGTERM before it gets SIGKILL (default: ${DEFAULT-VALUE})")
    int stopGrace;

    @Override
    public Integer call() throws Exception {
        Path root = root();
        if (temp && dataDir != null) {
            System.err.println("twin-demo: --temp and --data-dir exclude each other");
            return 2;
        }
        Topology topology = Topology.load();
        Path dir = temp ? Files.createTempDirectory("twin-demo-") : folder(root);
        PortPlan plan;
        try {
            plan = PortPlan.of(topology, System.getenv(), freePorts);
            refuseIfRunning(DemoFolder.existing(dir));
        } catch (IllegalArgumentException | DemoException e) {
            System.err.println("twin-demo: " + e.getMessage());
            return 2;
        }
        List<String> busy = plan.busy();
        if (!busy.isEmpty()) {
            busy.forEach(b -> System.err.println("twin-demo: " + b));
            return 2;
        }
        DemoFolder folder;
        try {
            folder = DemoFolder.prepare(dir, wipe);
        } catch (IllegalArgumentException e) {
            System.err.println("twin-demo: " + e.getMessage());
            return 2;
        }
        Terminal terminal = new Terminal(System.out, topology.names().stream().mapToInt(String::length).max().orElse(8));
        terminal.mirrorTo(folder.root().resolve("logs").resolve("twin-demo.log"));
        Guide guide = new Guide(topology, root, folder, dataDir == null && !temp, temp, Path.of("").toAbsolutePath());
        terminal.say("data in " + guide.show(folder.root()) + (wipe ? " (wiped)" : "") + (temp ? " (temporary)" : "")
                + "; ports " + (freePorts ? "free (each process picks one)" : "fixed (see --help)"));
        Map<String, String> tokens = folder.tokens(topology.all(Topology.Role.EDGE).stream().map(Topology.ProcessSpec::name).toList());
        Supervisor supervisor = new Supervisor(root, System.getenv(), terminal, Duration.ofSeconds(stopGrace));
        Commands commands = new Commands(root, folder, tokens, topology.cloud().name());
        DemoCluster cluster = new DemoCluster(topology, folder, plan, commands, supervisor, terminal, guide);
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        ControlServer control = new ControlServer(cluster, HexFormat.of().formatHex(secret));
        cluster.control(control.url(), HexFormat.of().formatHex(secret));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.shutdown().join();
            control.close();
            if (temp) deleteQuietly(folder.root(), terminal);
            terminal.close();
        }, "twin-demo-stop"));
        try {
            cluster.start(Duration.ofSeconds(readyTimeout));
        } catch (DemoException e) {
            cluster.fail(e.getMessage());
        }
        return cluster.awaitDone();
    }

    private Path folder(Path root) {
        return dataDir != null ? dataDir : root.resolve("demo-data");
    }

    /** Another demo, or what is left of one, running from this folder would fight this one over ports and journals. */
    static void refuseIfRunning(DemoFolder folder) throws DemoException {
        if (!Files.exists(folder.state())) return;
        JsonNode state = StateFile.read(folder.state());
        long pid = state.path("pid").asLong();
        if (StateFile.supervisorAlive(state)) {
            throw new DemoException(409, "a demo already runs from " + folder.root() + " (pid " + pid + "): stop it first (Ctrl-C in its terminal, or kill " + pid + ")");
        }
        List<Long> left = new ArrayList<>();
        for (Iterator<JsonNode> it = state.path("processes").elements(); it.hasNext(); ) {
            long p = it.next().path("pid").asLong(-1);
            if (p > 0 && ProcessHandle.of(p).map(h -> h.isAlive()
                    && h.info().commandLine().map(c -> c.contains(folder.root().toString())).orElse(false)).orElse(false)) {
                left.add(p);
            }
        }
        if (!left.isEmpty()) {
            String pids = String.join(" ", left.stream().map(String::valueOf).toList());
            throw new DemoException(409, "processes of an earlier demo still run from " + folder.root() + ": pids " + pids + " (stop them: kill " + pids + ")");
        }
    }

    private static void deleteQuietly(Path dir, Terminal terminal) {
        try {
            DemoFolder.deleteContents(dir);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            terminal.say("cannot delete " + dir + ": " + e.getMessage());
        }
    }

    /** The repository: EDGETWIN_HOME (set by bin/twin-demo), else the folder above demo/target/twin-demo.jar. */
    static Path root() throws URISyntaxException {
        String home = System.getenv("EDGETWIN_HOME");
        if (home != null && !home.isBlank()) return Path.of(home).toAbsolutePath().normalize();
        Path jar = Path.of(DemoMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return jar.getParent().getParent().getParent().toAbsolutePath().normalize();
    }

    Path dataDirOrDefault() throws URISyntaxException {
        return folder(root());
    }

    /** {@code twin-demo status}: the running demo's processes, pids, ports and logs. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "Shows the running demo's processes: state, pid, ports, log.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        DemoMain parent;

        @Override
        public Integer call() throws Exception {
            try {
                JsonNode s = new ControlClient(DemoFolder.existing(parent.dataDirOrDefault())).status();
                System.out.println("demo " + s.path("dataDir").asText() + ": " + s.path("phase").asText() + " (pid " + s.path("pid").asLong() + ")");
                for (Iterator<Map.Entry<String, JsonNode>> it = s.path("processes").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode p = e.getValue();
                    System.out.printf("  %-12s %-9s pid %-8s %-32s %s%n", e.getKey(), p.path("state").asText(), p.path("pid").asText("-"),
                            p.path("ports").toString(), p.path("log").asText());
                }
                return 0;
            } catch (DemoException e) {
                System.err.println("twin-demo: " + e.getMessage());
                return 1;
            }
        }
    }

    private static final String PROCESS_NAMES = "a process: cloud, edge-a, edge-b, gpio-edge-a, gpio-edge-b";

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stops one process of the running demo (SIGTERM, by its pid); the others go on.")
    int stop(@Parameters(paramLabel = "NAME", description = PROCESS_NAMES) String name) throws URISyntaxException {
        return act(name, "stop");
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Starts a stopped process of the running demo again, with the same command line (and ports); waits until it listens.")
    int start(@Parameters(paramLabel = "NAME", description = PROCESS_NAMES) String name) throws URISyntaxException {
        return act(name, "start");
    }

    private int act(String name, String action) throws URISyntaxException {
        try {
            System.out.println(new ControlClient(DemoFolder.existing(dataDirOrDefault())).act(name, action));
            return 0;
        } catch (DemoException e) {
            System.err.println("twin-demo: " + e.getMessage());
            return 1;
        }
    }

    /** {@code twin-demo register --cloud URL}: the compose file's one-shot registration of the demo devices. */
    @Command(name = "register", mixinStandardHelpOptions = true,
            description = "Registers the demo's devices at a cloud (idempotent), waiting for it to answer first. Exit 0 when done.")
    static final class Register implements Callable<Integer> {
        @Option(names = "--cloud", defaultValue = "${env:EDGETWIN_DEMO_CLOUD:-http://127.0.0.1:8080}",
                description = "the cloud's REST API (default: ${DEFAULT-VALUE})")
        String cloud;

        @Option(names = "--wait", defaultValue = "${env:EDGETWIN_DEMO_WAIT:-120}", description = "seconds to wait for the cloud (default: ${DEFAULT-VALUE})")
        int waitSeconds;

        @Override
        public Integer call() throws Exception {
            CloudApi api = new CloudApi(cloud);
            long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
            while (!api.ok("/healthz")) {
                if (System.nanoTime() > deadline) {
                    System.err.println("twin-demo: " + cloud + "/healthz did not answer within " + waitSeconds + " s");
                    return 1;
                }
                Thread.sleep(500);
            }
            try {
                for (Registrar.Result r : new Registrar(api).register(Topology.load().devices())) System.out.println(r.describe());
                return 0;
            } catch (IOException e) {
                System.err.println("twin-demo: " + e.getMessage());
                return 1;
            }
        }
    }

    public static void main(String[] args) {
        int code = new CommandLine(new DemoMain()).execute(args);
        System.exit(code);
    }
}
