package dev.edgetwin.node;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvDefaultsTest {
    @Command(name = "probe")
    static final class Probe {
        @Mixin
        NodeFlags node;

        @Option(names = "--http-port", defaultValue = "8080")
        int httpPort;
    }

    static Probe parse(Map<String, String> env, String... args) {
        Probe p = new Probe();
        new CommandLine(p).setDefaultValueProvider(new EnvDefaults(env)).parseArgs(args);
        return p;
    }

    @Test
    void variableNamesFollowTheLongOption() {
        assertThat(EnvDefaults.variable("--http-port")).isEqualTo("EDGETWIN_HTTP_PORT");
        assertThat(EnvDefaults.variable("--node-id")).isEqualTo("EDGETWIN_NODE_ID");
        assertThat(EnvDefaults.variable("--mqtt-broker")).isEqualTo("EDGETWIN_MQTT_BROKER");
    }

    @Test
    void flagBeatsVariableBeatsBuiltInDefault() {
        assertThat(parse(Map.of()).httpPort).isEqualTo(8080);
        assertThat(parse(Map.of("EDGETWIN_HTTP_PORT", "9000")).httpPort).isEqualTo(9000);
        assertThat(parse(Map.of("EDGETWIN_HTTP_PORT", "9000"), "--http-port", "0").httpPort).isZero();
        Probe p = parse(Map.of("EDGETWIN_NODE_ID", "edge-a", "EDGETWIN_BIND", "0.0.0.0"));
        assertThat(p.node.nodeId).isEqualTo("edge-a");
        assertThat(p.node.bind).isEqualTo("0.0.0.0");
        assertThat(p.node.fsync).isEqualTo("interval:1000");
    }

    @Test
    void validationNamesTheFlagAndItsVariable() {
        assertThatThrownBy(() -> parse(Map.of()).node.validate())
                .hasMessageContaining("--node-id").hasMessageContaining("EDGETWIN_NODE_ID");
        assertThatThrownBy(() -> parse(Map.of("EDGETWIN_NODE_ID", "a", "EDGETWIN_FSYNC", "sometimes")).node.validate())
                .hasMessageStartingWith("--fsync:");
        assertThatThrownBy(() -> NodeFlags.port("--http-port", 70_000)).hasMessageContaining("0..65535");
        Probe ok = parse(Map.of("EDGETWIN_NODE_ID", "edge-a"));
        ok.node.validate();
        assertThat(ok.node.dataDir).isEqualTo(Path.of("data", "edge-a"));
    }
}
