package dev.edgetwin.edge.kubeedge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.Hlc;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * The devices bound to this edge as KubeEdge's membership messages show them
 * (KUBEEDGE-COMPAT.md 4.7), and the tracking that turns registrations and removals into
 * {@code membership/updated} messages: one per device that joins or leaves the node.
 *
 * <p>Mapping: {@code id} is {@code namespace/name}; {@code description} is the device's
 * {@code description} attribute (KubeEdge: the Device's {@code description} label);
 * {@code state} and {@code last_online} appear once a state was reported (the state word in
 * lower case; {@code last_online} the time of that report, RFC 3339 in seconds, for
 * {@code online}/{@code ok}); {@code attributes} (get result only) the other attributes as
 * KubeEdge MsgAttr. Confined to one thread (the MQTT event loop).
 */
final class Membership {
    private final String nodeId;
    private final Map<DeviceId, ObjectNode> members = new HashMap<>();

    Membership(String nodeId) {
        this.nodeId = nodeId;
    }

    boolean isMember(DeviceTwin twin) {
        return twin.exists() && nodeId.equals(twin.node());
    }

    void add(DeviceTwin twin) {
        if (isMember(twin)) members.put(twin.id(), brief(twin));
    }

    /**
     * Brings the tracked membership up to date with {@code after}; returns the
     * {@code membership/updated} message when the device joined or left, else null.
     */
    ObjectNode update(DeviceTwin after, String eventId, long now) {
        boolean member = isMember(after);
        ObjectNode known = members.get(after.id());
        if (member) {
            ObjectNode device = brief(after);
            members.put(after.id(), device);
            return known == null ? updated(eventId, now, device, true) : null;
        }
        if (known == null) return null;
        members.remove(after.id());
        return updated(eventId, now, known, false);
    }

    private static ObjectNode updated(String eventId, long now, ObjectNode device, boolean added) {
        ObjectNode msg = KubeEdgeJson.base(eventId, now);
        ArrayNode list = KubeEdgeJson.NODES.arrayNode().add(device);
        // KubeEdge sends null, not [], for the unused list
        if (added) {
            msg.set("added_devices", list);
            msg.putNull("removed_devices");
        } else {
            msg.putNull("added_devices");
            msg.set("removed_devices", list);
        }
        return msg;
    }

    /** {@code id}, {@code name}, {@code description}: what KubeEdge's cloud sends in membership/updated. */
    static ObjectNode brief(DeviceTwin twin) {
        ObjectNode d = KubeEdgeJson.object();
        d.put("id", twin.id().toString());
        d.put("name", twin.id().name());
        String description = description(twin);
        if (!description.isEmpty()) d.put("description", description);
        return d;
    }

    /** A device of the get result: brief, then state, last_online and attributes when present. */
    static ObjectNode full(DeviceTwin twin) {
        ObjectNode d = brief(twin);
        if (twin.stateStamp() != null) {
            d.put("state", twin.state().wireName());
            if (twin.state().isOnline()) d.put("last_online", rfc3339(Hlc.millis(twin.stateStamp().hlc())));
        }
        ObjectNode attributes = KubeEdgeJson.object();
        twin.attributes().forEach((k, v) -> {
            if (k.equals("description")) return;
            ObjectNode a = attributes.putObject(k);
            a.put("value", KubeEdgeValues.toWire(v));
            a.put("optional", false);
            a.putObject("metadata").put("type", KubeEdgeValues.typeOfValue(v));
        });
        if (!attributes.isEmpty()) d.set("attributes", attributes);
        return d;
    }

    private static String description(DeviceTwin twin) {
        JsonNode v = twin.attributes().get("description");
        return v == null ? "" : KubeEdgeValues.toWire(v);
    }

    /** RFC 3339 UTC in whole seconds, as KubeEdge writes {@code last_online}: {@code 2024-11-22T18:26:42Z}. */
    static String rfc3339(long millis) {
        return Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
