package dev.edgetwin.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class WorkloadTest {
    @Test
    void sameSeedSameUpdates() {
        assertThat(Workload.standard().updates(5_000)).isEqualTo(Workload.standard().updates(5_000));
        assertThat(new Workload(1, 1_000, 4).updates(100)).isNotEqualTo(new Workload(2, 1_000, 4).updates(100));
        // a longer stream starts with the shorter one
        assertThat(Workload.standard().updates(10_000).subList(0, 5_000)).isEqualTo(Workload.standard().updates(5_000));
    }

    @Test
    void updatesStayInsideTheWorkload() {
        Workload w = Workload.standard();
        List<Workload.TwinUpdate> updates = w.updates(20_000);
        Set<String> names = w.properties().stream().map(Workload.Property::name).collect(Collectors.toSet());
        assertThat(names).containsExactlyInAnyOrder("powerstatus", "temperature", "humidity", "mode");
        for (Workload.TwinUpdate u : updates) {
            assertThat(u.device()).isEqualTo(w.deviceName(u.deviceIndex()));
            assertThat(u.property()).isIn(names);
            switch (u.property()) {
                case "powerstatus" -> assertThat(u.value()).isIn("ON", "OFF");
                case "temperature" -> assertThat(Double.parseDouble(u.value())).isBetween(15.0, 30.0);
                case "humidity" -> assertThat(Integer.parseInt(u.value())).isBetween(0, 100);
                default -> assertThat(u.value()).isIn("auto", "eco", "manual", "boost");
            }
        }
        // uniform enough that every device and property shows up in a long stream
        assertThat(updates.stream().map(Workload.TwinUpdate::deviceIndex).distinct().count()).isEqualTo(1_000);
        assertThat(updates.stream().map(Workload.TwinUpdate::property).distinct().count()).isEqualTo(4);
    }

    @Test
    void badSizesAreRefused() {
        assertThatThrownBy(() -> new Workload(1, 0, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Workload(1, 10, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Workload(1, 10, Workload.PROPERTIES.size() + 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
