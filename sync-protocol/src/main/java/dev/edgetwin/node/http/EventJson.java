package dev.edgetwin.node.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgetwin.log.model.EventRecord;
import dev.edgetwin.log.model.Hlc;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.TwinEvent;

/**
 * One event as JSON, the item of a device history and the data of a change-stream event:
 * <pre>
 * {"position": "cloud/edge-a:7", "type": "desired.set", "namespace": "default", "device": "lamp-1",
 *  "property": "powerstatus", "value": "ON", "time": "2025-…Z", "hlc": "2025-…Z#0", "origin": "cloud",
 *  "clientToken": "…"}
 * </pre>
 * {@code type} is one of {@code registered} (with node, model, attributes, properties),
 * {@code removed}, {@code desired.set}, {@code desired.cleared}, {@code reported.set},
 * {@code reported.cleared} (with property, and value for the set ones) and
 * {@code state.changed} (with state). {@code time} is the wall-clock part of the event's HLC,
 * the time the twin document shows as {@code updatedAt}; {@code clientToken} is present when
 * the writer gave one.
 */
final class EventJson {
    private EventJson() {
    }

    static ObjectNode of(JournalPosition position, EventRecord record) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        TwinEvent event = record.event();
        o.put("position", position.toString());
        o.put("type", type(event));
        o.put("namespace", event.device().namespace());
        o.put("device", event.device().name());
        if (event instanceof TwinEvent.DeviceRegistered r) {
            o.put("node", r.node());
            o.put("model", r.model());
            ObjectNode attrs = o.putObject("attributes");
            r.attributes().forEach(attrs::set);
            ObjectNode props = o.putObject("properties");
            r.properties().forEach((p, def) -> props.putObject(p).put("type", def.type()).put("readOnly", def.readOnly()));
        } else if (event instanceof TwinEvent.DesiredSet d) {
            o.put("property", d.property()).set("value", d.value());
        } else if (event instanceof TwinEvent.DesiredCleared d) {
            o.put("property", d.property());
        } else if (event instanceof TwinEvent.ReportedSet r) {
            o.put("property", r.property()).set("value", r.value());
        } else if (event instanceof TwinEvent.ReportedCleared r) {
            o.put("property", r.property());
        } else if (event instanceof TwinEvent.DeviceStateChanged st) {
            o.put("state", st.state().wireName());
        }
        long hlc = record.envelope().hlc();
        o.put("time", Hlc.instant(hlc).toString());
        o.put("hlc", Hlc.format(hlc));
        o.put("origin", record.envelope().origin());
        if (!record.envelope().clientToken().isEmpty()) o.put("clientToken", record.envelope().clientToken());
        return o;
    }

    static String json(JournalPosition position, EventRecord record) {
        return JsonValues.write(of(position, record));
    }

    static String type(TwinEvent event) {
        if (event instanceof TwinEvent.DeviceRegistered) return "registered";
        if (event instanceof TwinEvent.DeviceRemoved) return "removed";
        if (event instanceof TwinEvent.DesiredSet) return "desired.set";
        if (event instanceof TwinEvent.DesiredCleared) return "desired.cleared";
        if (event instanceof TwinEvent.ReportedSet) return "reported.set";
        if (event instanceof TwinEvent.ReportedCleared) return "reported.cleared";
        return "state.changed";
    }
}
