package dev.edgetwin.edge.testkit;

import dev.edgetwin.edge.EdgeMain;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/** An edge (EdgeMain) in a child JVM, for tests that kill it or send it signals. */
public final class ChildEdge {
    private static final Pattern MQTT_PORT = Pattern.compile("mqtt listening on 127\\.0\\.0\\.1:(\\d+)");

    private ChildEdge() {
    }

    /** EdgeMain with this JVM's Chronicle flags and class path, free ports, {@code flags} added; its output into {@code log}. */
    public static Process start(String nodeId, Path data, Path log, String... flags) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("-Dchronicle") || a.startsWith("-Djna")) cmd.add(a);
        }
        cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                EdgeMain.class.getName(), "--node-id", nodeId, "--data-dir", data.toString(), "--http-port", "0", "--mqtt-port", "0"));
        cmd.addAll(List.of(flags));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The embedded broker's port, once the child's log says it listens. */
    public static int mqttPort(Path log) {
        int[] port = {-1};
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Matcher m = MQTT_PORT.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (m.find()) port[0] = Integer.parseInt(m.group(1));
            return port[0] > 0;
        });
        return port[0];
    }
}
