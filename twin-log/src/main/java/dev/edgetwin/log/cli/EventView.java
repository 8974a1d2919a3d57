package dev.edgetwin.log.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.Envelope;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.EventRecord;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinEvent;

import java.util.Map;

/**
 * One journal entry decoded for output: the entry, its event, and the event's property and
 * value in JSON terms — a desired or reported value, a connection state, or for a
 * registration {@code {node, model, attributes, properties}}.
 */
record EventView(JournalEntry entry, TwinEvent event) {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Decodes the entry's event; an entry whose event does not decode is {@code twinctl:event.undecodable}. */
    static EventView of(JournalEntry e) {
        try {
            return new EventView(e, EventCodec.decode(e.payload()));
        } catch (IllegalArgumentException bad) {
            throw new TwinctlException("twinctl:event.undecodable", ExitCode.DATA,
                    "entry " + e.stream() + ":" + e.seq() + " holds no valid event: " + bad.getMessage(), bad);
        }
    }

    EventRecord record() {
        JournalEntry e = entry;
        return new EventRecord(new Envelope(e.stream(), e.seq(), e.hlc(), e.origin(), e.wallTime(), e.clientToken()), event);
    }

    String kind() {
        return EventCodec.kindName(event);
    }

    DeviceId device() {
        return event.device();
    }

    /** The property a value event is about; null for registrations, removals and state changes. */
    String property() {
        if (event instanceof TwinEvent.DesiredSet d) return d.property();
        if (event instanceof TwinEvent.DesiredCleared d) return d.property();
        if (event instanceof TwinEvent.ReportedSet r) return r.property();
        if (event instanceof TwinEvent.ReportedCleared r) return r.property();
        return null;
    }

    /** True for desired-value events, false for reported ones (meaningful only when {@link #property()} is set). */
    boolean desired() {
        return event instanceof TwinEvent.DesiredSet || event instanceof TwinEvent.DesiredCleared;
    }

    /** What the event writes: the value, the state word, the registration; null for clears and removals. */
    JsonNode value() {
        if (event instanceof TwinEvent.DesiredSet d) return d.value();
        if (event instanceof TwinEvent.ReportedSet r) return r.value();
        if (event instanceof TwinEvent.DeviceStateChanged c) return NODES.textNode(c.state().wireName());
        if (event instanceof TwinEvent.DeviceRegistered r) return registration(r.node(), r.model(), r.attributes(), r.properties());
        return null;
    }

    /** The part of {@code twin} this event writes, before or after it: compare the two for "old → new". */
    JsonNode slotOf(DeviceTwin twin) {
        String p = property();
        if (p != null) return (desired() ? twin.desired(p) : twin.reported(p)).orElse(null);
        if (event instanceof TwinEvent.DeviceStateChanged) return NODES.textNode(twin.state().wireName());
        return twin.exists() ? registration(twin.node(), twin.model(), twin.attributes(), twin.properties()) : null;
    }

    static ObjectNode registration(String node, String model, Map<String, JsonNode> attributes, Map<String, PropertyDef> properties) {
        ObjectNode o = NODES.objectNode();
        o.put("node", node);
        o.put("model", model);
        ObjectNode attrs = o.putObject("attributes");
        attributes.forEach(attrs::set);
        ObjectNode props = o.putObject("properties");
        properties.forEach((name, def) -> props.putObject(name).put("type", def.type()).put("readOnly", def.readOnly()));
        return o;
    }

    /** The envelope and event identity as JSON fields, in a fixed order (history and export lines start with these). */
    ObjectNode envelopeJson() {
        ObjectNode o = NODES.objectNode();
        o.put("stream", entry.stream());
        o.put("seq", entry.seq());
        o.put("hlc", entry.hlc());
        o.put("time", Times.hlcTime(entry.hlc()));
        o.put("wallTime", java.time.Instant.ofEpochMilli(entry.wallTime()).toString());
        o.put("origin", entry.origin());
        if (!entry.clientToken().isEmpty()) o.put("clientToken", entry.clientToken());
        o.put("kind", kind());
        o.put("device", device().toString());
        String p = property();
        if (p != null) o.put("property", p);
        return o;
    }
}
