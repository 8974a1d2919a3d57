package dev.edgetwin.demo;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker/docker-compose.yml runs the topology bin/twin-demo runs (demo-topology.yaml, read by both):
 * the same processes under the same names, node ids, ports, which mapper talks to which edge with
 * which config, which cloud the edges sync with and with which token, and the same device
 * registrations (the compose file's one-shot job is bin/twin-demo's own register command).
 */
class ComposeTopologyTest {
    private final Topology topology = Topology.load();
    private final ComposeFile compose = new ComposeFile(Map.of());
    private final DockerfileModel docker = DockerfileModel.read();

    @Test
    void theServicesAreTheDemosProcessesWithTheirRoles() {
        List<String> nodes = new ArrayList<>();
        for (String s : compose.services()) {
            String target = compose.target(s);
            if (target != null && !target.equals("demo") && compose.active(s, List.of())) nodes.add(s);
        }
        assertThat(nodes).containsExactlyInAnyOrderElementsOf(topology.names());
        for (Topology.ProcessSpec p : topology.processes()) {
            assertThat(compose.target(p.name())).as(p.name()).isEqualTo(p.role().name().toLowerCase(java.util.Locale.ROOT));
        }
        assertThat(compose.services()).contains("register", "mosquitto");
    }

    @Test
    void nodeIdsPortsAndTheSyncLinksAreTheDemos() {
        Topology.ProcessSpec cloud = topology.cloud();
        int cloudPort = cloud.ports().get("http");
        assertThat(compose.environment(cloud.name())).containsEntry("EDGETWIN_NODE_ID", cloud.name())
                .containsEntry("EDGETWIN_HTTP_PORT", String.valueOf(cloudPort));
        assertThat(compose.strings(cloud.name(), "ports")).containsExactly(published(cloudPort));
        for (Topology.ProcessSpec edge : topology.all(Topology.Role.EDGE)) {
            Map<String, String> env = compose.environment(edge.name());
            assertThat(env).containsEntry("EDGETWIN_NODE_ID", edge.name())
                    .containsEntry("EDGETWIN_HTTP_PORT", String.valueOf(edge.ports().get("http")))
                    .containsEntry("EDGETWIN_MQTT_PORT", String.valueOf(edge.ports().get("mqtt")))
                    .containsEntry("EDGETWIN_CLOUD", "ws://" + cloud.name() + ":" + cloudPort + "/sync/v1");
            assertThat(compose.strings(edge.name(), "ports")).containsExactly(published(edge.ports().get("http")), published(edge.ports().get("mqtt")));
        }
    }

    @Test
    void eachMapperTalksToItsEdgeWithTheDemosConfig() {
        for (Topology.ProcessSpec mapper : topology.all(Topology.Role.GPIO)) {
            Topology.ProcessSpec edge = topology.process(mapper.edge());
            Map<String, String> env = compose.environment(mapper.name());
            assertThat(env).as(mapper.name()).containsEntry("EDGETWIN_NODE", edge.name())
                    .containsEntry("EDGETWIN_MQTT", "tcp://" + edge.name() + ":" + edge.ports().get("mqtt"))
                    .containsEntry("EDGETWIN_SIM_HTTP_PORT", String.valueOf(mapper.ports().get("http")));
            assertThat(docker.sourceOf("gpio", env.get("EDGETWIN_CONFIG"))).as(mapper.name() + "'s config")
                    .isEqualTo(ComposeFile.ROOT.resolve(mapper.config()));
            assertThat(compose.strings(mapper.name(), "ports")).containsExactly(published(mapper.ports().get("http")));
            assertThat(compose.service(mapper.name()).path("depends_on").toString()).contains(edge.name());
        }
    }

    @Test
    void everyPublishedPortIsOnLoopbackAndUsedOnce() {
        Set<String> hostPorts = new HashSet<>();
        for (String s : compose.services()) {
            for (String p : compose.strings(s, "ports")) {
                assertThat(p).as(s).startsWith("127.0.0.1:");
                assertThat(hostPorts.add(p.split(":")[1])).as("host port " + p + " once").isTrue();
            }
        }
    }

    @Test
    void theEdgesTokensAreTheCloudsTokenFile() throws IOException {
        JsonNode secret = compose.root.path("secrets").path("sync-tokens");
        Map<String, String> file = new LinkedHashMap<>();
        for (String line : Files.readAllLines(ComposeFile.FILE.getParent().resolve(secret.path("file").asText()).normalize())) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.trim().split("\\s+");
            file.put(f[0], f[1]);
        }
        List<String> edges = topology.all(Topology.Role.EDGE).stream().map(Topology.ProcessSpec::name).toList();
        assertThat(file.keySet()).containsExactlyElementsOf(edges);
        for (String edge : edges) {
            assertThat(compose.environment(edge).get("EDGETWIN_TOKEN")).as(edge).isEqualTo(file.get(edge));
        }
        assertThat(compose.strings("cloud", "secrets")).containsExactly("sync-tokens");
        assertThat(compose.environment("cloud")).containsEntry("EDGETWIN_TOKEN_FILE", "/run/secrets/sync-tokens");
    }

    @Test
    void theDevicesAreRegisteredByTheDemosOwnRegisterCommandOnceTheCloudIsHealthy() {
        assertThat(compose.target("register")).isEqualTo("demo");
        assertThat(compose.strings("register", "command"))
                .containsExactly("register", "--cloud", "http://" + topology.cloud().name() + ":" + topology.cloud().ports().get("http"));
        assertThat(compose.service("register").path("depends_on").path("cloud").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(compose.service("register").path("restart").asText()).isEqualTo("no");
        // what it registers: the topology in the jar, checked against the mappers' configs here
        for (Topology.ProcessSpec mapper : topology.all(Topology.Role.GPIO)) {
            List<String> served = MapperLines.read(ComposeFile.ROOT.resolve(mapper.config())).lines().stream()
                    .map(MapperLines.Line::device).distinct().toList();
            List<String> registered = topology.devices().stream().filter(d -> d.node().equals(mapper.edge())).map(Topology.Device::name).toList();
            assertThat(served).as(mapper.name() + " serves the devices registered on " + mapper.edge()).containsExactlyInAnyOrderElementsOf(registered);
        }
    }

    @Test
    void everyNodeKeepsItsDataInANamedVolumeAtTheImagesVolume() {
        String volume = docker.effective("cloud", "VOLUME").args().replaceAll("[\\[\\]\" ]", "");
        for (String s : List.of("cloud", "edge-a", "edge-b")) {
            List<String> mounts = compose.strings(s, "volumes");
            assertThat(mounts).as(s).singleElement().satisfies(m -> {
                String[] f = m.split(":");
                assertThat(f[1]).isEqualTo(volume);
                assertThat(compose.root.path("volumes").has(f[0])).as("named volume " + f[0]).isTrue();
            });
        }
    }

    private static String published(int port) {
        return "127.0.0.1:" + port + ":" + port;
    }
}
