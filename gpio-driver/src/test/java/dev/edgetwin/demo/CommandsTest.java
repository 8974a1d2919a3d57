package dev.edgetwin.demo;

import dev.edgetwin.edge.EdgeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command lines bin/twin-demo runs: the contract's launchers and flags, which the launchers' own parsers accept. */
class CommandsTest {
    @TempDir
    Path dir;

    @Test
    void eachProcessGetsTheContractsFlagsWithTheOtherProcessesActualPorts() throws Exception {
        Topology t = Topology.load();
        DemoFolder folder = DemoFolder.prepare(dir.resolve("demo"), false);
        Map<String, String> tokens = folder.tokens(List.of("edge-a", "edge-b"));
        Commands commands = new Commands(ComposeFile.ROOT, folder, tokens, "cloud");
        Map<String, Integer> actual = Map.of("cloud", 41000, "edge-a", 42000);

        List<String> cloud = commands.of(t.cloud(), Map.of("http", 0), (p, n) -> actual.get(p));
        assertThat(cloud.get(0)).isEqualTo(ComposeFile.ROOT.resolve("bin/twin-cloud").toString());
        var c = Launchers.cloud(cloud.subList(1, cloud.size()));
        assertThat(c.nodeId()).isEqualTo("cloud");
        assertThat(c.httpPort()).isZero();
        assertThat(c.tokenFile()).isEqualTo(folder.tokenFile());
        assertThat(c.dataDir()).isEqualTo(folder.nodeData("cloud"));
        assertThat(c.bind()).as("loopback only").isEqualTo("127.0.0.1");

        List<String> edge = commands.of(t.process("edge-a"), Map.of("http", 8081, "mqtt", 1883), (p, n) -> actual.get(p));
        EdgeConfig e = Launchers.edge(edge.subList(1, edge.size()));
        assertThat(e.cloudUrl()).isEqualTo("ws://127.0.0.1:41000/sync/v1");
        assertThat(e.token()).isEqualTo(tokens.get("edge-a"));
        assertThat(e.httpPort()).isEqualTo(8081);

        List<String> gpio = commands.of(t.process("gpio-edge-a"), Map.of("http", 0), (p, n) -> actual.get(p));
        var g = Launchers.parse(Launchers.Role.GPIO, gpio.subList(1, gpio.size()));
        assertThat(g.matchedOptionValue("--mqtt", "")).isEqualTo("tcp://127.0.0.1:42000");
        assertThat(g.matchedOptionValue("--node", "")).isEqualTo("edge-a");
        assertThat(g.matchedOptionValue("--config", Path.of(""))).isEqualTo(ComposeFile.ROOT.resolve("gpio-driver/examples/lamp-sim.yaml"));
        assertThat(g.matchedOptionValue("--sim-http-port", -2)).isZero();
    }

    @Test
    void childrenDoNotInheritEdgetwinVariablesNorBuild() {
        Map<String, String> env = Commands.environment(Map.of("PATH", "/usr/bin", "EDGETWIN_HTTP_PORT", "9999", "EDGETWIN_KUBE", "true",
                "EDGETWIN_DEMO_FREE_PORTS", "true"), Topology.Role.EDGE);
        assertThat(env).containsEntry("PATH", "/usr/bin").containsEntry("EDGETWIN_NO_BUILD", "1")
                .containsEntry("EDGETWIN_JAVA_OPTS", Commands.NODE_JAVA_OPTS)
                .doesNotContainKeys("EDGETWIN_HTTP_PORT", "EDGETWIN_KUBE", "EDGETWIN_DEMO_FREE_PORTS");
        assertThat(Commands.environment(Map.of("EDGETWIN_JAVA_OPTS", "-Xmx1g"), Topology.Role.CLOUD)).containsEntry("EDGETWIN_JAVA_OPTS", "-Xmx1g");
        assertThat(Commands.environment(Map.of(), Topology.Role.GPIO)).doesNotContainKey("EDGETWIN_JAVA_OPTS");
    }

    @Test
    void aTokenIsNotWrittenIntoALog() {
        assertThat(Supervisor.masked(List.of("bin/twin-edge", "--token", "s3cr3t", "--node-id", "edge-a")))
                .containsExactly("bin/twin-edge", "--token", "****", "--node-id", "edge-a");
    }
}
