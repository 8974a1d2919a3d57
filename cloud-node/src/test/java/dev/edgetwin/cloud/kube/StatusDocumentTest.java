package dev.edgetwin.cloud.kube;

import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceState;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.edgetwin.cloud.kube.Twins.exec;
import static dev.edgetwin.cloud.kube.Twins.json;
import static org.assertj.core.api.Assertions.assertThat;

class StatusDocumentTest {
    static final DeviceId LAMP = DeviceId.of("lamp-1");
    static final long T0 = 1_732_300_000_123L;
    static final KubeDevice DEVICE = new KubeDevice(LAMP, "u", "1", "edge-a", "led-light", Map.of(),
            List.of(new KubeDevice.SpecProperty("powerstatus", "ON", null), new KubeDevice.SpecProperty("brightness", null, null),
                    new KubeDevice.SpecProperty("colour", null, null)), 0);

    static DeviceTwin lamp() {
        return exec(DeviceTwin.empty(LAMP), new TwinCommand.RegisterDevice(LAMP, "edge-a", "led-light", Map.of(),
                Map.of("powerstatus", new PropertyDef("string", false)), Map.of("powerstatus", JsonValues.text("ON"))), T0, "cloud");
    }

    @Test
    void twinsListSpecPropertiesWithValuesInSpecOrderWithKubeEdgeMetadata() {
        DeviceTwin twin = exec(lamp(), new TwinCommand.PatchReported(LAMP, Map.of("brightness", json("75"), "extra", json("1"))),
                T0 + 5, "edge-a");

        Map<String, Object> status = StatusDocument.of(DEVICE, twin);

        assertThat(status).containsOnlyKeys("twins");   // no state reported yet
        assertThat(status.get("twins")).isEqualTo(List.of(
                Map.of("propertyName", "powerstatus",
                        "observedDesired", Map.of("value", "ON", "metadata", Map.of("timestamp", Long.toString(T0), "type", "string"))),
                Map.of("propertyName", "brightness",
                        "reported", Map.of("value", "75", "metadata", Map.of("timestamp", Long.toString(T0 + 5), "type", "int")))));
    }

    @Test
    void stateAndLastOnlineTimeFollowKubeEdge() {
        DeviceTwin online = exec(lamp(), new TwinCommand.ChangeState(LAMP, DeviceState.ONLINE), T0 + 1000, "edge-a");
        assertThat(StatusDocument.of(DEVICE, online)).containsEntry("state", "online")
                .containsEntry("lastOnlineTime", "2024-11-22T18:26:41Z");

        DeviceTwin offline = exec(online, new TwinCommand.ChangeState(LAMP, DeviceState.OFFLINE), T0 + 2000, "edge-a");
        assertThat(StatusDocument.of(DEVICE, offline)).containsEntry("state", "offline").containsEntry("lastOnlineTime", "");
    }

    @Test
    void clearedValuesLeaveTheListAndAnAbsentTwinHasNoEntries() {
        Map<String, com.fasterxml.jackson.databind.JsonNode> clear = new HashMap<>();
        clear.put("powerstatus", null);
        DeviceTwin cleared = exec(lamp(), new TwinCommand.PatchDesired(LAMP, clear), T0 + 1, "cloud");
        assertThat(StatusDocument.of(DEVICE, cleared)).containsEntry("twins", List.of());
        assertThat(StatusDocument.of(DEVICE, DeviceTwin.empty(LAMP))).containsEntry("twins", List.of());
    }

    @Test
    void holdsComparesOnlyTheKeysTheBridgeWrites() {
        Map<String, Object> wanted = StatusDocument.of(DEVICE, lamp());
        Map<String, Object> current = new HashMap<>(wanted);
        current.put("extensions", Map.of("vendor", "acme"));
        assertThat(StatusDocument.holds(current, wanted)).isTrue();
        current.put("twins", List.of());
        assertThat(StatusDocument.holds(current, wanted)).isFalse();
        assertThat(StatusDocument.holds(null, wanted)).isFalse();
    }
}
