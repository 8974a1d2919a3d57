package dev.edgetwin.edge.kubeedge;

import dev.edgetwin.log.model.DeviceId;

import java.util.List;

/**
 * KubeEdge's device-twin topics (KUBEEDGE-COMPAT.md section 2). A device id takes two topic
 * levels, {@code <namespace>/<name>}.
 */
public final class KubeEdgeTopics {
    public static final String DEVICE_PREFIX = "$hw/events/device/";
    public static final String NODE_PREFIX = "$hw/events/node/";

    /** What the edge subscribes to (QoS 1), exactly KubeEdge's twin filters. */
    public static final List<String> FILTERS = List.of(
            "$hw/events/device/+/+/twin/+",
            "$hw/events/device/+/+/state/update",
            "$hw/events/node/+/membership/get");

    /** A request the edge answers. */
    public sealed interface Request {
    }

    public record TwinUpdate(DeviceId id) implements Request {
    }

    public record TwinGet(DeviceId id) implements Request {
    }

    /** {@code twin/cloud_updated}: KubeEdge's cloud-to-edge sync, which EdgeTwin takes only from the cloud stream. */
    public record CloudUpdated(DeviceId id) implements Request {
    }

    public record StateUpdate(DeviceId id) implements Request {
    }

    public record MembershipGet(String node) implements Request {
    }

    private KubeEdgeTopics() {
    }

    /** The request a topic carries, or null when the topic is not one the edge answers. */
    public static Request parse(String topic) {
        if (topic.startsWith(DEVICE_PREFIX)) {
            String[] l = topic.substring(DEVICE_PREFIX.length()).split("/", -1);
            if (l.length == 4 && l[2].equals("twin")) {
                DeviceId id = new DeviceId(l[0], l[1]);
                return switch (l[3]) {
                    case "update" -> new TwinUpdate(id);
                    case "get" -> new TwinGet(id);
                    case "cloud_updated" -> new CloudUpdated(id);
                    default -> null;
                };
            }
            if (l.length == 4 && l[2].equals("state") && l[3].equals("update")) return new StateUpdate(new DeviceId(l[0], l[1]));
            return null;
        }
        if (topic.startsWith(NODE_PREFIX)) {
            String[] l = topic.substring(NODE_PREFIX.length()).split("/", -1);
            if (l.length == 3 && l[1].equals("membership") && l[2].equals("get")) return new MembershipGet(l[0]);
        }
        return null;
    }

    static String device(DeviceId id, String suffix) {
        return DEVICE_PREFIX + id.namespace() + "/" + id.name() + suffix;
    }

    public static String updateResult(DeviceId id) {
        return device(id, "/twin/update/result");
    }

    /** Where KubeEdge sends errors of update bodies that fail to parse or validate (empty device id). */
    public static final String UPDATE_RESULT_NO_ID = "$hw/events/device//twin/update/result";

    public static String delta(DeviceId id) {
        return device(id, "/twin/update/delta");
    }

    public static String document(DeviceId id) {
        return device(id, "/twin/update/document");
    }

    public static String getResult(DeviceId id) {
        return device(id, "/twin/get/result");
    }

    public static String stateResult(DeviceId id) {
        return device(id, "/state/update/result");
    }

    public static String membershipGetResult(String node) {
        return NODE_PREFIX + node + "/membership/get/result";
    }

    public static String membershipUpdated(String node) {
        return NODE_PREFIX + node + "/membership/updated";
    }
}
