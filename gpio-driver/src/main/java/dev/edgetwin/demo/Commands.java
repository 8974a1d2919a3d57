package dev.edgetwin.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The command lines of the demo's processes: the launchers and flags of the interface contract
 * (DESIGN.md section 8), on loopback, with a sync token per edge, and each node's data in the
 * demo folder. Children get the demo's environment without other EDGETWIN_* variables (a flag
 * set that way would quietly change the demo), never build (the demo built once, up front), and
 * small JVMs unless EDGETWIN_JAVA_OPTS says otherwise.
 */
final class Commands {
    static final String LOOPBACK = "127.0.0.1";
    /** JVM options for the nodes when EDGETWIN_JAVA_OPTS is not set: five JVMs share a laptop. */
    static final String NODE_JAVA_OPTS = "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    private final Path root;
    private final DemoFolder folder;
    private final Map<String, String> tokens;
    private final String cloud;

    Commands(Path root, DemoFolder folder, Map<String, String> tokens, String cloud) {
        this.root = root;
        this.folder = folder;
        this.tokens = tokens;
        this.cloud = cloud;
    }

    /**
     * The command of {@code p} with its own ports {@code own}; {@code port} gives another process's
     * actual port (the cloud's for an edge, the edge's broker for a mapper).
     */
    List<String> of(Topology.ProcessSpec p, Map<String, Integer> own, BiFunction<String, String, Integer> port) {
        List<String> c = new ArrayList<>();
        c.add(root.resolve(p.role().launcher).toString());
        switch (p.role()) {
            case CLOUD -> c.addAll(List.of("--node-id", p.name(), "--data-dir", folder.nodeData(p.name()).toString(),
                    "--http-port", String.valueOf(own.get("http")), "--token-file", folder.tokenFile().toString()));
            case EDGE -> c.addAll(List.of("--node-id", p.name(), "--data-dir", folder.nodeData(p.name()).toString(),
                    "--http-port", String.valueOf(own.get("http")), "--mqtt-port", String.valueOf(own.get("mqtt")),
                    "--cloud", "ws://" + LOOPBACK + ":" + port.apply(cloud, "http") + "/sync/v1",
                    "--token", tokens.get(p.name())));
            case GPIO -> c.addAll(List.of("--config", root.resolve(p.config()).toString(),
                    "--mqtt", "tcp://" + LOOPBACK + ":" + port.apply(p.edge(), "mqtt"), "--node", p.edge(),
                    "--sim-http-port", String.valueOf(own.get("http"))));
        }
        return c;
    }

    /** The environment of a child, from the demo's. */
    static Map<String, String> environment(Map<String, String> base, Topology.Role role) {
        Map<String, String> env = new HashMap<>();
        base.forEach((k, v) -> {
            if (!k.startsWith("EDGETWIN_") || k.equals("EDGETWIN_JAVA_OPTS")) env.put(k, v);
        });
        env.put("EDGETWIN_NO_BUILD", "1");
        if (role != Topology.Role.GPIO && !env.containsKey("EDGETWIN_JAVA_OPTS")) env.put("EDGETWIN_JAVA_OPTS", NODE_JAVA_OPTS);
        return env;
    }
}
