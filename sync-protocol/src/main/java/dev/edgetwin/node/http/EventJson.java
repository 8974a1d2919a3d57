package dev.edgetwin.node.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.model.EventRecord;
import dev.edgetwin.log.model.Hlc;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinEvent;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

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

    static String json(JournalPosition position, EventRecord record) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JsonValues.MAPPER.createGenerator(out)) {
            write(g, position.toString(), record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * The event written straight to {@code g}, without building a tree. Members come sorted by
     * name, as {@link JsonValues#MAPPER} writes a tree (EventJsonTest compares the two), so a
     * history page and the change stream show the same text as every other canonical JSON.
     */
    static void write(JsonGenerator g, String position, EventRecord record) throws IOException {
        TwinEvent event = record.event();
        String property = null;
        JsonNode value = null;
        boolean hasValue = false;
        if (event instanceof TwinEvent.DesiredSet d) {
            property = d.property();
            value = d.value();
            hasValue = true;
        } else if (event instanceof TwinEvent.ReportedSet r) {
            property = r.property();
            value = r.value();
            hasValue = true;
        } else if (event instanceof TwinEvent.DesiredCleared d) {
            property = d.property();
        } else if (event instanceof TwinEvent.ReportedCleared r) {
            property = r.property();
        }
        TwinEvent.DeviceRegistered registered = event instanceof TwinEvent.DeviceRegistered r ? r : null;
        long hlc = record.envelope().hlc();
        String time = IsoMillis.format(Hlc.millis(hlc));
        String token = record.envelope().clientToken();

        g.writeStartObject();
        if (registered != null) {
            g.writeObjectFieldStart("attributes");
            for (Map.Entry<String, JsonNode> a : new TreeMap<>(registered.attributes()).entrySet()) {
                g.writeFieldName(a.getKey());
                writeValue(g, a.getValue());
            }
            g.writeEndObject();
        }
        if (!token.isEmpty()) g.writeStringField("clientToken", token);
        g.writeStringField("device", event.device().name());
        g.writeStringField("hlc", time + "#" + Hlc.counter(hlc));
        if (registered != null) g.writeStringField("model", registered.model());
        g.writeStringField("namespace", event.device().namespace());
        if (registered != null) g.writeStringField("node", registered.node());
        g.writeStringField("origin", record.envelope().origin());
        g.writeStringField("position", position);
        if (registered != null) {
            g.writeObjectFieldStart("properties");
            for (Map.Entry<String, PropertyDef> d : new TreeMap<>(registered.properties()).entrySet()) {
                g.writeObjectFieldStart(d.getKey());
                g.writeBooleanField("readOnly", d.getValue().readOnly());
                g.writeStringField("type", d.getValue().type());
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        if (property != null) g.writeStringField("property", property);
        if (event instanceof TwinEvent.DeviceStateChanged st) g.writeStringField("state", st.state().wireName());
        g.writeStringField("time", time);
        g.writeStringField("type", type(event));
        if (hasValue) {
            g.writeFieldName("value");
            writeValue(g, value);
        }
        g.writeEndObject();
    }

    // a tree member set to a Java null holds JSON null; the usual scalars are written as their
    // nodes write themselves, without the mapper's writeTree (a serializer provider and a flush per value)
    private static void writeValue(JsonGenerator g, JsonNode v) throws IOException {
        if (v == null || v.isNull()) {
            g.writeNull();
        } else if (v.isTextual()) {
            g.writeString(v.textValue());
        } else if (v.isBoolean()) {
            g.writeBoolean(v.booleanValue());
        } else if (v.isInt()) {
            g.writeNumber(v.intValue());
        } else if (v.isLong()) {
            g.writeNumber(v.longValue());
        } else {
            g.writeTree(v);   // other numbers, objects, arrays: exactly as the mapper writes them
        }
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
