package dev.edgetwin.log.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * DESIGN.md section 2 written as a direct, order-free definition, independent of
 * {@link DeviceTwin}'s incremental merge: given every event a device ever received, the
 * newest removal R hides everything not newer than R; of the rest, each register holds its
 * newest write (a clear leaves it empty); the device exists if a registration is left.
 */
final class LwwSpecification {
    private LwwSpecification() {
    }

    /** Asserts that {@code twin} is what the specification says for {@code all} (events of any device; others are skipped). */
    static void check(DeviceTwin twin, List<EventRecord> all) {
        List<EventRecord> mine = all.stream().filter(r -> r.event().device().equals(twin.id())).distinct().toList();
        Optional<Stamp> removal = newest(mine, TwinEvent.DeviceRemoved.class).map(EventRecord::stamp);
        List<EventRecord> live = mine.stream().filter(r -> removal.isEmpty() || r.stamp().compareTo(removal.get()) > 0).toList();

        Optional<EventRecord> reg = newest(live, TwinEvent.DeviceRegistered.class);
        assertThat(twin.exists()).as("exists").isEqualTo(reg.isPresent());
        if (reg.isPresent()) {
            TwinEvent.DeviceRegistered r = (TwinEvent.DeviceRegistered) reg.get().event();
            assertThat(twin.node()).isEqualTo(r.node());
            assertThat(twin.model()).isEqualTo(r.model());
            assertThat(twin.attributes()).isEqualTo(r.attributes());
            assertThat(twin.properties()).isEqualTo(r.properties());
        }
        for (String p : ModelArbitraries.PROPERTIES) {
            assertThat(twin.desired(p)).as("desired " + p).isEqualTo(register(live, p, true));
            assertThat(twin.reported(p)).as("reported " + p).isEqualTo(register(live, p, false));
        }
        DeviceState state = newest(live, TwinEvent.DeviceStateChanged.class)
                .map(r -> ((TwinEvent.DeviceStateChanged) r.event()).state()).orElse(DeviceState.UNKNOWN);
        assertThat(twin.state()).as("state").isEqualTo(state);
        assertThat(twin.maxHlc()).isEqualTo(mine.stream().mapToLong(r -> r.envelope().hlc()).max().orElse(0));
    }

    private static Optional<JsonNode> register(List<EventRecord> live, String property, boolean desired) {
        return live.stream()
                .filter(r -> desired
                        ? r.event() instanceof TwinEvent.DesiredSet s && s.property().equals(property)
                        || r.event() instanceof TwinEvent.DesiredCleared c && c.property().equals(property)
                        : r.event() instanceof TwinEvent.ReportedSet s && s.property().equals(property)
                        || r.event() instanceof TwinEvent.ReportedCleared c && c.property().equals(property))
                .max(Comparator.comparing(EventRecord::stamp))
                .flatMap(r -> Optional.ofNullable(value(r.event())));
    }

    private static JsonNode value(TwinEvent e) {
        if (e instanceof TwinEvent.DesiredSet s) return s.value();
        if (e instanceof TwinEvent.ReportedSet s) return s.value();
        return null;
    }

    private static Optional<EventRecord> newest(List<EventRecord> records, Class<? extends TwinEvent> kind) {
        return records.stream().filter(r -> kind.isInstance(r.event())).max(Comparator.comparing(EventRecord::stamp));
    }
}
