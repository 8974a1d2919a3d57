package dev.edgetwin.demo;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.BiFunction;

/** What the demo prints once it is up: where everything listens, what to try, where the logs are. */
final class Guide {
    private final Topology topology;
    private final Path root;
    private final DemoFolder folder;
    private final boolean defaultFolder;
    private final boolean temporary;
    private final Path cwd;

    Guide(Topology topology, Path root, DemoFolder folder, boolean defaultFolder, boolean temporary, Path cwd) {
        this.topology = topology;
        this.root = root;
        this.folder = folder;
        this.defaultFolder = defaultFolder;
        this.temporary = temporary;
        this.cwd = cwd;
    }

    /** What becomes of the data when the demo stops. */
    String dataAfterStop() {
        return temporary ? "the temporary folder " + show(folder.root()) + " is deleted"
                : "the data stays in " + show(folder.root()) + " (--wipe starts afresh)";
    }

    /** The guide for the ports the processes got. */
    String text(BiFunction<String, String, Integer> port, double seconds) {
        String cloud = url(port.apply(topology.cloud().name(), "http"));
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%nEdgeTwin demo is up (%.1f s): %s %s", seconds, topology.cloud().name(), cloud));
        for (Topology.ProcessSpec edge : topology.all(Topology.Role.EDGE)) {
            s.append(" · ").append(edge.name()).append(' ').append(url(port.apply(edge.name(), "http")))
                    .append(" (mqtt ").append(port.apply(edge.name(), "mqtt")).append(')');
        }
        s.append('\n');
        Topology.ProcessSpec firstEdge = topology.all(Topology.Role.EDGE).get(0);
        Topology.ProcessSpec lastEdge = topology.all(Topology.Role.EDGE).get(topology.all(Topology.Role.EDGE).size() - 1);
        for (Topology.ProcessSpec edge : topology.all(Topology.Role.EDGE)) {
            Topology.ProcessSpec mapper = topology.mapperOf(edge.name());
            for (MapperLines.Line lamp : lines(mapper).outputs()) {
                s.append("  ").append(lamp.device()).append(" on ").append(edge.name()).append(": line ").append(lamp.address())
                        .append(" of ").append(mapper.name()).append(' ').append(url(port.apply(mapper.name(), "http"))).append("/gpio");
                MapperLines.Line button = lines(mapper).buttonOf(lamp.device());
                if (button != null) s.append(", its button ").append(button.device()).append(" on line ").append(button.address());
                s.append('\n');
            }
        }
        MapperLines.Line lamp = lines(topology.mapperOf(firstEdge.name())).outputs().get(0);
        MapperLines.Line button = lines(topology.mapperOf(firstEdge.name())).buttonOf(lamp.device());
        String gpio = url(port.apply(topology.mapperOf(firstEdge.name()).name(), "http"));
        MapperLines.Line other = lines(topology.mapperOf(lastEdge.name())).outputs().get(0);
        String otherGpio = url(port.apply(topology.mapperOf(lastEdge.name()).name(), "http"));
        String patch = "curl -sS -X PATCH %s/api/v1/devices/%s/desired -H 'content-type: application/merge-patch+json' -d '{\"%s\":\"ON\"}'";
        s.append("\nTry it, in another terminal:\n");
        s.append("  # switch ").append(lamp.device()).append(" ON from the cloud: ").append(firstEdge.name())
                .append(" gets it over sync, its mapper drives the line and reports back\n");
        s.append("  ").append(String.format(patch, cloud, lamp.device(), lamp.property())).append('\n');
        s.append("  curl -sS ").append(gpio).append("/gpio/").append(lamp.address()).append("        # the simulated line: \"level\":1\n");
        s.append("  curl -sS ").append(cloud).append("/api/v1/devices/").append(lamp.device())
                .append("     # the twin at the cloud: reported ON, \"inSync\":true\n");
        s.append("  curl -sS ").append(cloud).append("/api/v1/nodes                 # the edges, connected, with their replication lag\n");
        s.append("  curl -sS -N '").append(cloud).append("/api/v1/watch?device=").append(lamp.device())
                .append("'   # every change as it happens (Server-Sent Events)\n");
        if (button != null) {
            s.append("  curl -sS -X POST ").append(gpio).append("/gpio/").append(button.address()).append("/press   # press ")
                    .append(button.device()).append(": ").append(lamp.device()).append(" toggles\n");
        }
        s.append("  # an edge offline: stop ").append(lastEdge.name()).append(", change ").append(other.device())
                .append(" at the cloud, audit the stopped edge's journal, start it again: it converges\n");
        s.append("  ").append(self()).append(" stop ").append(lastEdge.name()).append('\n');
        s.append("  ").append(String.format(patch, cloud, other.device(), other.property())).append('\n');
        s.append("  ").append(bin("twinctl")).append(" history --data-dir ").append(show(folder.nodeData(lastEdge.name())))
                .append(" --device ").append(other.device()).append('\n');
        s.append("  ").append(self()).append(" start ").append(lastEdge.name()).append('\n');
        s.append("  curl -sS ").append(otherGpio).append("/gpio/").append(other.address()).append("        # \"level\":1\n");
        s.append("\nLogs: ").append(show(folder.root().resolve("logs"))).append("/<process>.log, one per process (")
                .append(String.join(", ", topology.names())).append("); this terminal shows a line per event worth knowing.\n");
        s.append("State, PIDs, ports and command lines: ").append(show(folder.state())).append(", or ").append(self()).append(" status\n");
        s.append("Ctrl-C stops every process the demo started; ").append(dataAfterStop()).append(".\n");
        return s.toString();
    }

    private MapperLines lines(Topology.ProcessSpec mapper) {
        return MapperLines.read(root.resolve(mapper.config()));
    }

    private static String url(int port) {
        return "http://" + Commands.LOOPBACK + ":" + port;
    }

    /** The command that reaches this demo: with its --data-dir unless it is the default one. */
    String self() {
        return bin("twin-demo") + (defaultFolder ? "" : " --data-dir " + show(folder.root()));
    }

    private String bin(String launcher) {
        return show(root.resolve("bin").resolve(launcher));
    }

    /** A path as short as it can be said from where the user is. */
    String show(Path path) {
        Path p = path.toAbsolutePath().normalize();
        return p.startsWith(cwd) && !p.equals(cwd) ? cwd.relativize(p).toString() : p.toString();
    }
}
