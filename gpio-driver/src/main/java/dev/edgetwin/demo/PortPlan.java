package dev.edgetwin.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ports the demo asks its processes for: the topology's defaults, each overridable by
 * {@code EDGETWIN_DEMO_<PROCESS>_<PORT>_PORT} ({@code EDGETWIN_DEMO_EDGE_A_MQTT_PORT=1885}), or 0
 * for every one in free-port mode, where each process picks a free port and logs it. A port of 0
 * given by a variable is free too; the demo then reads that process's port from its log.
 */
final class PortPlan {
    private final Map<String, Map<String, Integer>> ports;

    private PortPlan(Map<String, Map<String, Integer>> ports) {
        this.ports = ports;
    }

    /** The variable overriding one port: {@code EDGETWIN_DEMO_GPIO_EDGE_A_HTTP_PORT}. */
    static String variable(String process, String port) {
        return "EDGETWIN_DEMO_" + (process + "_" + port).toUpperCase(Locale.ROOT).replace('-', '_') + "_PORT";
    }

    /** The plan for {@code topology}; throws {@link IllegalArgumentException} naming a bad variable or a port used twice. */
    static PortPlan of(Topology topology, Map<String, String> env, boolean free) {
        Map<String, Map<String, Integer>> all = new LinkedHashMap<>();
        Map<Integer, String> taken = new HashMap<>();
        for (Topology.ProcessSpec p : topology.processes()) {
            Map<String, Integer> mine = new LinkedHashMap<>();
            for (Map.Entry<String, Integer> e : p.ports().entrySet()) {
                String variable = variable(p.name(), e.getKey());
                int port = free ? 0 : e.getValue();
                String text = env.get(variable);
                if (!free && text != null && !text.isBlank()) port = parse(variable, text.trim());
                if (port != 0) {
                    String other = taken.putIfAbsent(port, variable);
                    if (other != null) throw new IllegalArgumentException("port " + port + " is asked for twice: " + other + " and " + variable);
                }
                mine.put(e.getKey(), port);
            }
            all.put(p.name(), mine);
        }
        return new PortPlan(all);
    }

    private static int parse(String variable, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65_535) return port;
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException(variable + " must be a port 0..65535 (0 = a free one), got '" + text + "'");
    }

    /** The port asked for, 0 meaning "any free one". */
    int port(String process, String port) {
        return ports.get(process).get(port);
    }

    Map<String, Integer> of(String process) {
        return ports.get(process);
    }

    /**
     * Fixed ports another program already listens on, as lines naming the port and its variable:
     * found before anything starts, so the demo does not half start.
     */
    List<String> busy() {
        List<String> busy = new ArrayList<>();
        ports.forEach((process, mine) -> mine.forEach((name, port) -> {
            if (port != 0 && !free(port)) {
                busy.add("port " + port + " (" + process + " " + name + ") is in use: set " + variable(process, name)
                        + " to another port, or run with --free-ports");
            }
        }));
        return busy;
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true); // a port in TIME_WAIT from a previous run is usable, as the nodes' servers find
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
