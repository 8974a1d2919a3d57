package dev.edgetwin.log.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** TwinState bookkeeping and the small value types around it. */
class TwinStateTest {
    private static final long T = Hlc.pack(1_700_000_000_000L, 0);
    private static final DeviceId A = DeviceId.of("a");
    private static final DeviceId B = new DeviceId("ns", "b");

    private static TwinEvent.DeviceRegistered reg(DeviceId id) {
        return new TwinEvent.DeviceRegistered(id, "edge-a", "", Map.of(), Map.of());
    }

    @Test
    void documentsListExistingDevicesSortedById() {
        TwinState s = TwinState.empty().applyAll(List.of(
                ModelArbitraries.record("cloud", T, reg(B)),
                ModelArbitraries.record("cloud", T + 1, reg(A)),
                ModelArbitraries.record("edge-a", T + 2, new TwinEvent.ReportedSet(DeviceId.of("c"), "p", JsonValues.text("x")))));
        assertThat(s.twins().keySet()).containsExactly(A, DeviceId.of("c"), B);
        assertThat(s.documents()).extracting(d -> d.get("id").textValue()).containsExactly("a", "b");
        assertThat(s.get(DeviceId.of("c")).orElseThrow().exists()).isFalse();
        assertThat(s.get(DeviceId.of("zz"))).isEmpty();
        assertThat(TwinState.empty().twins()).isEmpty();
    }

    @Test
    void applyingNothingNewKeepsTheSameState() {
        EventRecord r = ModelArbitraries.record("cloud", T, reg(A));
        TwinState s = TwinState.empty().apply(r);
        assertThat(s.apply(r)).isSameAs(s);
        assertThat(s.get(A).orElseThrow().apply(r)).isSameAs(s.get(A).orElseThrow());
    }

    @Test
    void aTwinRefusesAnotherDevicesEvent() {
        assertThatThrownBy(() -> DeviceTwin.empty(A).apply(ModelArbitraries.record("cloud", T, reg(B))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deviceIdParsesNamespaceSlashName() {
        assertThat(DeviceId.parse("lamp-1")).isEqualTo(new DeviceId("default", "lamp-1"));
        assertThat(DeviceId.parse("plant/pump-1")).isEqualTo(new DeviceId("plant", "pump-1"));
        assertThat(new DeviceId("plant", "pump-1")).hasToString("plant/pump-1");
        assertThat(new DeviceId("a", "z")).isLessThan(new DeviceId("b", "a"));
    }

    @Test
    void deviceStateParsesKubeEdgeWords() {
        assertThat(DeviceState.parse(" Online ")).contains(DeviceState.ONLINE);
        assertThat(DeviceState.parse("UNHEALTHY")).contains(DeviceState.UNHEALTHY);
        assertThat(DeviceState.parse("up")).isEmpty();
        assertThat(DeviceState.parse(null)).isEmpty();
        assertThat(DeviceState.OK.isOnline()).isTrue();
        assertThat(DeviceState.OFFLINE.wireName()).isEqualTo("offline");
    }

    @Test
    void stampsOrderByHlcThenOrigin() {
        assertThat(new Stamp(T, "edge-a")).isGreaterThan(new Stamp(T, "cloud"));
        assertThat(new Stamp(T + 1, "cloud")).isGreaterThan(new Stamp(T, "edge-a"));
        assertThat(new Stamp(T, "a").isAfter(null)).isTrue();
        assertThat(new Stamp(T, "a").isAfter(new Stamp(T, "a"))).isFalse();
    }
}
