package dev.edgetwin.gpio;

import dev.edgetwin.gpio.config.ConfigReader;
import dev.edgetwin.gpio.config.MapperConfig;
import dev.edgetwin.gpio.mqtt.BrokerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/twin-gpio --config FILE --mqtt tcp://HOST:1883}: the GPIO mapper. Every option also
 * reads an environment variable ({@code --sim-http-port} is {@code EDGETWIN_SIM_HTTP_PORT}) through
 * picocli's own {@code ${env:…}} defaults, so the mapper needs nothing of the node runtime.
 * Exit codes: 0 stopped cleanly, 2 bad flags or config, 1 a line or the HTTP port cannot be had.
 */
@Command(name = "twin-gpio", mixinStandardHelpOptions = true, sortOptions = false,
        description = "EdgeTwin GPIO mapper: binds twin properties to GPIO lines, speaking KubeEdge's twin topics over MQTT.",
        footer = {"", "Every option can also be set by an environment variable: --sim-http-port is EDGETWIN_SIM_HTTP_PORT, and so on."})
public final class GpioMain implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(GpioMain.class);

    @Option(names = "--config", defaultValue = "${env:EDGETWIN_CONFIG}", description = "the mapper config, YAML or JSON (required)")
    Path config;

    @Option(names = "--mqtt", defaultValue = "${env:EDGETWIN_MQTT:-tcp://127.0.0.1:1883}",
            description = "the edge's MQTT broker (default: ${DEFAULT-VALUE})")
    String mqtt;

    @Option(names = "--node", defaultValue = "${env:EDGETWIN_NODE}",
            description = "the edge node name for membership topics (default: the config's node, else this host's name)")
    String node;

    @Option(names = "--sim-http-port", defaultValue = "${env:EDGETWIN_SIM_HTTP_PORT}",
            description = "port of the simulated chip's HTTP API, 0 = pick a free one, -1 = none (default: the config's sim.http.port, else none)")
    Integer simHttpPort;

    @Option(names = "--bind", defaultValue = "${env:EDGETWIN_BIND}",
            description = "address of the simulated chip's HTTP API, e.g. 0.0.0.0 in a container (default: the config's sim.http.host, 127.0.0.1)")
    String bind;

    @Option(names = "--check", defaultValue = "${env:EDGETWIN_CHECK:-false}",
            description = "only read and validate the config, then exit")
    boolean check;

    private GpioMapper mapper;

    @Override
    public Integer call() throws InterruptedException {
        if (config == null) throw new IllegalArgumentException("missing --config (or EDGETWIN_CONFIG)");
        MapperConfig cfg = withBind(ConfigReader.read(config), bind);
        BrokerAddress broker = BrokerAddress.parse(mqtt);
        int port = simHttpPort != null ? simHttpPort : cfg.sim().httpPort();
        if (port < -1 || port > 65_535) throw new IllegalArgumentException("--sim-http-port must be -1..65535, got " + port);
        String nodeName = node != null && !node.isBlank() ? node : cfg.node().orElseGet(GpioMain::hostName);
        if (check) {
            System.out.println("config ok: " + cfg.devices().size() + " devices, "
                    + cfg.devices().stream().mapToInt(d -> d.properties().size()).sum() + " properties");
            return 0;
        }
        mapper = GpioMapper.start(cfg, broker, nodeName, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping");
            try {
                mapper.close();
            } finally {
                stopped.countDown();
            }
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    /** {@code cfg} with {@code bind} as the simulated chip's HTTP address, when one is given. */
    static MapperConfig withBind(MapperConfig cfg, String bind) {
        if (bind == null || bind.isBlank()) return cfg;
        MapperConfig.Sim s = cfg.sim();
        MapperConfig.Sim sim = new MapperConfig.Sim(s.lines(), bind.trim(), s.httpPort(), s.pressHold(), s.maxPressHold(), s.maxBodyBytes());
        return new MapperConfig(cfg.node(), cfg.mqtt(), sim, cfg.sysfs(), cfg.chardev(), cfg.devices());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException e) {
            return "edge";
        }
    }

    /** Runs the command; returns the exit code (for tests: {@link #main} exits with it). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new GpioMain());
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof dev.edgetwin.gpio.config.ConfigException) {
                System.err.println("error: " + e.getMessage());
                return 2;
            }
            System.err.println("error: " + e.getMessage());
            LOG.error("cannot start: {}", e.toString());
            return 1;
        });
        return cli.execute(args);
    }

    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) System.exit(code);
    }
}
