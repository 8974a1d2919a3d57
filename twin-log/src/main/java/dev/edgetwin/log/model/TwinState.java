package dev.edgetwin.log.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The merged state of a fleet: every device's {@link DeviceTwin}. Immutable; {@link #apply}
 * is pure and inherits the commutativity, associativity and idempotence of DeviceTwin.apply.
 * Meant for replays, tests and audits; the nodes keep fleet state in the projection.
 */
public final class TwinState {
    private static final TwinState EMPTY = new TwinState(Map.of());
    private final Map<DeviceId, DeviceTwin> twins;

    private TwinState(Map<DeviceId, DeviceTwin> twins) {
        this.twins = twins;
    }

    public static TwinState empty() {
        return EMPTY;
    }

    public TwinState apply(EventRecord record) {
        DeviceId id = record.event().device();
        DeviceTwin before = twins.getOrDefault(id, DeviceTwin.empty(id));
        DeviceTwin after = before.apply(record);
        if (after == before && twins.containsKey(id)) return this;
        TreeMap<DeviceId, DeviceTwin> next = new TreeMap<>(twins);
        next.put(id, after);
        return new TwinState(Collections.unmodifiableMap(next));
    }

    public TwinState applyAll(Iterable<EventRecord> records) {
        TreeMap<DeviceId, DeviceTwin> next = new TreeMap<>(twins);
        for (EventRecord r : records) {
            DeviceId id = r.event().device();
            next.put(id, next.getOrDefault(id, DeviceTwin.empty(id)).apply(r));
        }
        return new TwinState(Collections.unmodifiableMap(next));
    }

    /** The twin of {@code id}, if any event for it was applied (it may not exist: see DeviceTwin.exists). */
    public Optional<DeviceTwin> get(DeviceId id) {
        return Optional.ofNullable(twins.get(id));
    }

    /** All twins, including absent ones, sorted by id. */
    public Map<DeviceId, DeviceTwin> twins() {
        return twins;
    }

    /** Documents of existing devices, sorted by id. */
    public List<ObjectNode> documents() {
        List<ObjectNode> out = new ArrayList<>();
        twins.values().forEach(t -> {
            if (t.exists()) out.add(t.document());
        });
        return out;
    }
}
