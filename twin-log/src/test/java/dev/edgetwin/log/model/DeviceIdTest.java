package dev.edgetwin.log.model;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DeviceId's value semantics: equal by namespace and name whatever the instance, its hash kept from construction. */
class DeviceIdTest {
    @Test
    void equalIdsAreEqualWithTheSameHashAndDifferentOnesAreNot() {
        DeviceId a = new DeviceId("default", "lamp-1");
        DeviceId b = DeviceId.parse(new String("default/lamp-1"));
        assertThat(b).isEqualTo(a).isNotSameAs(a).hasSameHashCodeAs(a);
        assertThat(a.hashCode()).isEqualTo(31 * "default".hashCode() + "lamp-1".hashCode());
        assertThat(DeviceId.of("lamp-1")).isEqualTo(a);
        assertThat(new DeviceId("plant", "lamp-1")).isNotEqualTo(a);
        assertThat(new DeviceId("default", "lamp-10")).isNotEqualTo(a);
        assertThat(a).isNotEqualTo("default/lamp-1").isNotEqualTo(null);
    }

    @Test
    void idsWithTheSameHashAreStillToldApart() {
        // "Aa" and "BB" share String.hashCode, so these ids share their hash
        DeviceId aa = new DeviceId("ns", "Aa");
        DeviceId bb = new DeviceId("ns", "BB");
        assertThat(aa.hashCode()).isEqualTo(bb.hashCode());
        assertThat(aa).isNotEqualTo(bb);
        Map<DeviceId, String> map = new HashMap<>();
        map.put(aa, "aa");
        map.put(bb, "bb");
        assertThat(map).hasSize(2).containsEntry(new DeviceId("ns", "Aa"), "aa").containsEntry(new DeviceId("ns", "BB"), "bb");
    }

    @Test
    void orderTextAndNulls() {
        assertThat(new DeviceId("a", "z")).isLessThan(new DeviceId("b", "a"));
        assertThat(new DeviceId("a", "x")).isLessThan(new DeviceId("a", "y"));
        assertThat(new DeviceId("plant", "pump-1")).hasToString("plant/pump-1");
        assertThat(DeviceId.parse("pump-1").namespace()).isEqualTo(DeviceId.DEFAULT_NAMESPACE);
        assertThatThrownBy(() -> new DeviceId(null, "x")).isInstanceOf(NullPointerException.class).hasMessage("namespace");
        assertThatThrownBy(() -> new DeviceId("x", null)).isInstanceOf(NullPointerException.class).hasMessage("name");
    }
}
