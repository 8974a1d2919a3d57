package dev.edgetwin.edge.kubeedge;

import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.Envelope;
import dev.edgetwin.log.model.EventRecord;
import dev.edgetwin.log.model.Hlc;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.TwinEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the change feed hands to the MQTT loop, and in what shape. */
class TwinChangeFeedTest {
    private static final long HLC = Hlc.pack(1_700_000_000_000L, 0);
    private static final DeviceId LAMP = DeviceId.of("lamp-1");
    private static final DeviceId PUMP = DeviceId.of("pump-1");

    private final List<Map<DeviceId, TwinChangeFeed.Change>> batches = new ArrayList<>();
    private final List<Runnable> loop = new ArrayList<>();
    private final TwinChangeFeed feed = new TwinChangeFeed("edge-a", loop::add, batches::add);
    private DeviceTwin lamp = DeviceTwin.empty(LAMP);
    private DeviceTwin pump = DeviceTwin.empty(PUMP);

    @Test
    void theNodesOwnReportedValuesAreLeftToTheirUpdatesWhileDesiredAndMembershipGoToTheLoop() {
        lamp = change("edge/edge-a", lamp, new TwinEvent.DeviceRegistered(LAMP, "edge-a", "lamp", Map.of(), Map.of()));
        pump = change("edge/edge-a", pump, new TwinEvent.DeviceRegistered(PUMP, "edge-a", "pump", Map.of(), Map.of()));
        runLoop();
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).values()).allMatch(c -> c.membership() && c.values());

        change("edge/edge-a", lamp, new TwinEvent.ReportedSet(LAMP, "power", JsonValues.text("ON")));   // its MQTT update publishes the delta
        change("edge/edge-a", lamp, new TwinEvent.ReportedCleared(LAMP, "power"));
        assertThat(loop).isEmpty();

        change("cloud/edge-a", lamp, new TwinEvent.DesiredSet(LAMP, "power", JsonValues.text("OFF")));
        change("edge/edge-a", pump, new TwinEvent.DesiredSet(PUMP, "level", JsonValues.parse("3")));   // set through the edge's REST API
        change("edge/edge-b", pump, new TwinEvent.ReportedSet(PUMP, "level", JsonValues.parse("2")));  // reported, but not written here
        change("cloud/edge-a", lamp, new TwinEvent.DesiredCleared(LAMP, "power"));
        assertThat(loop).hasSize(1);                                         // one drain scheduled for all of them
        runLoop();
        assertThat(batches).hasSize(2);
        // one entry per device, in first-change order, values only
        assertThat(batches.get(1).keySet()).containsExactly(LAMP, PUMP);
        assertThat(batches.get(1).values()).allMatch(c -> c.values() && !c.membership());
    }

    private DeviceTwin change(String stream, DeviceTwin before, TwinEvent event) {
        EventRecord record = new EventRecord(new Envelope(stream, 0, HLC, "edge-a", Hlc.millis(HLC), ""), event);
        DeviceTwin after = before.apply(record);
        feed.onChange(new JournalEntry(stream, 0, HLC, "edge-a", Hlc.millis(HLC), "", 0, 0, new byte[0], new byte[0]), record, after);
        return after;
    }

    private void runLoop() {
        List<Runnable> tasks = new ArrayList<>(loop);
        loop.clear();
        tasks.forEach(Runnable::run);
    }
}
