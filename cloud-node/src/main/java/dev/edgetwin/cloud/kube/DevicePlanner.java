package dev.edgetwin.cloud.kube;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.Field;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides what one Device and its twin need to agree (pure: a {@link DevicePlan} from a
 * {@link KubeDevice}, its {@link KubeDeviceModel} and the current {@link DeviceTwin}).
 *
 * <p><b>Who owns what.</b> Kubernetes owns the registration of the devices it declares: node
 * ({@code spec.nodeName}), model ({@code spec.deviceModelRef}), attributes (the Device's labels, plus
 * {@value #UID_ATTRIBUTE} that marks the twin as the bridge's) and property definitions (the model's
 * properties, and spec properties typed by {@code desired.metadata.type}). When they differ, the
 * Device is registered again. Desired values flow both ways.
 *
 * <p><b>Which desired values win.</b> When the spec's and the twin's desired values differ, the
 * Device's {@value KubeDevice#SYNCED_ANNOTATION} annotation decides: it holds the twin's desired HLC
 * (the newest stamp of its desired registers) at the last time the two were made equal. If the
 * twin's desired HLC is beyond it, the twin changed since (REST API, edge) and its values are written
 * into the spec; otherwise the spec changed since (kubectl) and its values go to the twin. (A twin
 * not made from this Device — registered through the REST API, or left by a deleted Device of the
 * same name — always yields to the spec.) A restart
 * or a resync therefore finds them equal and does nothing, and a spec written back from the twin
 * comes back equal, so it is no new event. When both changed while the bridge was away, the twin wins.
 *
 * <p><b>Comparing values</b> uses {@link KubeValues#normal}: a spelling is not a change. A spec value
 * that is not of its property's type, or that sets a read-only property, is ignored (with a note).
 */
public final class DevicePlanner {
    /** The attribute that marks a twin as made from a Kubernetes Device (its value: the Device's uid). */
    public static final String UID_ATTRIBUTE = "edgetwin.dev/kube-uid";

    private DevicePlanner() {
    }

    /** True when {@code twin} exists and was registered by the bridge. */
    public static boolean managed(DeviceTwin twin) {
        return twin.exists() && twin.attributes().containsKey(UID_ATTRIBUTE);
    }

    /**
     * True when {@code twin} was made from this very Device (same uid). Only then can its desired
     * values be newer than the spec: a twin registered through the REST API, or left by a deleted
     * Device of the same name, yields to the Device.
     */
    static boolean madeFrom(DeviceTwin twin, KubeDevice device) {
        JsonNode uid = twin.exists() ? twin.attributes().get(UID_ATTRIBUTE) : null;
        return uid != null && uid.isTextual() && uid.textValue().equals(device.uid());
    }

    /** The plan when the Device is gone: remove the twin if the bridge made it. */
    public static DevicePlan deleted(DeviceTwin twin) {
        return managed(twin)
                ? new DevicePlan(DevicePlan.Kind.REMOVE, List.of(new TwinCommand.RemoveDevice(twin.id())), null, List.of())
                : DevicePlan.none();
    }

    public static DevicePlan plan(KubeDevice device, KubeDeviceModel model, DeviceTwin twin) {
        if (device.node().isEmpty()) {
            return managed(twin)
                    ? new DevicePlan(DevicePlan.Kind.REMOVE, List.of(new TwinCommand.RemoveDevice(twin.id())), null, List.of())
                    : DevicePlan.none();
        }
        List<String> notes = new ArrayList<>();
        Map<String, PropertyDef> defs = definitions(device, model);
        Set<String> names = propertyNames(device, twin);
        Map<String, JsonNode> spec = specDesired(device, defs, notes);
        Map<String, JsonNode> current = twinDesired(twin, defs, names);
        boolean desiredSame = spec.equals(current);
        boolean twinWins = madeFrom(twin, device) && !desiredSame && desiredHlc(twin, names) > device.syncedHlc();
        Map<String, String> writeBack = twinWins ? kubeDesired(twin, names) : null;

        Map<String, JsonNode> attributes = attributes(device);
        boolean sameRegistration = twin.exists() && twin.node().equals(device.node()) && twin.model().equals(device.model())
                && twin.attributes().equals(attributes) && twin.properties().equals(defs);
        if (!sameRegistration) {
            Map<String, JsonNode> desired = twinWins ? typedTwinDesired(twin, defs, names, notes) : spec;
            TwinCommand register = new TwinCommand.RegisterDevice(device.id(), device.node(), device.model(),
                    attributes, defs, desired);
            if (twin.exists() && !twin.node().equals(device.node())) {
                return new DevicePlan(DevicePlan.Kind.MOVE, List.of(new TwinCommand.RemoveDevice(device.id()), register),
                        writeBack, notes);
            }
            return new DevicePlan(twin.exists() ? DevicePlan.Kind.REREGISTER : DevicePlan.Kind.REGISTER, List.of(register),
                    writeBack, notes);
        }
        if (desiredSame) return DevicePlan.none();
        if (twinWins) return new DevicePlan(DevicePlan.Kind.WRITE_BACK, List.of(), writeBack, notes);
        Map<String, JsonNode> patch = new LinkedHashMap<>();
        for (String p : names) {
            JsonNode wanted = spec.get(p);
            if (wanted != null && !wanted.equals(current.get(p))) patch.put(p, wanted);
            if (wanted == null && current.containsKey(p)) patch.put(p, null);   // JSON merge patch: null clears
        }
        return new DevicePlan(DevicePlan.Kind.DESIRED, List.of(new TwinCommand.PatchDesired(device.id(), patch)), null, notes);
    }

    /**
     * Property definitions: every property of the model, and spec properties the model lacks typed by
     * their {@code desired.metadata.type}. Untyped, writable definitions are left out: they say nothing
     * a twin does not assume, and adding a property to the spec must not change the registration.
     */
    static Map<String, PropertyDef> definitions(KubeDevice device, KubeDeviceModel model) {
        Map<String, PropertyDef> defs = new TreeMap<>(model.properties());
        for (KubeDevice.SpecProperty p : device.properties()) {
            if (!defs.containsKey(p.name())) defs.put(p.name(), new PropertyDef(KubeDeviceModel.twinType(p.desiredType()), false));
        }
        defs.values().removeIf(PropertyDef.ANY::equals);
        return defs;
    }

    static Map<String, JsonNode> attributes(KubeDevice device) {
        Map<String, JsonNode> out = new TreeMap<>();
        device.labels().forEach((k, v) -> out.put(k, JsonValues.text(v == null ? "" : v)));
        out.put(UID_ATTRIBUTE, JsonValues.text(device.uid()));
        return out;
    }

    private static String type(Map<String, PropertyDef> defs, String property) {
        return defs.getOrDefault(property, PropertyDef.ANY).type();
    }

    private static Map<String, JsonNode> specDesired(KubeDevice device, Map<String, PropertyDef> defs, List<String> notes) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (KubeDevice.SpecProperty p : device.properties()) {
            if (p.desired() == null) continue;
            PropertyDef def = defs.getOrDefault(p.name(), PropertyDef.ANY);
            if (def.readOnly()) {
                notes.add("property " + p.name() + " is read-only in model " + device.model() + ": its desired value is ignored");
                continue;
            }
            JsonNode value = KubeValues.toTwin(def.type(), p.desired());
            if (value == null) {
                notes.add("desired value '" + p.desired() + "' of " + p.name() + " is not of type " + def.type() + ": ignored");
                continue;
            }
            out.put(p.name(), value);
        }
        return out;
    }

    private static Map<String, JsonNode> twinDesired(DeviceTwin twin, Map<String, PropertyDef> defs, Set<String> names) {
        Map<String, JsonNode> out = new TreeMap<>();
        if (!twin.exists()) return out;
        for (String p : names) twin.desired(p).ifPresent(v -> out.put(p, KubeValues.normal(type(defs, p), v)));
        return out;
    }

    /** The twin's desired values fit for a registration with {@code defs}; values no longer of their type are dropped. */
    private static Map<String, JsonNode> typedTwinDesired(DeviceTwin twin, Map<String, PropertyDef> defs, Set<String> names,
                                                          List<String> notes) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (String p : names) {
            twin.desired(p).ifPresent(v -> {
                JsonNode typed = KubeValues.toTwin(type(defs, p), KubeValues.toKube(v));
                if (typed == null || defs.getOrDefault(p, PropertyDef.ANY).readOnly()) {
                    notes.add("desired value " + JsonValues.write(v) + " of " + p + " no longer fits its definition: dropped");
                } else {
                    out.put(p, v.isTextual() ? typed : v);
                }
            });
        }
        return out;
    }

    private static Map<String, String> kubeDesired(DeviceTwin twin, Set<String> names) {
        Map<String, String> out = new TreeMap<>();
        for (String p : names) twin.desired(p).ifPresent(v -> out.put(p, KubeValues.toKube(v)));
        return out;
    }

    /** The newest stamp of the twin's desired registers among {@code names} (cleared ones count), 0 if none. */
    public static long desiredHlc(DeviceTwin twin, Iterable<String> names) {
        long max = 0;
        if (!twin.exists()) return 0;
        for (String p : names) {
            Field f = twin.desiredField(p);
            if (f != null) max = Math.max(max, f.stamp().hlc());
        }
        return max;
    }

    /** The names {@link #desiredHlc} looks at for a Device and its twin. */
    public static Set<String> propertyNames(KubeDevice device, DeviceTwin twin) {
        Set<String> names = new TreeSet<>(device.propertyNames());
        if (twin.exists()) names.addAll(twin.propertyNames());
        return names;
    }
}
