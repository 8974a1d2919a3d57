package dev.edgetwin.demo;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The supervisor with small shell processes standing in for the nodes: ports read from the log,
 * output in the process's own log file, exits handed to the policy with their codes, SIGTERM and
 * then SIGKILL for one that ignores it.
 */
class SupervisorTest {
    @TempDir
    Path dir;
    static final Duration GRACE = Duration.ofSeconds(1);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Terminal terminal = new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8), 8);
    private final Map<String, Integer> exits = new ConcurrentHashMap<>();
    private Supervisor supervisor;
    private Child child;

    private Child child(String name) {
        return new Child(new Topology.ProcessSpec(name, Topology.Role.GPIO, Map.of("http", 0), "edge-a", "x.yaml"), dir.resolve(name + ".log"));
    }

    private void start(Child c, String script) throws Exception {
        supervisor = new Supervisor(dir, Map.of("PATH", System.getenv("PATH"), "EDGETWIN_TOKEN", "leak"), terminal, GRACE);
        supervisor.onExit((ch, code) -> exits.put(ch.name(), code));
        supervisor.launch(c, List.of("/bin/sh", "-c", script, "sh", "--token", "s3cr3t"), c.log.toString());
    }

    @AfterEach
    void cleanUp() {
        if (child != null && child.alive()) child.process.destroyForcibly();
        if (supervisor != null) supervisor.close();
    }

    @Test
    void portsAndStatusComeFromTheLogAndAStopIsASigterm() throws Exception {
        child = child("gpio-x");
        start(child, "echo \"2026 INFO SimHttp - gpio http listening on 127.0.0.1:43647\"; echo \"EDGETWIN_TOKEN=$EDGETWIN_TOKEN\";"
                + " echo \"2026 WARN DeviceLink - default/lamp-1 mqtt connection to 127.0.0.1:1 lost\"; exec sleep 60");
        await().atMost(Duration.ofSeconds(10)).until(child::listening);
        assertThat(child.ports).containsEntry("http", 43647);
        assertThat(child.state).isEqualTo(Child.State.STARTING);
        await().atMost(Duration.ofSeconds(10)).until(() -> out.toString(StandardCharsets.UTF_8).contains("WARN default/lamp-1"));
        Integer code = supervisor.stop(child);
        assertThat(code).as("SIGTERM").isEqualTo(143);
        assertThat(exits).containsEntry("gpio-x", 143);
        assertThat(child.stopRequested).isTrue();
        String log = Files.readString(child.log);
        assertThat(log).startsWith("--- twin-demo ").contains("--token ****").doesNotContain("s3cr3t");
        assertThat(log).contains("EDGETWIN_TOKEN=\n").as("no EDGETWIN_* variable reaches a child");
        assertThat(child.tail()).anyMatch(l -> l.contains("listening on"));
    }

    @Test
    void anExitOfItsOwnReachesThePolicyWithItsCodeAndLastLines() throws Exception {
        child = child("edge-x");
        start(child, "echo 'error: --http-port must be 0..65535'; exit 2");
        await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey("edge-x"));
        assertThat(exits.get("edge-x")).isEqualTo(2);
        assertThat(child.exitCode).isEqualTo(2);
        assertThat(child.tail()).contains("error: --http-port must be 0..65535");
        assertThat(child.stopRequested).isFalse();
    }

    @Test
    void oneThatIgnoresSigtermIsKilledAfterTheGrace() throws Exception {
        child = child("stubborn");
        start(child, "trap '' TERM; echo ready; while true; do sleep 1; done");
        await().atMost(Duration.ofSeconds(10)).until(() -> child.tail().contains("ready"));
        long started = System.nanoTime();
        Integer code = supervisor.stop(child);
        assertThat(code).as("SIGKILL").isEqualTo(137);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(GRACE);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("did not stop within 1 s after SIGTERM: SIGKILL");
    }

    @Test
    void theSameStatusLineIsNotRepeatedWithinAMinute() {
        Child c = child("gpio-y");
        assertThat(c.firstInAWhile("WARN cannot connect", Supervisor.REPEAT_QUIET_NANOS)).isTrue();
        assertThat(c.firstInAWhile("WARN cannot connect", Supervisor.REPEAT_QUIET_NANOS)).isFalse();
        assertThat(c.firstInAWhile("WARN other", Supervisor.REPEAT_QUIET_NANOS)).isTrue();
        assertThat(c.firstInAWhile("WARN cannot connect", 0)).isTrue();
    }
}
