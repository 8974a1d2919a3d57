package dev.edgetwin.gpio;

import dev.edgetwin.gpio.config.ConfigReader;
import dev.edgetwin.gpio.config.MapperConfig;
import dev.edgetwin.gpio.testing.FakeKubeEdge;
import dev.edgetwin.gpio.testing.TestBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code bin/twin-gpio}'s command line, and the last will when the process is killed. */
class GpioMainTest {
    @TempDir
    Path dir;

    record Run(int code, String err, String out) {
    }

    static Run run(String... args) {
        PrintStream err = System.err;
        PrintStream out = System.out;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        try {
            int code = GpioMain.run(args);
            return new Run(code, e.toString(StandardCharsets.UTF_8), o.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
    }

    @Test
    void checkAcceptsTheExamples() {
        for (String example : List.of("examples/lamp-sim.yaml", "examples/lamp-sim-edge-b.yaml", "examples/lamp-raspberry-pi.yaml", "examples/lamp-sysfs.yaml")) {
            Run r = run("--config", example, "--check");
            assertThat(r.code()).as(example + ": " + r.err()).isZero();
            assertThat(r.out()).startsWith("config ok:");
        }
    }

    @Test
    void aBadConfigExitsWithTwoAndNamesTheField() throws IOException {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, """
                devices:
                  - name: lamp-1
                    properties:
                      powerstatus: {backend: sim, chip: sim0, line: -3, direction: out}
                """);
        Run r = run("--config", config.toString(), "--check");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("config:invalid").contains("devices[0].properties.powerstatus.line: must be an integer 0..65535, got -3");
    }

    @Test
    void badFlagsExitWithTwo() {
        assertThat(run("--check").err()).contains("missing --config");
        assertThat(run("--check").code()).isEqualTo(2);
        Run r = run("--config", "examples/lamp-sim.yaml", "--mqtt", "http://127.0.0.1:1883");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--mqtt: the scheme must be tcp://");
        assertThat(run("--config", dir.resolve("missing.yaml").toString()).err()).contains("cannot read the file");
    }

    @Test
    void aLineThatCannotBeHadExitsWithOne() throws IOException {
        Path config = dir.resolve("chardev.yaml");
        Files.writeString(config, """
                chardev: {dev: %s}
                devices:
                  - name: lamp-1
                    properties:
                      powerstatus: {backend: chardev, chip: gpiochip0, line: 18, direction: out}
                """.formatted(dir));
        Run r = run("--config", config.toString(), "--mqtt", "tcp://127.0.0.1:1");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("gpio:chip.missing").contains("gpiochip0 does not exist");
    }

    @Test
    void everyOptionHasItsEnvironmentVariable() {
        int options = 0;
        for (Field field : GpioMain.class.getDeclaredFields()) {
            CommandLine.Option option = field.getAnnotation(CommandLine.Option.class);
            if (option == null) continue;
            options++;
            String variable = "EDGETWIN_" + option.names()[0].substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
            assertThat(option.defaultValue()).as(option.names()[0]).startsWith("${env:" + variable);
        }
        assertThat(options).isEqualTo(6);
    }

    @Test
    void bindSetsTheSimulatedChipsHttpAddress() {
        MapperConfig config = ConfigReader.read(Path.of("examples/lamp-sim.yaml"));
        assertThat(config.sim().httpHost()).isEqualTo("127.0.0.1");
        assertThat(GpioMain.withBind(config, null)).isSameAs(config);
        MapperConfig bound = GpioMain.withBind(config, "0.0.0.0");
        assertThat(bound.sim().httpHost()).isEqualTo("0.0.0.0");
        assertThat(bound.sim().lines()).isEqualTo(config.sim().lines());
        assertThat(bound.devices()).isEqualTo(config.devices());
    }

    @Test
    void killedProcessLeavesTheLastWillOffline() throws Exception {
        try (TestBroker broker = TestBroker.start(); FakeKubeEdge edge = FakeKubeEdge.connect("edge-a", broker.port())) {
            edge.knowDevice("default/lamp-1");
            edge.knowDevice("default/button-1");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-cp", System.getProperty("java.class.path"), GpioMain.class.getName(),
                    "--config", "examples/lamp-sim.yaml", "--node", "edge-a"));
            Path log = dir.resolve("twin-gpio.log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("EDGETWIN_MQTT", broker.url()); // flags may come from the environment
            builder.environment().put("EDGETWIN_SIM_HTTP_PORT", "0");
            Process child = builder.start();
            try {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(edge.state("default/lamp-1")).isEqualTo("online");
                    assertThat(edge.actual("default/lamp-1", "powerstatus")).isEqualTo("OFF");
                });
                assertThat(Files.readString(log)).containsPattern("gpio http listening on 127\\.0\\.0\\.1:\\d+");
                child.destroyForcibly(); // SIGKILL: no DISCONNECT, the broker publishes each device's will
                child.waitFor();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(edge.state("default/lamp-1")).isEqualTo("offline");
                    assertThat(edge.state("default/button-1")).isEqualTo("offline");
                });
            } finally {
                child.destroyForcibly();
            }
        }
    }
}
