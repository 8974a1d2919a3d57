package dev.edgetwin.cloud.kube;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.edgetwin.cloud.kube.Twins.exec;
import static dev.edgetwin.cloud.kube.Twins.json;
import static org.assertj.core.api.Assertions.assertThat;

class DevicePlannerTest {
    static final DeviceId LAMP = DeviceId.of("lamp-1");
    static final KubeDeviceModel MODEL = new KubeDeviceModel(Map.of(
            "powerstatus", new PropertyDef("string", false), "brightness", new PropertyDef("int", false),
            "temperature", new PropertyDef("float", true)));

    static KubeDevice device(String node, long synced, String powerstatus, String brightness) {
        List<KubeDevice.SpecProperty> props = new ArrayList<>();
        props.add(new KubeDevice.SpecProperty("powerstatus", powerstatus, "string"));
        props.add(new KubeDevice.SpecProperty("brightness", brightness, null));
        return new KubeDevice(LAMP, "uid-1", "7", node, "led-light", Map.of("description", "hall"), props, synced);
    }

    static KubeDevice lamp(long synced) {
        return device("edge-a", synced, "ON", "80");
    }

    /** The twin after registering {@code device} at t=1000 ms, as the bridge would. */
    static DeviceTwin registered(KubeDevice device) {
        DevicePlan plan = DevicePlanner.plan(device, MODEL, DeviceTwin.empty(LAMP));
        assertThat(plan.kind()).isEqualTo(DevicePlan.Kind.REGISTER);
        return exec(DeviceTwin.empty(LAMP), plan.commands().get(0), 1000, "cloud");
    }

    static Map<String, JsonNode> patch(String property, JsonNode value) {
        Map<String, JsonNode> m = new HashMap<>();
        m.put(property, value);
        return m;
    }

    @Test
    void newDeviceIsRegisteredWithModelTypesLabelsUidAndTypedDesiredValues() {
        DevicePlan plan = DevicePlanner.plan(lamp(0), MODEL, DeviceTwin.empty(LAMP));

        assertThat(plan.kind()).isEqualTo(DevicePlan.Kind.REGISTER);
        assertThat(plan.writeBack()).isNull();
        TwinCommand.RegisterDevice r = (TwinCommand.RegisterDevice) plan.commands().get(0);
        assertThat(r.node()).isEqualTo("edge-a");
        assertThat(r.model()).isEqualTo("led-light");
        assertThat(r.properties()).isEqualTo(MODEL.properties());
        assertThat(r.attributes()).containsEntry("description", JsonValues.text("hall"))
                .containsEntry(DevicePlanner.UID_ATTRIBUTE, JsonValues.text("uid-1"));
        assertThat(r.desired()).containsEntry("powerstatus", JsonValues.text("ON")).containsEntry("brightness", json("80"));
    }

    @Test
    void theSameDeviceAgainIsNothingToDo() {
        KubeDevice d = lamp(0);
        DeviceTwin twin = registered(d);
        assertThat(DevicePlanner.plan(d, MODEL, twin)).isEqualTo(DevicePlan.none());
        // also once the annotation records the sync
        assertThat(DevicePlanner.plan(lamp(DevicePlanner.desiredHlc(twin, twin.propertyNames())), MODEL, twin).kind())
                .isEqualTo(DevicePlan.Kind.NONE);
    }

    @Test
    void aSpecChangeAfterTheLastSyncPatchesOnlyTheChangedDesiredValue() {
        DeviceTwin twin = registered(lamp(0));
        long synced = DevicePlanner.desiredHlc(twin, twin.propertyNames());

        DevicePlan plan = DevicePlanner.plan(device("edge-a", synced, "OFF", "80"), MODEL, twin);

        assertThat(plan.kind()).isEqualTo(DevicePlan.Kind.DESIRED);
        assertThat(plan.commands()).containsExactly(new TwinCommand.PatchDesired(LAMP, Map.of("powerstatus", JsonValues.text("OFF"))));
    }

    @Test
    void aDesiredValueRemovedFromTheSpecIsCleared() {
        DeviceTwin twin = registered(lamp(0));
        long synced = DevicePlanner.desiredHlc(twin, twin.propertyNames());

        DevicePlan plan = DevicePlanner.plan(device("edge-a", synced, "ON", null), MODEL, twin);

        assertThat(plan.commands()).containsExactly(new TwinCommand.PatchDesired(LAMP, patch("brightness", null)));
    }

    @Test
    void aTwinChangeAfterTheLastSyncIsWrittenBackAndNotUndone() {
        DeviceTwin twin = registered(lamp(0));
        long synced = DevicePlanner.desiredHlc(twin, twin.propertyNames());
        twin = exec(twin, new TwinCommand.PatchDesired(LAMP, Map.of("brightness", json("30"))), 2000, "cloud");

        DevicePlan plan = DevicePlanner.plan(lamp(synced), MODEL, twin);

        assertThat(plan.kind()).isEqualTo(DevicePlan.Kind.WRITE_BACK);
        assertThat(plan.commands()).isEmpty();
        assertThat(plan.writeBack()).containsExactlyInAnyOrderEntriesOf(Map.of("powerstatus", "ON", "brightness", "30"));
        // once written back, the spec equals the twin: nothing more
        KubeDevice written = device("edge-a", DevicePlanner.desiredHlc(twin, twin.propertyNames()), "ON", "30");
        assertThat(DevicePlanner.plan(written, MODEL, twin).kind()).isEqualTo(DevicePlan.Kind.NONE);
    }

    @Test
    void aClearedTwinValueIsWrittenBackAsAbsent() {
        DeviceTwin twin = registered(lamp(0));
        long synced = DevicePlanner.desiredHlc(twin, twin.propertyNames());
        twin = exec(twin, new TwinCommand.PatchDesired(LAMP, patch("powerstatus", null)), 2000, "edge-a");

        DevicePlan plan = DevicePlanner.plan(lamp(synced), MODEL, twin);

        assertThat(plan.writeBack()).containsExactly(Map.entry("brightness", "80"));
    }

    @Test
    void aTwinNotMadeFromThisDeviceYieldsToTheSpec() {
        DeviceTwin twin = registered(lamp(0));
        twin = exec(twin, new TwinCommand.PatchDesired(LAMP, Map.of("brightness", json("30"))), 2000, "cloud");
        KubeDevice recreated = new KubeDevice(LAMP, "uid-2", "9", "edge-a", "led-light", Map.of("description", "hall"),
                lamp(0).properties(), 0);

        DevicePlan plan = DevicePlanner.plan(recreated, MODEL, twin);

        assertThat(plan.kind()).isEqualTo(DevicePlan.Kind.REREGISTER);
        assertThat(plan.writeBack()).isNull();
        assertThat(((TwinCommand.RegisterDevice) plan.commands().get(0)).desired()).containsEntry("brightness", json("80"));
    }

    @Test
    void changedLabelsReRegisterKeepingTheDesiredValues() {
        DeviceTwin twin = registered(lamp(0));
        KubeDevice relabelled = new KubeDevice(LAMP, "uid-1", "8", "edge-a", "led-light", Map.of("description", "porch"),
                lamp(0).properties(), DevicePlanner.desiredHlc(twin, twin.propertyNames()));

        DevicePlan plan = DevicePlanner.plan(relabelled, MODEL, twin);

        assertThat(plan.kind()).isEqualTo(DevicePlan.Kind.REREGISTER);
        TwinCommand.RegisterDevice r = (TwinCommand.RegisterDevice) plan.commands().get(0);
        assertThat(r.attributes()).containsEntry("description", JsonValues.text("porch"));
        assertThat(r.desired()).containsEntry("powerstatus", JsonValues.text("ON")).containsEntry("brightness", json("80"));
    }

    @Test
    void aNewNodeIsAMoveRemovalThenRegistration() {
        DeviceTwin twin = registered(lamp(0));

        DevicePlan plan = DevicePlanner.plan(device("edge-b", 0, "ON", "80"), MODEL, twin);

        assertThat(plan.kind()).isEqualTo(DevicePlan.Kind.MOVE);
        assertThat(plan.commands()).hasSize(2);
        assertThat(plan.commands().get(0)).isEqualTo(new TwinCommand.RemoveDevice(LAMP));
        assertThat(((TwinCommand.RegisterDevice) plan.commands().get(1)).node()).isEqualTo("edge-b");
    }

    @Test
    void noNodeMeansNoTwinAndRemovesTheBridgesOwn() {
        DeviceTwin twin = registered(lamp(0));
        assertThat(DevicePlanner.plan(device("", 0, "ON", "80"), MODEL, DeviceTwin.empty(LAMP))).isEqualTo(DevicePlan.none());
        DevicePlan plan = DevicePlanner.plan(device("", 0, "ON", "80"), MODEL, twin);
        assertThat(plan.kind()).isEqualTo(DevicePlan.Kind.REMOVE);
        assertThat(plan.commands()).containsExactly(new TwinCommand.RemoveDevice(LAMP));
    }

    @Test
    void aDeletedDeviceRemovesOnlyATwinTheBridgeMade() {
        assertThat(DevicePlanner.deleted(registered(lamp(0))).commands()).containsExactly(new TwinCommand.RemoveDevice(LAMP));
        DeviceTwin viaRest = exec(DeviceTwin.empty(LAMP), new TwinCommand.RegisterDevice(LAMP, "edge-a", "m", Map.of(), Map.of(), Map.of()),
                1000, "cloud");
        assertThat(DevicePlanner.deleted(viaRest)).isEqualTo(DevicePlan.none());
        assertThat(DevicePlanner.deleted(DeviceTwin.empty(LAMP))).isEqualTo(DevicePlan.none());
    }

    @Test
    void invalidAndReadOnlyDesiredValuesAreIgnoredWithANote() {
        List<KubeDevice.SpecProperty> props = List.of(new KubeDevice.SpecProperty("brightness", "very", null),
                new KubeDevice.SpecProperty("temperature", "21.5", null), new KubeDevice.SpecProperty("powerstatus", "ON", null));
        KubeDevice d = new KubeDevice(LAMP, "uid-1", "1", "edge-a", "led-light", Map.of(), props, 0);

        DevicePlan plan = DevicePlanner.plan(d, MODEL, DeviceTwin.empty(LAMP));

        TwinCommand.RegisterDevice r = (TwinCommand.RegisterDevice) plan.commands().get(0);
        assertThat(r.desired()).containsOnlyKeys("powerstatus");
        assertThat(plan.notes()).hasSize(2).anySatisfy(n -> assertThat(n).contains("brightness", "int"))
                .anySatisfy(n -> assertThat(n).contains("temperature", "read-only"));
        // and the twin this registers agrees with the Device afterwards: no churn on resync
        DeviceTwin twin = exec(DeviceTwin.empty(LAMP), r, 1000, "cloud");
        assertThat(DevicePlanner.plan(d, MODEL, twin).kind()).isEqualTo(DevicePlan.Kind.NONE);
    }

    @Test
    void spellingsOfTheSameValueAreNoChangeEitherWay() {
        DeviceTwin twin = registered(lamp(0));
        long synced = DevicePlanner.desiredHlc(twin, twin.propertyNames());
        twin = exec(twin, new TwinCommand.PatchDesired(LAMP, Map.of("brightness", JsonValues.text("80"))), 2000, "cloud");
        assertThat(DevicePlanner.plan(lamp(synced), MODEL, twin).kind()).isEqualTo(DevicePlan.Kind.NONE);
        assertThat(DevicePlanner.plan(device("edge-a", synced, "ON", "080"), MODEL, twin).kind()).isEqualTo(DevicePlan.Kind.NONE);
    }

    @Test
    void definitionsComeFromTheModelAndTypedSpecPropertiesOnly() {
        KubeDevice d = new KubeDevice(LAMP, "u", "1", "edge-a", "", Map.of(),
                List.of(new KubeDevice.SpecProperty("a", "1", "integer"), new KubeDevice.SpecProperty("b", "x", null),
                        new KubeDevice.SpecProperty("c", "x", "weird")), 0);
        assertThat(DevicePlanner.definitions(d, KubeDeviceModel.NONE)).containsExactly(Map.entry("a", new PropertyDef("int", false)));
        assertThat(DevicePlanner.desiredHlc(DeviceTwin.empty(LAMP), List.of("a"))).isZero();
    }
}
