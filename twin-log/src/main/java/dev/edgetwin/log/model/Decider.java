package dev.edgetwin.log.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a command and the current twin into events, or a coded rejection — all or nothing:
 * one bad property rejects the whole command and no event is produced. Pure.
 *
 * <p>A patch that sets a value equal to the current one still produces an event (KubeEdge
 * counts an equal value as a change and re-stamps it; the history records it). Clearing a
 * value that is not set is a no-op (RFC 7386: null removes a member if present).
 */
public final class Decider {
    private final Limits limits;

    public Decider(Limits limits) {
        this.limits = limits;
    }

    public Limits limits() {
        return limits;
    }

    public Decision decide(DeviceTwin current, TwinCommand command) {
        TwinError idError = limits.checkId(command.id());
        if (idError != null) return new Decision.Rejected(idError);
        if (command instanceof TwinCommand.RegisterDevice r) return register(current, r);
        if (!current.exists()) return new Decision.Rejected(TwinError.notFound(command.id()));
        if (command instanceof TwinCommand.RemoveDevice) {
            return accept(List.of(new TwinEvent.DeviceRemoved(command.id())));
        }
        if (command instanceof TwinCommand.PatchDesired p) return patch(p.id(), current, p.patch(), true);
        if (command instanceof TwinCommand.PatchReported p) return patch(p.id(), current, p.patch(), false);
        TwinCommand.ChangeState c = (TwinCommand.ChangeState) command;
        return accept(List.of(new TwinEvent.DeviceStateChanged(c.id(), c.state())));
    }

    private Decision register(DeviceTwin current, TwinCommand.RegisterDevice r) {
        TwinError e = limits.checkNode(r.node());
        if (e != null) return new Decision.Rejected(e);
        if (r.model() != null && !r.model().isEmpty() && !limits.validName(r.model())) {
            return reject(TwinError.MODEL_INVALID, "model '" + r.model() + "' must be a Kubernetes object name");
        }
        if (r.attributes().size() > limits.maxAttributes()) {
            return reject(TwinError.LIMIT_ATTRIBUTES, r.attributes().size() + " attributes; the limit is " + limits.maxAttributes());
        }
        for (Map.Entry<String, JsonNode> a : r.attributes().entrySet()) {
            if (!limits.validKey(a.getKey())) {
                return reject(TwinError.ATTRIBUTE_INVALID, "attribute key '" + a.getKey() + "' " + limits.keyRule());
            }
            if (a.getValue() == null || a.getValue().isNull()) {
                return reject(TwinError.ATTRIBUTE_INVALID, "attribute '" + a.getKey() + "' has no value");
            }
            TwinError size = limits.checkValueSize("attribute", a.getKey(), JsonValues.canonical(a.getValue()));
            if (size != null) return new Decision.Rejected(size);
        }
        for (Map.Entry<String, PropertyDef> p : r.properties().entrySet()) {
            if (!limits.validKey(p.getKey())) {
                return reject(TwinError.PROPERTY_INVALID, "property key '" + p.getKey() + "' " + limits.keyRule());
            }
            if (p.getValue() == null || !ValueTypes.KNOWN.contains(p.getValue().type())) {
                return reject(TwinError.PROPERTY_INVALID, "property '" + p.getKey() + "' has an unknown type; allowed: "
                        + new TreeSet<>(ValueTypes.KNOWN));
            }
        }
        for (String p : r.desired().keySet()) {
            if (!limits.validKey(p)) return reject(TwinError.PROPERTY_INVALID, "property key '" + p + "' " + limits.keyRule());
            JsonNode wanted = r.desired().get(p);
            boolean setsValue = wanted != null && !wanted.isNull();
            if (setsValue && r.properties().getOrDefault(p, PropertyDef.ANY).readOnly()) {
                return reject(TwinError.PROPERTY_READONLY, "property '" + p + "' is read-only: it has no desired value");
            }
        }
        // reported values stay through a re-registration, so their properties stay visible
        Set<String> names = new TreeSet<>(r.properties().keySet());
        names.addAll(r.desired().keySet());
        for (String p : current.propertyNames()) {
            if (current.reported(p).isPresent()) names.add(p);
        }
        if (names.size() > limits.maxProperties()) {
            return reject(TwinError.LIMIT_PROPERTIES, names.size() + " properties; the limit is " + limits.maxProperties());
        }
        List<TwinEvent> events = new ArrayList<>();
        // a move to another node: the old node must drop the device, so the registration is
        // preceded by a removal (the store writes it to the old node's stream); stamped before
        // the registration, it hides the old node's fields, and the desired values below are
        // stamped after it, so the device arrives on its new node with exactly these values
        boolean moving = isMove(current, r);
        if (moving) events.add(new TwinEvent.DeviceRemoved(r.id()));
        events.add(new TwinEvent.DeviceRegistered(r.id(), r.node(), r.model(), r.attributes(), r.properties()));
        for (Map.Entry<String, JsonNode> d : r.desired().entrySet()) {
            if (d.getValue() == null || d.getValue().isNull()) continue;
            TwinError v = checkValue(d.getKey(), d.getValue(), r.properties().getOrDefault(d.getKey(), PropertyDef.ANY));
            if (v != null) return new Decision.Rejected(v);
            events.add(new TwinEvent.DesiredSet(r.id(), d.getKey(), d.getValue()));
        }
        // also when the device is absent: desired values newer than its removal survive it, and a
        // registration states the whole desired state (on a move the removal already hid them all)
        for (String p : moving ? Set.<String>of() : current.propertyNames()) {
            JsonNode wanted = r.desired().get(p);
            if (current.desired(p).isPresent() && (wanted == null || wanted.isNull())) {
                events.add(new TwinEvent.DesiredCleared(r.id(), p));
            }
        }
        return accept(events);
    }

    /**
     * True when {@code r} re-registers an existing device on another node. Its decision is then
     * a {@link TwinEvent.DeviceRemoved} (for the node the device leaves) followed by the
     * registration and its desired values (for the new node).
     */
    public static boolean isMove(DeviceTwin current, TwinCommand.RegisterDevice r) {
        return current.exists() && !current.node().equals(r.node());
    }

    private Decision patch(DeviceId id, DeviceTwin current, Map<String, JsonNode> patch, boolean desired) {
        // counting the visible names builds a set: skip it when even every register plus the patch stays within the limit
        boolean count = current.properties().size() + current.desiredFields().size() + current.reportedFields().size()
                + patch.size() > limits.maxProperties();
        Set<String> names = count ? new TreeSet<>(current.propertyNames()) : null;
        List<TwinEvent> events = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : patch.entrySet()) {
            String p = e.getKey();
            if (!limits.validKey(p)) return reject(TwinError.PROPERTY_INVALID, "property key '" + p + "' " + limits.keyRule());
            PropertyDef def = current.properties().getOrDefault(p, PropertyDef.ANY);
            if (desired && def.readOnly()) {
                return reject(TwinError.PROPERTY_READONLY, "property '" + p + "' is read-only: it has no desired value");
            }
            JsonNode value = e.getValue();
            if (value == null || value.isNull()) {
                boolean isSet = desired ? current.desired(p).isPresent() : current.reported(p).isPresent();
                if (isSet) {
                    events.add(desired ? new TwinEvent.DesiredCleared(id, p) : new TwinEvent.ReportedCleared(id, p));
                }
                continue;
            }
            TwinError v = checkValue(p, value, def);
            if (v != null) return new Decision.Rejected(v);
            if (count) names.add(p);
            events.add(desired ? new TwinEvent.DesiredSet(id, p, value) : new TwinEvent.ReportedSet(id, p, value));
        }
        if (count && names.size() > limits.maxProperties()) {
            return reject(TwinError.LIMIT_PROPERTIES, "the device would have " + names.size()
                    + " properties; the limit is " + limits.maxProperties());
        }
        return accept(events);
    }

    /** Checks the canonical form: the one the event will carry (42.0 is an int, 1.50 is 3 bytes). */
    private TwinError checkValue(String property, JsonNode raw, PropertyDef def) {
        JsonNode value = JsonValues.canonical(raw);
        TwinError size = limits.checkValueSize("value of", property, value);
        if (size != null) return size;
        String mismatch = ValueTypes.mismatch(def.type(), value);
        return mismatch == null ? null : TwinError.badRequest(TwinError.VALUE_INVALID, "property '" + property + "': " + mismatch);
    }

    private static Decision accept(List<TwinEvent> events) {
        return new Decision.Accepted(events);
    }

    private static Decision reject(String code, String message) {
        return new Decision.Rejected(TwinError.badRequest(code, message));
    }
}
