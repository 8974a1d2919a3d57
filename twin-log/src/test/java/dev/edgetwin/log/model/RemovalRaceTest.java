package dev.edgetwin.log.model;

import static dev.edgetwin.log.model.ModelArbitraries.BASE_MILLIS;
import static dev.edgetwin.log.model.ModelArbitraries.SKEW_MILLIS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Removal and re-registration races, each checked in every order of its events
 * (exhaustively: up to 7 events, 5,040 orders): all orders must give byte-identical twins,
 * and that twin must be the one the merge rules describe.
 */
class RemovalRaceTest {
    private static final DeviceId LAMP = DeviceId.of("lamp-1");

    @Test
    void removalConcurrentWithSets_hidesExactlyTheOlderOnes() {
        DeviceTwin t = inEveryOrder(
                at("cloud", 1, 0, registered("led-light", Map.of("serial", JsonValues.text("A1")))),
                at("cloud", 2, 0, new TwinEvent.DesiredSet(LAMP, "power", JsonValues.text("ON"))),
                at("edge-a", 3, 0, new TwinEvent.ReportedSet(LAMP, "level", JsonValues.parse("5"))),
                at("edge-a", 3, 1, new TwinEvent.DeviceStateChanged(LAMP, DeviceState.ONLINE)),
                at("cloud", 4, 0, new TwinEvent.DeviceRemoved(LAMP)),
                at("edge-a", 5, 0, new TwinEvent.ReportedSet(LAMP, "level", JsonValues.parse("6"))),
                at("edge-a", 6, 0, new TwinEvent.DesiredSet(LAMP, "mode", JsonValues.text("eco"))));
        assertThat(t.exists()).isFalse();
        assertThat(t.desired("power")).isEmpty();
        assertThat(t.desiredField("power")).isNull();
        assertThat(t.reported("level")).contains(JsonValues.parse("6"));
        assertThat(t.desired("mode")).contains(JsonValues.text("eco"));
        assertThat(t.state()).isEqualTo(DeviceState.UNKNOWN);
        assertThat(t.attributes()).isEmpty();
        assertThat(t.maxHlc()).isEqualTo(hlc(6, 0));
    }

    @Test
    void reRegistrationNewerThanRemoval_revivesDeviceButNotOlderFields() {
        DeviceTwin t = inEveryOrder(
                at("cloud", 1, 0, registered("led-light", Map.of("serial", JsonValues.text("A1")))),
                at("cloud", 2, 0, new TwinEvent.DesiredSet(LAMP, "power", JsonValues.text("ON"))),
                at("edge-a", 3, 0, new TwinEvent.ReportedSet(LAMP, "power", JsonValues.text("OFF"))),
                at("cloud", 4, 0, new TwinEvent.DeviceRemoved(LAMP)),
                at("cloud", 5, 0, registered("pump", Map.of("serial", JsonValues.text("B2")))),
                at("edge-a", 6, 0, new TwinEvent.ReportedSet(LAMP, "level", JsonValues.parse("7"))));
        assertThat(t.exists()).isTrue();
        assertThat(t.model()).isEqualTo("pump");
        assertThat(t.attributes()).containsOnlyKeys("serial").containsEntry("serial", JsonValues.text("B2"));
        assertThat(t.desired("power")).isEmpty();
        assertThat(t.reported("power")).isEmpty();
        assertThat(t.reported("level")).contains(JsonValues.parse("7"));
        JsonNode doc = JsonValues.parse(t.documentJson());
        assertThat(doc.path("twin").has("level")).isTrue();
        assertThat(doc.path("twin").path("power").path("desired").isMissingNode()).isTrue();
        assertThat(doc.path("twin").path("power").path("reported").isMissingNode()).isTrue();
    }

    @Test
    void registrationOlderThanRemoval_staysHidden() {
        DeviceTwin t = inEveryOrder(
                at("cloud", 1, 0, registered("led-light", Map.of())),
                at("edge-a", 2, 0, new TwinEvent.ReportedSet(LAMP, "power", JsonValues.text("ON"))),
                at("edge-b", 3, 0, registered("pump", Map.of())),
                at("cloud", 4, 0, new TwinEvent.DeviceRemoved(LAMP)));
        assertThat(t.exists()).isFalse();
        assertThat(t.reported("power")).isEmpty();
        assertThat(t.propertyNames()).isEmpty();
    }

    @Test
    void twoRemovals_theNewestOneCounts() {
        DeviceTwin t = inEveryOrder(
                at("cloud", 1, 0, registered("led-light", Map.of())),
                at("cloud", 3, 0, new TwinEvent.DeviceRemoved(LAMP)),
                at("edge-a", 4, 0, registered("pump", Map.of())),
                at("edge-a", 5, 0, new TwinEvent.ReportedSet(LAMP, "level", JsonValues.parse("1"))),
                at("edge-b", 6, 0, new TwinEvent.DeviceRemoved(LAMP)),
                at("edge-a", 7, 0, new TwinEvent.ReportedSet(LAMP, "level", JsonValues.parse("2"))));
        assertThat(t.exists()).isFalse();
        assertThat(t.reported("level")).contains(JsonValues.parse("2"));
        assertThat(t.reportedField("level").stamp()).isEqualTo(new Stamp(hlc(7, 0), "edge-a"));
    }

    @Test
    void sameHlc_originBreaksTheTieBetweenRemovalAndRegistration() {
        // "edge-a" sorts after "cloud": at an equal HLC, edge-a's event is the newer one
        DeviceTwin revived = inEveryOrder(
                at("cloud", 2, 5, new TwinEvent.DeviceRemoved(LAMP)),
                at("edge-a", 2, 5, registered("led-light", Map.of())),
                at("cloud", 1, 0, registered("pump", Map.of())));
        assertThat(revived.exists()).isTrue();
        assertThat(revived.model()).isEqualTo("led-light");

        DeviceTwin hidden = inEveryOrder(
                at("edge-a", 2, 5, new TwinEvent.DeviceRemoved(LAMP)),
                at("cloud", 2, 5, registered("led-light", Map.of())),
                at("cloud", 2, 4, new TwinEvent.DesiredSet(LAMP, "power", JsonValues.text("ON"))));
        assertThat(hidden.exists()).isFalse();
        assertThat(hidden.desired("power")).isEmpty();
    }

    @Test
    void clearThenRemoveThenOlderSet_nothingComesBack() {
        DeviceTwin t = inEveryOrder(
                at("cloud", 1, 0, registered("led-light", Map.of())),
                at("cloud", 2, 0, new TwinEvent.DesiredSet(LAMP, "power", JsonValues.text("ON"))),
                at("edge-a", 2, 1, new TwinEvent.DesiredCleared(LAMP, "power")),
                at("cloud", 5, 0, registered("led-light", Map.of())),
                at("edge-a", 3, 0, new TwinEvent.DeviceRemoved(LAMP)));
        assertThat(t.exists()).isTrue();
        assertThat(t.desired("power")).isEmpty();
        assertThat(t.desiredField("power")).isNull();
    }

    /**
     * edge-b's wall clock is an hour ahead. Its registration beats a removal the cloud makes
     * later in real time, because order is by HLC, not arrival. Once the cloud has received
     * edge-b's event, its HybridClock stamps past it, and the cloud's next removal wins.
     */
    @Test
    void clockSkew_aheadOriginWinsUntilObserved() {
        long[] cloudWall = {BASE_MILLIS + 10};
        HybridClock cloudClock = new HybridClock(() -> cloudWall[0]);
        EventRecord skewedRegistration = new EventRecord(
                new Envelope("edge/edge-b", 0, hlc(SKEW_MILLIS, 0), "edge-b", BASE_MILLIS + SKEW_MILLIS, ""),
                registered("led-light", Map.of()));
        EventRecord skewedReport = ModelArbitraries.record("edge-b", hlc(SKEW_MILLIS, 1),
                new TwinEvent.ReportedSet(LAMP, "power", JsonValues.text("ON")));
        EventRecord blindRemoval = ModelArbitraries.record("cloud", cloudClock.now(), new TwinEvent.DeviceRemoved(LAMP));

        DeviceTwin afterBlindRemoval = inEveryOrder(skewedRegistration, skewedReport, blindRemoval);
        assertThat(afterBlindRemoval.exists()).isTrue();
        assertThat(afterBlindRemoval.reported("power")).contains(JsonValues.text("ON"));

        cloudClock.observe(skewedRegistration.envelope().hlc());
        cloudClock.observe(skewedReport.envelope().hlc());
        cloudWall[0] += 5;
        EventRecord informedRemoval = ModelArbitraries.record("cloud", cloudClock.now(), new TwinEvent.DeviceRemoved(LAMP));
        assertThat(informedRemoval.stamp()).isGreaterThan(skewedReport.stamp());

        DeviceTwin afterInformedRemoval = inEveryOrder(skewedRegistration, skewedReport, blindRemoval, informedRemoval);
        assertThat(afterInformedRemoval.exists()).isFalse();
        assertThat(afterInformedRemoval.reported("power")).isEmpty();
    }

    private static TwinEvent.DeviceRegistered registered(String model, Map<String, JsonNode> attributes) {
        return new TwinEvent.DeviceRegistered(LAMP, "edge-a", model, attributes,
                Map.of("power", new PropertyDef("string", false)));
    }

    private static long hlc(long millisAfterBase, int counter) {
        return Hlc.pack(BASE_MILLIS + millisAfterBase, counter);
    }

    private static EventRecord at(String origin, long millisAfterBase, int counter, TwinEvent event) {
        return ModelArbitraries.record(origin, hlc(millisAfterBase, counter), event);
    }

    /** Applies the events in every order; asserts all results are byte-identical and match the specification. */
    private static DeviceTwin inEveryOrder(EventRecord... events) {
        List<List<EventRecord>> orders = new ArrayList<>();
        permute(new ArrayList<>(List.of(events)), 0, orders);
        DeviceTwin first = null;
        String expected = null;
        for (List<EventRecord> order : orders) {
            DeviceTwin t = DeviceTwin.empty(LAMP);
            for (EventRecord r : order) t = t.apply(r);
            String fp = ModelArbitraries.fingerprint(t);
            if (first == null) {
                first = t;
                expected = fp;
                LwwSpecification.check(t, List.of(events));
            }
            assertThat(fp).as("order %s", order).isEqualTo(expected);
        }
        assertThat(orders).hasSize(factorial(events.length));
        return first;
    }

    private static void permute(List<EventRecord> items, int k, List<List<EventRecord>> out) {
        if (k == items.size()) {
            out.add(List.copyOf(items));
            return;
        }
        for (int i = k; i < items.size(); i++) {
            java.util.Collections.swap(items, k, i);
            permute(items, k + 1, out);
            java.util.Collections.swap(items, k, i);
        }
    }

    private static int factorial(int n) {
        return n <= 1 ? 1 : n * factorial(n - 1);
    }
}
