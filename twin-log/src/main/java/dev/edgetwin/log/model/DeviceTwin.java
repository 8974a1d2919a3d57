package dev.edgetwin.log.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The merged state of one device: immutable, and a pure function of the set of events
 * applied to it.
 *
 * <p><b>Merge rules.</b> The registration (node, model, attributes, property definitions), each
 * property's desired value, each property's reported value and the connection state are
 * last-writer-wins registers ordered by {@link Stamp} (hlc, origin). A removal is a register
 * too: it hides every register older than it — they are dropped, and older writes arriving
 * later are ignored — while writes newer than it stay. A registration newer than the last
 * removal brings the device back. Because each rule only keeps the maximum per register,
 * {@link #apply} is commutative, associative and idempotent: any order, batching or
 * duplication of the same events yields an equal twin and byte-identical documents.
 *
 * <p>Events for a device that is not (yet) registered are kept: replicated streams can
 * deliver a reported value before the registration that it follows causally elsewhere.
 */
public final class DeviceTwin {
    private final DeviceId id;
    private final Registration registration;           // null: never registered (or hidden by removal)
    private final Stamp removed;                       // null: never removed
    private final FieldMap desired;                    // sorted, tombstones included
    private final FieldMap reported;
    private final Stamp stateStamp;
    private final DeviceState state;
    private final long maxHlc;

    DeviceTwin(DeviceId id, Registration registration, Stamp removed, Map<String, Field> desired,
               Map<String, Field> reported, Stamp stateStamp, DeviceState state, long maxHlc) {
        this.id = Objects.requireNonNull(id, "id");
        this.registration = registration;
        this.removed = removed;
        this.desired = FieldMap.copyOf(desired);
        this.reported = FieldMap.copyOf(reported);
        this.stateStamp = stateStamp;
        this.state = state;
        this.maxHlc = maxHlc;
    }

    public static DeviceTwin empty(DeviceId id) {
        return new DeviceTwin(id, null, null, FieldMap.EMPTY, FieldMap.EMPTY, null, DeviceState.UNKNOWN, 0);
    }

    /** The twin with {@code record} merged in. Pure; returns {@code this} when nothing changes. */
    public DeviceTwin apply(EventRecord record) {
        TwinEvent event = record.event();
        if (!event.device().equals(id)) {
            throw new IllegalArgumentException("event for " + event.device() + " applied to twin of " + id);
        }
        Stamp s = record.stamp();
        long hlc = Math.max(maxHlc, s.hlc());
        if (removed != null && s.compareTo(removed) < 0) {
            return hlc == maxHlc ? this : with(registration, removed, desired, reported, stateStamp, state, hlc);
        }
        if (event instanceof TwinEvent.DeviceRegistered r) {
            return registration != null && s.compareTo(registration.stamp()) <= 0
                    ? withHlc(hlc)
                    : with(new Registration(s, r.node(), r.model(), r.attributes(), r.properties()),
                    removed, desired, reported, stateStamp, state, hlc);
        }
        if (event instanceof TwinEvent.DeviceRemoved) {
            return removed != null && s.compareTo(removed) <= 0 ? withHlc(hlc) : removeOlderThan(s, hlc);
        }
        if (event instanceof TwinEvent.DesiredSet d) {
            return with(registration, removed, put(desired, d.property(), s, d.value()), reported, stateStamp, state, hlc);
        }
        if (event instanceof TwinEvent.DesiredCleared d) {
            return with(registration, removed, put(desired, d.property(), s, null), reported, stateStamp, state, hlc);
        }
        if (event instanceof TwinEvent.ReportedSet r) {
            return with(registration, removed, desired, put(reported, r.property(), s, r.value()), stateStamp, state, hlc);
        }
        if (event instanceof TwinEvent.ReportedCleared r) {
            return with(registration, removed, desired, put(reported, r.property(), s, null), stateStamp, state, hlc);
        }
        TwinEvent.DeviceStateChanged c = (TwinEvent.DeviceStateChanged) event;
        return stateStamp != null && s.compareTo(stateStamp) <= 0
                ? withHlc(hlc)
                : with(registration, removed, desired, reported, s, c.state(), hlc);
    }

    private DeviceTwin removeOlderThan(Stamp s, long hlc) {
        Registration reg = registration != null && registration.stamp().compareTo(s) > 0 ? registration : null;
        boolean stateSurvives = stateStamp != null && stateStamp.compareTo(s) > 0;
        return with(reg, s, desired.newerThan(s), reported.newerThan(s),
                stateSurvives ? stateStamp : null, stateSurvives ? state : DeviceState.UNKNOWN, hlc);
    }

    private static FieldMap put(FieldMap fields, String property, Stamp s, JsonNode value) {
        return Field.loses(fields.get(property), s) ? fields.with(property, new Field(s, value)) : fields;
    }

    private DeviceTwin withHlc(long hlc) {
        return hlc == maxHlc ? this : with(registration, removed, desired, reported, stateStamp, state, hlc);
    }

    private DeviceTwin with(Registration reg, Stamp rem, FieldMap des, FieldMap rep,
                            Stamp st, DeviceState sv, long hlc) {
        if (reg == registration && rem == removed && des == desired && rep == reported
                && st == stateStamp && sv == state && hlc == maxHlc) {
            return this;
        }
        return new DeviceTwin(id, reg, rem, des, rep, st, sv, hlc);
    }

    public DeviceId id() {
        return id;
    }

    /** True when a registration is newer than every removal. */
    public boolean exists() {
        return registration != null;
    }

    public String node() {
        return registration == null ? "" : registration.node();
    }

    public String model() {
        return registration == null ? "" : registration.model();
    }

    public Map<String, JsonNode> attributes() {
        return registration == null ? Map.of() : registration.attributes();
    }

    public Map<String, PropertyDef> properties() {
        return registration == null ? Map.of() : registration.properties();
    }

    public Optional<JsonNode> desired(String property) {
        Field f = desired.get(property);
        return f == null ? Optional.empty() : Optional.ofNullable(f.value());
    }

    public Optional<JsonNode> reported(String property) {
        Field f = reported.get(property);
        return f == null ? Optional.empty() : Optional.ofNullable(f.value());
    }

    /** The desired register of {@code property} (tombstone included), or null. */
    public Field desiredField(String property) {
        return desired.get(property);
    }

    /** The reported register of {@code property} (tombstone included), or null. */
    public Field reportedField(String property) {
        return reported.get(property);
    }

    /** Visible properties: defined by the registration or holding a desired or reported value. */
    public Set<String> propertyNames() {
        TreeSet<String> names = new TreeSet<>(properties().keySet());
        desired.forEach((k, f) -> {
            if (f.isSet()) names.add(k);
        });
        reported.forEach((k, f) -> {
            if (f.isSet()) names.add(k);
        });
        return Collections.unmodifiableSet(names);
    }

    /** Whether {@code property} is one of {@link #propertyNames()}, without building that set. */
    public boolean hasProperty(String property) {
        if (properties().containsKey(property)) return true;
        Field d = desired.get(property);
        if (d != null && d.isSet()) return true;
        Field r = reported.get(property);
        return r != null && r.isSet();
    }

    /** The size of {@link #propertyNames()}, without building that set. */
    public int propertyCount() {
        Map<String, PropertyDef> defs = properties();
        int[] n = {defs.size()};
        desired.forEach((k, f) -> {
            if (f.isSet() && !defs.containsKey(k)) n[0]++;
        });
        reported.forEach((k, f) -> {
            if (f.isSet() && !defs.containsKey(k)) {
                Field d = desired.get(k);
                if (d == null || !d.isSet()) n[0]++;
            }
        });
        return n[0];
    }

    /** In sync when no desired value is set, or desired and reported are equal JSON values. */
    public boolean inSync(String property) {
        Optional<JsonNode> d = desired(property);
        return d.isEmpty() || d.equals(reported(property));
    }

    /** True when every visible property is in sync. */
    public boolean inSync() {
        for (String p : propertyNames()) {
            if (!inSync(p)) return false;
        }
        return true;
    }

    public DeviceState state() {
        return state;
    }

    /** The stamp of the state register (when and by whom {@link #state()} was set), or null if never set. */
    public Stamp stateStamp() {
        return stateStamp;
    }

    /** Highest HLC of any event applied to this twin, including hidden ones (0 if none). */
    public long maxHlc() {
        return maxHlc;
    }

    /** The twin document (DESIGN.md section 8). Meaningful only when {@link #exists()}. */
    public ObjectNode document() {
        return TwinDocument.of(this);
    }

    /** The document as canonical compact JSON: identical bytes on every node holding the same events. */
    public String documentJson() {
        return JsonValues.write(document());
    }

    /** A strong ETag derived from the document; equal documents have equal ETags on every node. */
    public String etag() {
        return TwinDocument.etag(documentJson());
    }

    // package-private accessors for the codec
    Registration registration() {
        return registration;
    }

    Stamp removedStamp() {
        return removed;
    }

    Map<String, Field> desiredFields() {
        return desired;
    }

    Map<String, Field> reportedFields() {
        return reported;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceTwin t && id.equals(t.id) && maxHlc == t.maxHlc
                && Objects.equals(registration, t.registration) && Objects.equals(removed, t.removed)
                && desired.equals(t.desired) && reported.equals(t.reported)
                && Objects.equals(stateStamp, t.stateStamp) && state == t.state;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, registration, removed, desired, reported, stateStamp, state, maxHlc);
    }

    @Override
    public String toString() {
        return "DeviceTwin[" + id + (exists() ? "" : " (absent)") + ", maxHlc=" + maxHlc + "]";
    }
}
