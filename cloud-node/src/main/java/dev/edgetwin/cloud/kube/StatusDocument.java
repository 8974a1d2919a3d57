package dev.edgetwin.cloud.kube;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.Field;
import dev.edgetwin.log.model.Hlc;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.Stamp;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code status} of a KubeEdge {@code DeviceStatus} (v1beta1) for a twin, as current KubeEdge
 * writes it (pure):
 * <pre>
 * status:
 *   twins:            one entry per property of the Device's spec.properties[] (KubeEdge lists only
 *   - propertyName    those) that holds a reported or a desired value, in spec order
 *     reported:        {value: "<text>", metadata: {timestamp: "<ms>", type: "<twin type>"}}
 *     observedDesired: the same shape, from the twin's desired value
 *   state:            online|offline|ok|unknown|unhealthy — only once a state was reported
 *   lastOnlineTime:   RFC 3339 UTC seconds of the last online/ok report, "" after another state
 * </pre>
 * Values are Kubernetes strings ({@link KubeValues#toKube}); {@code timestamp} is the wall time of
 * the value's HLC in milliseconds, as a decimal string; {@code type} is the property's twin type or,
 * when it declares none, the value's.
 *
 * <p>{@code observedDesired} is the twin's merged desired value — the value the device's edge
 * converges to. (KubeEdge copies the edge's own expected value; an edge acknowledgement per desired
 * value is not tracked by the cloud twin.) Everything here is derived from the twin alone, so the
 * same twin always gives the same status and an unchanged twin is never written again.
 */
final class StatusDocument {
    /** The keys of {@code status} the bridge owns; others ({@code extensions}) are left alone. */
    static final List<String> KEYS = List.of("twins", "state", "lastOnlineTime");

    private StatusDocument() {
    }

    static Map<String, Object> of(KubeDevice device, DeviceTwin twin) {
        Map<String, Object> status = new LinkedHashMap<>();
        List<Object> twins = new ArrayList<>();
        if (twin.exists()) {
            for (String p : device.propertyNames()) {
                String declared = twin.properties().getOrDefault(p, PropertyDef.ANY).type();
                Map<String, Object> reported = value(twin.reportedField(p), declared);
                Map<String, Object> desired = value(twin.desiredField(p), declared);
                if (reported == null && desired == null) continue;
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("propertyName", p);
                if (reported != null) entry.put("reported", reported);
                if (desired != null) entry.put("observedDesired", desired);
                twins.add(entry);
            }
        }
        status.put("twins", twins);
        Stamp state = twin.exists() ? twin.stateStamp() : null;
        if (state != null) {
            status.put("state", twin.state().wireName());
            status.put("lastOnlineTime", twin.state().isOnline()
                    ? Hlc.instant(state.hlc()).truncatedTo(ChronoUnit.SECONDS).toString() : "");
        }
        return status;
    }

    private static Map<String, Object> value(Field field, String declared) {
        if (field == null || !field.isSet()) return null;
        JsonNode v = field.value();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("timestamp", Long.toString(Hlc.millis(field.stamp().hlc())));
        metadata.put("type", declared.isEmpty() ? KubeValues.typeOf(v) : declared);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("value", KubeValues.toKube(v));
        out.put("metadata", metadata);
        return out;
    }

    /** True when {@code current} (a DeviceStatus's status, or null) already holds every key of {@code wanted}. */
    static boolean holds(Map<String, Object> current, Map<String, Object> wanted) {
        if (current == null) return false;
        for (Map.Entry<String, Object> e : wanted.entrySet()) {
            if (!e.getValue().equals(current.get(e.getKey()))) return false;
        }
        return true;
    }
}
