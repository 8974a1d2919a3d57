package dev.edgetwin.sync.sim;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.edgetwin.log.EntryDraft;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceState;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinEvent;

import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Real twin events for the simulation: the cloud registers, removes and sets desired values of
 * each edge's devices on {@code cloud/<edge>}; an edge reports values, sets desired values and
 * changes device state on {@code edge/<edge>}. Few devices and properties, so registers collide.
 */
final class SimWorkload {
    static final List<String> PROPERTIES = List.of("power", "level");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SimWorkload() {
    }

    static DeviceId device(String edge, int i) {
        return new DeviceId("default", edge + "-dev-" + i);
    }

    /** One event the cloud writes for {@code edge}'s devices. */
    static TwinEvent cloudEvent(String edge, Random r) {
        DeviceId id = device(edge, r.nextInt(3));
        int k = r.nextInt(20);
        if (k < 5) {
            return new TwinEvent.DeviceRegistered(id, edge, "lamp", Map.of("serial", JSON.textNode("S" + r.nextInt(100))),
                    Map.of("power", PropertyDef.ANY, "level", new PropertyDef("int", false)));
        }
        if (k == 5) return new TwinEvent.DeviceRemoved(id);
        String p = PROPERTIES.get(r.nextInt(PROPERTIES.size()));
        if (k == 6) return new TwinEvent.DesiredCleared(id, p);
        return new TwinEvent.DesiredSet(id, p, p.equals("power") ? JSON.textNode(r.nextBoolean() ? "ON" : "OFF") : JSON.numberNode(r.nextInt(100)));
    }

    /** One event an edge writes for its own devices. */
    static TwinEvent edgeEvent(String edge, Random r) {
        DeviceId id = device(edge, r.nextInt(3));
        int k = r.nextInt(20);
        String p = PROPERTIES.get(r.nextInt(PROPERTIES.size()));
        if (k < 2) return new TwinEvent.DeviceStateChanged(id, r.nextBoolean() ? DeviceState.ONLINE : DeviceState.OFFLINE);
        if (k < 5) return new TwinEvent.DesiredSet(id, p, JSON.textNode("edge-" + r.nextInt(10)));
        if (k == 5) return new TwinEvent.ReportedCleared(id, p);
        return new TwinEvent.ReportedSet(id, p, p.equals("power") ? JSON.textNode(r.nextBoolean() ? "ON" : "OFF") : JSON.numberNode(r.nextInt(100)));
    }

    static EntryDraft draft(SimNode node, TwinEvent event, String token) {
        return new EntryDraft(node.clock.now(), node.id, node.clock.wallMillis(), token, EventCodec.encode(event));
    }
}
