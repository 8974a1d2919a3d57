package dev.edgetwin.gpio.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A mapper's whole configuration, validated by {@link ConfigReader}: the devices it serves and
 * the settings of its MQTT links and GPIO backends. Every limit has a default here.
 *
 * @param node the edge node name used in membership topics; KubeEdge accepts any, the host name by default
 */
public record MapperConfig(Optional<String> node, Mqtt mqtt, Sim sim, Sysfs sysfs, Chardev chardev, List<DeviceConfig> devices) {
    public MapperConfig {
        devices = List.copyOf(devices);
    }

    /**
     * MQTT settings. Each device has its own connection, as {@code clientIdPrefix} plus a hash of the
     * device id (23 characters at most, the limit every MQTT 3.1.1 broker must accept).
     *
     * @param maxMessageBytes larger incoming messages are refused by the client
     * @param resyncRetry     a twin get unanswered this long is sent again (with the online state): after a
     *                        broker restart the edge may subscribe again only after the mapper asked
     */
    public record Mqtt(String clientIdPrefix, Duration keepAlive, Duration reconnectInitial, Duration reconnectMax,
                       int maxInflight, Duration ackTimeout, int maxMessageBytes, Duration resyncRetry) {
        public static final Mqtt DEFAULTS = new Mqtt("gpio", Duration.ofSeconds(30), Duration.ofMillis(500),
                Duration.ofSeconds(30), 64, Duration.ofSeconds(10), 64 * 1024, Duration.ofSeconds(5));
    }

    /** The simulated chip: lines per chip, and its HTTP API (port -1 = no HTTP API, 0 = a free port). */
    public record Sim(int lines, String httpHost, int httpPort, Duration pressHold, Duration maxPressHold, int maxBodyBytes) {
        public static final Sim DEFAULTS = new Sim(64, "127.0.0.1", -1, Duration.ofMillis(200), Duration.ofSeconds(60), 4096);
    }

    /** The sysfs backend: its root folder, how long an export may take, and whether lines it exported are unexported on exit. */
    public record Sysfs(Path root, Duration exportTimeout, boolean unexport, Duration defaultPoll) {
        public static final Sysfs DEFAULTS = new Sysfs(Path.of("/sys/class/gpio"), Duration.ofSeconds(2), true, Duration.ofMillis(20));
    }

    /**
     * The character-device backend: the folder holding {@code gpiochipN}, and the uAPI version it
     * speaks: {@code v2} (own, through libc; the default) or {@code v1} (diozero).
     */
    public record Chardev(Path dev, String uapi) {
        public static final Chardev DEFAULTS = new Chardev(Path.of("/dev"), "v2");
    }
}
