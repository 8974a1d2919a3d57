package dev.edgetwin.edge.kubeedge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.Field;
import dev.edgetwin.log.model.Hlc;

import java.util.Collection;

/**
 * KubeEdge's twin payloads built from EdgeTwin twins (KUBEEDGE-COMPAT.md sections 3 and 4).
 * Versions are never written: KubeEdge strips them from every MQTT output.
 */
public final class TwinMessages {
    private TwinMessages() {
    }

    /** A MsgTwin: {@code expected}, {@code actual}, {@code optional}, {@code metadata.type}; null if the property is not visible. */
    public static ObjectNode property(DeviceTwin twin, String p) {
        if (!twin.exists() || !twin.hasProperty(p)) return null;
        return property(twin, p, true, true);
    }

    /** {@link #property(DeviceTwin, String)} written to {@code out} (JSON null when not visible). */
    static void writeProperty(JsonBytes out, DeviceTwin twin, String p) {
        if (!twin.exists() || !twin.hasProperty(p)) {
            out.nul();
        } else {
            writeProperty(out, twin, p, true, true);
        }
    }

    // the member names every property of a result repeats, encoded once
    private static final JsonBytes.Name EXPECTED = JsonBytes.name("expected");
    private static final JsonBytes.Name ACTUAL = JsonBytes.name("actual");
    private static final JsonBytes.Name OPTIONAL = JsonBytes.name("optional");
    private static final JsonBytes.Name METADATA = JsonBytes.name("metadata");
    private static final JsonBytes.Name TYPE = JsonBytes.name("type");
    private static final JsonBytes.Name VALUE = JsonBytes.name("value");
    private static final JsonBytes.Name TIMESTAMP = JsonBytes.name("timestamp");

    /** {@link #property(DeviceTwin, String, boolean, boolean)} written to {@code out}: the same members in the same order. */
    static void writeProperty(JsonBytes out, DeviceTwin twin, String p, boolean expected, boolean actual) {
        out.startObject();
        if (expected) writeHalf(out, EXPECTED, twin.desiredField(p));
        if (actual) writeHalf(out, ACTUAL, twin.reportedField(p));
        out.field(OPTIONAL).bool(KubeEdgeValues.optional(twin, p));
        out.field(METADATA).startObject().field(TYPE).string(KubeEdgeValues.typeOf(twin, p)).endObject();
        out.endObject();
    }

    /** {@link KubeEdgeValues#half} as member {@code name}; nothing when the half is not set. */
    private static void writeHalf(JsonBytes out, JsonBytes.Name name, Field f) {
        if (f == null || !f.isSet()) return;
        out.field(name).startObject();
        out.field(VALUE).string(KubeEdgeValues.toWire(f.value()));
        out.field(METADATA).startObject().field(TIMESTAMP).number(Hlc.millis(f.stamp().hlc())).endObject();
        out.endObject();
    }

    /** A MsgTwin with only the halves asked for (an update result lists only the halves the request set). */
    static ObjectNode property(DeviceTwin twin, String p, boolean expected, boolean actual) {
        ObjectNode o = KubeEdgeJson.object();
        if (expected) {
            ObjectNode h = KubeEdgeValues.half(twin.desiredField(p));
            if (h != null) o.set("expected", h);
        }
        if (actual) {
            ObjectNode h = KubeEdgeValues.half(twin.reportedField(p));
            if (h != null) o.set("actual", h);
        }
        o.put("optional", KubeEdgeValues.optional(twin, p));
        o.putObject("metadata").put("type", KubeEdgeValues.typeOf(twin, p));
        return o;
    }

    /** Every visible property (a get result's {@code twin}); property names are sorted. */
    public static ObjectNode twin(DeviceTwin twin) {
        ObjectNode out = KubeEdgeJson.object();
        for (String p : twin.propertyNames()) out.set(p, property(twin, p, true, true));
        return out;
    }

    /**
     * The delta message, or null when no property has expected ≠ actual: {@code twin} holds every
     * property with a non-empty expected value, {@code delta} maps each such property whose
     * actual differs (a missing actual counts as "") to its expected value. Values compare as
     * KubeEdge strings, so desired {@code 80} and reported {@code "80"} are in sync.
     */
    public static ObjectNode delta(DeviceTwin twin, String eventId, long now) {
        if (!twin.exists()) return null;
        ObjectNode props = KubeEdgeJson.object();
        ObjectNode delta = KubeEdgeJson.object();
        for (String p : twin.propertyNames()) {
            String expected = twin.desired(p).map(KubeEdgeValues::toWire).orElse("");
            if (expected.isEmpty()) continue;
            props.set(p, property(twin, p, true, true));
            String actual = twin.reported(p).map(KubeEdgeValues::toWire).orElse("");
            if (!expected.equals(actual)) delta.put(p, expected);
        }
        if (delta.isEmpty()) return null;
        ObjectNode msg = KubeEdgeJson.base(eventId, now);
        msg.set("twin", props);
        msg.set("delta", delta);
        return msg;
    }

    /** {@code {name: {last, current}}} for the properties an update changed. */
    public static ObjectNode document(DeviceTwin before, DeviceTwin after, Collection<String> changed, String eventId, long now) {
        ObjectNode twin = KubeEdgeJson.object();
        for (String p : changed) {
            ObjectNode entry = twin.putObject(p);
            entry.set("last", property(before, p));
            entry.set("current", property(after, p));
        }
        ObjectNode msg = KubeEdgeJson.base(eventId, now);
        msg.set("twin", twin);
        return msg;
    }

    /** An error result: BaseMessage, {@code code}, {@code reason}, and EdgeTwin's stable {@code error}. */
    public static ObjectNode error(String eventId, long now, KubeEdgeError e) {
        ObjectNode msg = KubeEdgeJson.base(eventId, now);
        msg.put("code", e.code());
        msg.put("reason", e.reason());
        msg.put("error", e.error());
        return msg;
    }
}
