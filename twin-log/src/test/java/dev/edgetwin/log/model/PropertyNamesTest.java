package dev.edgetwin.log.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link DeviceTwin#hasProperty} and {@link DeviceTwin#propertyCount} agree with {@link DeviceTwin#propertyNames}. */
class PropertyNamesTest {
    @Provide
    Arbitrary<List<EventRecord>> events() {
        return ModelArbitraries.records(25);
    }

    @Property(tries = 300)
    void membershipAndCountMatchTheNameSet(@ForAll("events") List<EventRecord> events) {
        TwinState state = ModelArbitraries.inStampOrder(events);
        for (DeviceTwin twin : state.twins().values()) check(twin);
        for (DeviceId id : ModelArbitraries.DEVICES) check(state.get(id).orElse(DeviceTwin.empty(id)));
    }

    private static void check(DeviceTwin twin) {
        Set<String> names = twin.propertyNames();
        assertThat(twin.propertyCount()).as("count of %s", twin).isEqualTo(names.size());
        for (String p : ModelArbitraries.PROPERTIES) assertThat(twin.hasProperty(p)).as(p).isEqualTo(names.contains(p));
        for (String p : twin.properties().keySet()) assertThat(twin.hasProperty(p)).as(p).isTrue();
        assertThat(twin.hasProperty("no-such-property")).isEqualTo(names.contains("no-such-property"));
    }

    @org.junit.jupiter.api.Test
    void definedSetAndClearedPropertiesCountOnce() {
        DeviceId id = DeviceId.of("lamp-1");
        long t = Hlc.pack(ModelArbitraries.BASE_MILLIS, 0);
        DeviceTwin twin = DeviceTwin.empty(id)
                .apply(ModelArbitraries.record("cloud", t, new TwinEvent.DeviceRegistered(id, "edge-a", "",
                        Map.of(), Map.of("power", new PropertyDef("string", false)))))
                .apply(ModelArbitraries.record("cloud", t + 1, new TwinEvent.DesiredSet(id, "power", JsonValues.text("ON"))))
                .apply(ModelArbitraries.record("cloud", t + 2, new TwinEvent.DesiredSet(id, "level", JsonValues.text("1"))))
                .apply(ModelArbitraries.record("edge-a", t + 3, new TwinEvent.ReportedSet(id, "level", JsonValues.text("1"))))
                .apply(ModelArbitraries.record("edge-a", t + 4, new TwinEvent.ReportedSet(id, "mode", JsonValues.text("x"))))
                .apply(ModelArbitraries.record("edge-a", t + 5, new TwinEvent.ReportedCleared(id, "mode")));
        assertThat(twin.propertyNames()).containsExactly("level", "power");
        assertThat(twin.propertyCount()).isEqualTo(2);
        assertThat(twin.hasProperty("power")).isTrue();
        assertThat(twin.hasProperty("level")).isTrue();
        assertThat(twin.hasProperty("mode")).as("cleared").isFalse();
    }
}
