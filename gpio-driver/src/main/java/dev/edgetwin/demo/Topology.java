package dev.edgetwin.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The demo cluster as data: {@code demo-topology.yaml} on the classpath, the one description that
 * {@code bin/twin-demo} runs and {@code docker/docker-compose.yml} is checked against.
 *
 * @param processes every process in start order: the cloud, the edges, then one mapper per edge
 * @param devices   the devices registered at the cloud, each with the body of its {@code PUT}
 */
public record Topology(List<ProcessSpec> processes, List<Device> devices) {
    public static final String RESOURCE = "/demo-topology.yaml";
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public Topology {
        processes = List.copyOf(processes);
        devices = List.copyOf(devices);
    }

    /** What a process is; it decides the launcher and the ports it must open before it counts as up. */
    public enum Role {
        CLOUD("bin/twin-cloud", List.of("http")),
        EDGE("bin/twin-edge", List.of("http", "mqtt")),
        GPIO("bin/twin-gpio", List.of("http"));

        public final String launcher;
        public final List<String> ports;

        Role(String launcher, List<String> ports) {
            this.launcher = launcher;
            this.ports = ports;
        }
    }

    /**
     * One process of the demo.
     *
     * @param name   its name: the node id of a cloud or edge, and its compose service name
     * @param ports  port name ({@code http}, {@code mqtt}) → the default port
     * @param edge   for a mapper, the edge whose broker it talks to; for an edge, itself; null for the cloud
     * @param config for a mapper, its config file relative to the repository root
     */
    public record ProcessSpec(String name, Role role, Map<String, Integer> ports, String edge, String config) {
        public ProcessSpec {
            ports = Collections.unmodifiableMap(new LinkedHashMap<>(ports));
        }
    }

    /** A device and the body of its {@code PUT /api/v1/devices/{name}} ({@code node}, {@code model}, {@code attributes}, {@code twin}). */
    public record Device(String name, ObjectNode registration) {
        public String node() {
            return registration.path("node").asText();
        }
    }

    /** The topology shipped in the jar. */
    public static Topology load() {
        try (InputStream in = Topology.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            return read(YAML.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** Reads and checks a topology document; an {@link IllegalArgumentException} names what is wrong. */
    static Topology read(JsonNode root) {
        List<ProcessSpec> processes = new ArrayList<>();
        List<ProcessSpec> mappers = new ArrayList<>();
        JsonNode cloud = root.path("cloud");
        processes.add(new ProcessSpec(name(cloud, "cloud"), Role.CLOUD, ports(cloud, "cloud", Role.CLOUD), null, null));
        JsonNode edges = root.path("edges");
        if (!edges.isArray() || edges.isEmpty()) throw new IllegalArgumentException("edges: at least one edge is needed");
        for (int i = 0; i < edges.size(); i++) {
            JsonNode edge = edges.get(i);
            String at = "edges[" + i + "]";
            String name = name(edge, at);
            processes.add(new ProcessSpec(name, Role.EDGE, ports(edge, at, Role.EDGE), name, null));
            JsonNode mapper = edge.path("mapper");
            String config = mapper.path("config").asText("");
            if (config.isEmpty()) throw new IllegalArgumentException(at + ".mapper.config: missing");
            mappers.add(new ProcessSpec(name(mapper, at + ".mapper"), Role.GPIO, ports(mapper, at + ".mapper", Role.GPIO), name, config));
        }
        processes.addAll(mappers);
        Set<String> names = new HashSet<>();
        for (ProcessSpec p : processes) {
            if (!names.add(p.name())) throw new IllegalArgumentException("process name " + p.name() + " is used twice");
        }
        List<Device> devices = new ArrayList<>();
        JsonNode list = root.path("devices");
        for (int i = 0; i < list.size(); i++) {
            JsonNode d = list.get(i);
            String name = name(d, "devices[" + i + "]");
            ObjectNode body = ((ObjectNode) d).deepCopy();
            body.remove("name");
            Device device = new Device(name, body);
            if (processes.stream().noneMatch(p -> p.role() == Role.EDGE && p.name().equals(device.node()))) {
                throw new IllegalArgumentException("devices[" + i + "].node: " + device.node() + " is not an edge of the topology");
            }
            devices.add(device);
        }
        return new Topology(processes, devices);
    }

    private static String name(JsonNode node, String at) {
        String name = node.path("name").asText("");
        if (!NAME.matcher(name).matches()) throw new IllegalArgumentException(at + ".name: not a Kubernetes object name: '" + name + "'");
        return name;
    }

    private static Map<String, Integer> ports(JsonNode node, String at, Role role) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String port : role.ports) {
            JsonNode p = node.path("ports").path(port);
            if (!p.canConvertToInt() || p.asInt() < 0 || p.asInt() > 65_535) {
                throw new IllegalArgumentException(at + ".ports." + port + ": a port 0..65535 is needed, got " + p);
            }
            ports.put(port, p.asInt());
        }
        return ports;
    }

    public ProcessSpec process(String name) {
        return processes.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no process named " + name + " (known: " + names() + ")"));
    }

    public List<String> names() {
        return processes.stream().map(ProcessSpec::name).toList();
    }

    public ProcessSpec cloud() {
        return processes.get(0);
    }

    /** The processes of one role, in start order. */
    public List<ProcessSpec> all(Role role) {
        return processes.stream().filter(p -> p.role() == role).toList();
    }

    /** The mapper of an edge. */
    public ProcessSpec mapperOf(String edge) {
        return processes.stream().filter(p -> p.role() == Role.GPIO && p.edge().equals(edge)).findFirst().orElseThrow();
    }
}
