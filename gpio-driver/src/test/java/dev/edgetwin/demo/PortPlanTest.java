package dev.edgetwin.demo;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortPlanTest {
    private final Topology topology = Topology.load();

    @Test
    void theDefaultsComeFromTheTopologyAndEachHasItsVariable() {
        PortPlan plan = PortPlan.of(topology, Map.of(), false);
        assertThat(plan.port("cloud", "http")).isEqualTo(8080);
        assertThat(plan.port("edge-a", "mqtt")).isEqualTo(1883);
        assertThat(plan.port("gpio-edge-b", "http")).isEqualTo(8092);
        assertThat(PortPlan.variable("gpio-edge-a", "http")).isEqualTo("EDGETWIN_DEMO_GPIO_EDGE_A_HTTP_PORT");
        assertThat(PortPlan.variable("cloud", "http")).isEqualTo("EDGETWIN_DEMO_CLOUD_HTTP_PORT");
    }

    @Test
    void variablesOverrideOnePortAndFreePortsMakesThemAllZero() {
        PortPlan plan = PortPlan.of(topology, Map.of("EDGETWIN_DEMO_CLOUD_HTTP_PORT", "9080", "EDGETWIN_DEMO_EDGE_A_MQTT_PORT", "0"), false);
        assertThat(plan.port("cloud", "http")).isEqualTo(9080);
        assertThat(plan.port("edge-a", "mqtt")).isZero();
        assertThat(plan.port("edge-a", "http")).isEqualTo(8081);
        PortPlan free = PortPlan.of(topology, Map.of("EDGETWIN_DEMO_CLOUD_HTTP_PORT", "9080"), true);
        for (Topology.ProcessSpec p : topology.processes()) {
            assertThat(free.of(p.name()).values()).as(p.name()).containsOnly(0);
        }
        assertThat(free.busy()).isEmpty();
    }

    @Test
    void aBadValueOrAPortAskedForTwiceIsRefusedNamingTheVariables() {
        assertThatThrownBy(() -> PortPlan.of(topology, Map.of("EDGETWIN_DEMO_EDGE_B_HTTP_PORT", "http"), false))
                .hasMessageContaining("EDGETWIN_DEMO_EDGE_B_HTTP_PORT").hasMessageContaining("0..65535");
        assertThatThrownBy(() -> PortPlan.of(topology, Map.of("EDGETWIN_DEMO_EDGE_B_HTTP_PORT", "70000"), false))
                .hasMessageContaining("70000");
        assertThatThrownBy(() -> PortPlan.of(topology, Map.of("EDGETWIN_DEMO_EDGE_B_HTTP_PORT", "8080"), false))
                .hasMessageContaining("8080").hasMessageContaining("EDGETWIN_DEMO_CLOUD_HTTP_PORT").hasMessageContaining("EDGETWIN_DEMO_EDGE_B_HTTP_PORT");
    }

    @Test
    void aPortInUseIsFoundBeforeAnythingStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PortPlan plan = PortPlan.of(topology, Map.of("EDGETWIN_DEMO_EDGE_B_MQTT_PORT", String.valueOf(taken.getLocalPort())), false);
            assertThat(plan.busy()).anySatisfy(line -> assertThat(line).contains(String.valueOf(taken.getLocalPort()))
                    .contains("edge-b mqtt").contains("EDGETWIN_DEMO_EDGE_B_MQTT_PORT").contains("--free-ports"));
        }
    }
}
