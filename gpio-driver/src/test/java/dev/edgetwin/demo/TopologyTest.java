package dev.edgetwin.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.edgetwin.gpio.config.ConfigReader;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** demo-topology.yaml: what it holds, and what a broken one is told. */
class TopologyTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theDemoTopologyIsACloudTwoEdgesAndAMapperPerEdge() {
        Topology t = Topology.load();
        assertThat(t.names()).containsExactly("cloud", "edge-a", "edge-b", "gpio-edge-a", "gpio-edge-b");
        assertThat(t.cloud().ports()).isEqualTo(Map.of("http", 8080));
        assertThat(t.process("edge-b").ports()).containsEntry("http", 8082).containsEntry("mqtt", 1884);
        assertThat(t.mapperOf("edge-b").name()).isEqualTo("gpio-edge-b");
        assertThat(t.devices()).extracting(Topology.Device::name).containsExactly("lamp-1", "button-1", "lamp-2", "button-2");
        assertThat(t.devices().get(0).registration().has("name")).as("the PUT body has no name").isFalse();
        assertThat(t.devices().get(2).node()).isEqualTo("edge-b");
    }

    @Test
    void everyMapperConfigIsOneTheMapperAcceptsAndServesItsEdgesDevices() {
        Topology t = Topology.load();
        for (Topology.ProcessSpec m : t.all(Topology.Role.GPIO)) {
            var config = ConfigReader.read(ComposeFile.ROOT.resolve(m.config()));
            assertThat(config.devices()).extracting(d -> d.id().replaceFirst("^default/", ""))
                    .containsExactlyInAnyOrderElementsOf(t.devices().stream().filter(d -> d.node().equals(m.edge())).map(Topology.Device::name).toList());
            MapperLines lines = MapperLines.read(ComposeFile.ROOT.resolve(m.config()));
            assertThat(lines.outputs()).hasSize(1);
            assertThat(lines.buttonOf(lines.outputs().get(0).device())).isNotNull();
        }
    }

    @Test
    void aBrokenTopologyIsToldWhatIsWrong() throws Exception {
        assertThatThrownBy(() -> Topology.read(yaml("""
                cloud: {name: cloud, ports: {http: 8080}}
                edges: []
                """))).hasMessageContaining("at least one edge");
        assertThatThrownBy(() -> Topology.read(yaml("""
                cloud: {name: Cloud_1, ports: {http: 8080}}
                edges: [{name: edge-a, ports: {http: 1, mqtt: 2}, mapper: {name: m, config: x.yaml, ports: {http: 3}}}]
                """))).hasMessageContaining("cloud.name").hasMessageContaining("Cloud_1");
        assertThatThrownBy(() -> Topology.read(yaml("""
                cloud: {name: cloud, ports: {http: 8080}}
                edges: [{name: edge-a, ports: {http: 1}, mapper: {name: m, config: x.yaml, ports: {http: 3}}}]
                """))).hasMessageContaining("edges[0].ports.mqtt");
        assertThatThrownBy(() -> Topology.read(yaml("""
                cloud: {name: cloud, ports: {http: 8080}}
                edges: [{name: edge-a, ports: {http: 1, mqtt: 2}, mapper: {name: m, config: x.yaml, ports: {http: 3}}}]
                devices: [{name: lamp-1, node: edge-z}]
                """))).hasMessageContaining("devices[0].node").hasMessageContaining("edge-z");
        assertThatThrownBy(() -> Topology.read(yaml("""
                cloud: {name: cloud, ports: {http: 8080}}
                edges: [{name: cloud, ports: {http: 1, mqtt: 2}, mapper: {name: m, config: x.yaml, ports: {http: 3}}}]
                """))).hasMessageContaining("used twice");
    }

    private static JsonNode yaml(String text) throws Exception {
        return YAML.readTree(text);
    }
}
