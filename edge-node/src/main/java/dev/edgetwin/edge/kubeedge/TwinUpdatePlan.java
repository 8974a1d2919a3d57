package dev.edgetwin.edge.kubeedge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgetwin.log.model.DeviceTwin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a checked {@code twin/update} does to a twin, decided with KubeEdge's rules
 * (KUBEEDGE-COMPAT.md section 5) before anything is written: the desired and reported patches
 * to submit, and which properties the result and the document list. All or nothing: the first
 * semantic error rejects the whole message ({@link TwinUpdateRequest.Rejected}).
 *
 * <p>Divergences, on purpose: a {@code null} for a property the device does not have is a 400
 * (KubeEdge silently stops); a property sent with neither {@code expected} nor {@code actual}
 * changes nothing (KubeEdge would store an empty property; EdgeTwin keeps only properties the
 * device model declares or that hold a value); {@code optional} in a request is not stored
 * (see {@link KubeEdgeValues#optional}).
 *
 * @param desired  property → typed desired value, or null to clear (a JSON merge patch)
 * @param reported property → typed reported value, or null to clear
 * @param changed  properties the update changed, sorted: they appear in the result and document
 * @param added    changed properties the twin did not have
 * @param deleted  changed properties the update deletes
 * @param halves   property → {expected sent, actual sent}, for the result of existing properties
 */
public record TwinUpdatePlan(Map<String, JsonNode> desired, Map<String, JsonNode> reported, Set<String> changed,
                             Set<String> added, Set<String> deleted, Map<String, boolean[]> halves) {

    public static TwinUpdatePlan of(DeviceTwin before, TwinUpdateRequest request, int maxProperties) {
        // made by the first put, sized for the request: most updates set one property of one half
        int size = request.twin().size();
        Map<String, JsonNode> desired = Map.of();
        Map<String, JsonNode> reported = Map.of();
        List<String> changed = new ArrayList<>(size);
        Set<String> added = Set.of();     // made mutable by the first add: most updates add and delete nothing
        Set<String> deleted = Set.of();
        Map<String, boolean[]> halves = Map.of();
        for (Map.Entry<String, TwinUpdateRequest.PropertyUpdate> e : request.twin().entrySet()) {
            String p = e.getKey();
            TwinUpdateRequest.PropertyUpdate u = e.getValue();
            if (u == null) {
                if (!before.hasProperty(p)) {
                    throw reject(KubeEdgeError.PROPERTY_UNKNOWN, "cannot delete property " + p + ": the device has no such property");
                }
                // KubeEdge deletes only optional properties holding a value; any other null is ignored silently
                boolean hasDesired = before.desired(p).isPresent();
                boolean hasReported = before.reported(p).isPresent();
                if (!KubeEdgeValues.optional(before, p) || !(hasDesired || hasReported)) continue;
                if (hasDesired) desired = put(desired, p, null, size);
                if (hasReported) reported = put(reported, p, null, size);
                if (deleted.isEmpty()) deleted = new HashSet<>();
                deleted.add(p);
                changed.add(p);
                continue;
            }
            if (u.expectedWithoutValue() || u.actualWithoutValue()) {
                throw reject(KubeEdgeError.VALUE_MISSING, "the " + (u.expectedWithoutValue() ? "expected" : "actual")
                        + " of " + p + " has no value");
            }
            if (u.expected() == null && u.actual() == null) continue;
            if (before.hasProperty(p)) {
                String type = KubeEdgeValues.typeOf(before, p);
                boolean declared = KubeEdgeValues.declaredType(before, p);
                if (u.actual() != null) {
                    check(declared ? KubeEdgeValues.mismatch(type, u.actual()) : KubeEdgeValues.relaxedMismatch(type, u.actual()));
                    reported = put(reported, p, KubeEdgeValues.toValue(declared ? type : KubeEdgeValues.relaxedType(type, u.actual()), u.actual()), size);
                }
                if (u.expected() != null) {
                    // KubeEdge does not type-check an expected value while the property has none yet
                    if (before.desired(p).isPresent()) {
                        check(declared ? KubeEdgeValues.mismatch(type, u.expected())
                                : KubeEdgeValues.relaxedMismatch(type, u.expected()));
                    }
                    desired = put(desired, p, KubeEdgeValues.toValue(declared ? type : KubeEdgeValues.relaxedType(type, u.expected()),
                            u.expected()), size);
                }
            } else {
                String type = u.type() == null ? "string" : u.type();
                if (!KubeEdgeValues.TYPES.contains(type)) throw reject(KubeEdgeError.TYPE_INVALID, "the value type is not allowed");
                if (u.actual() != null) {
                    check(KubeEdgeValues.mismatch(type, u.actual()));
                    reported = put(reported, p, KubeEdgeValues.toValue(type, u.actual()), size);
                }
                if (u.expected() != null) {
                    check(KubeEdgeValues.mismatch(type, u.expected()));
                    desired = put(desired, p, KubeEdgeValues.toValue(type, u.expected()), size);
                }
                if (added.isEmpty()) added = new HashSet<>();
                added.add(p);
            }
            changed.add(p);
            halves = put(halves, p, new boolean[]{u.expected() != null, u.actual() != null}, size);
        }
        int visible = before.propertyCount() + added.size() - deleted.size();
        if (visible > maxProperties) {
            throw reject(KubeEdgeError.LIMIT_PROPERTIES, "the device would have " + visible + " properties; the limit is " + maxProperties);
        }
        return new TwinUpdatePlan(desired, reported, sorted(changed), added, deleted, halves);
    }

    /**
     * {@code m} with {@code p} mapped to {@code v} (null too), for a request of {@code size}
     * properties, each of which puts into a map at most once: the empty map it starts with
     * becomes a one-entry map for a one-property request, else a table that holds them all.
     */
    private static <V> Map<String, V> put(Map<String, V> m, String p, V v, int size) {
        if (m.isEmpty()) {
            if (size == 1) return Collections.singletonMap(p, v);
            m = new LinkedHashMap<>(size + size / 3 + 1);
        }
        m.put(p, v);
        return m;
    }

    /** The changed properties in order (a request names each property once). */
    private static Set<String> sorted(List<String> changed) {
        return switch (changed.size()) {
            case 0 -> Set.of();
            case 1 -> Set.of(changed.get(0));
            default -> new TreeSet<>(changed);
        };
    }

    private static void check(String mismatch) {
        if (mismatch != null) {
            String code = mismatch.equals("the value type is not allowed") ? KubeEdgeError.TYPE_INVALID : KubeEdgeError.TYPE_MISMATCH;
            throw reject(code, mismatch);
        }
    }

    private static TwinUpdateRequest.Rejected reject(String code, String reason) {
        return new TwinUpdateRequest.Rejected(KubeEdgeError.badRequest(code, reason));
    }

    /**
     * The update result's {@code twin}: a deleted property is null, an added one is the whole
     * stored property, an existing one the halves the request set, with optional and type.
     * The edge publishes {@link #resultMessage}; this tree is the reference that message is tested
     * against (TwinUpdateFastPathTest) and the baseline of TwinUpdateCodecBenchmark.
     */
    public ObjectNode resultTwin(DeviceTwin after) {
        ObjectNode out = KubeEdgeJson.object();
        for (String p : changed) {
            if (deleted.contains(p)) {
                out.putNull(p);
            } else if (added.contains(p)) {
                out.set(p, TwinMessages.property(after, p));
            } else {
                boolean[] h = halves.get(p);
                out.set(p, TwinMessages.property(after, p, h[0], h[1]));
            }
        }
        return out;
    }

    private static final JsonBytes.Name EVENT_ID = JsonBytes.name("event_id");
    private static final JsonBytes.Name TIMESTAMP = JsonBytes.name("timestamp");
    private static final JsonBytes.Name TWIN = JsonBytes.name("twin");
    /** Room kept in each thread's result writer; a larger message grows it once and gives the room back after. */
    private static final int KEPT_CAPACITY = 4_096;
    private static final ThreadLocal<JsonBytes> RESULT_WRITER = ThreadLocal.withInitial(() -> new JsonBytes(KEPT_CAPACITY));

    /**
     * The update result message in one pass, without a tree: the bytes {@link KubeEdgeJson#write}
     * gives for {@link KubeEdgeJson#base} with {@link #resultTwin} as its {@code twin}.
     */
    public byte[] resultMessage(String eventId, long now, DeviceTwin after) {
        // written into this thread's writer (the writer thread or the loop), copied out once
        JsonBytes out = RESULT_WRITER.get().reset(KEPT_CAPACITY);
        out.startObject();
        out.field(EVENT_ID).string(eventId);
        out.field(TIMESTAMP).number(now);
        out.field(TWIN).startObject();
        for (String p : changed) {
            out.field(p);
            if (deleted.contains(p)) {
                out.nul();
            } else if (added.contains(p)) {
                TwinMessages.writeProperty(out, after, p);
            } else {
                boolean[] h = halves.get(p);
                TwinMessages.writeProperty(out, after, p, h[0], h[1]);
            }
        }
        out.endObject();
        out.endObject();
        return out.toBytes();
    }
}
