package dev.edgetwin.gpio.twin;

/**
 * KubeEdge's device-twin MQTT topics (KUBEEDGE-COMPAT.md section 2). A device id is
 * {@code namespace/name} and fills two topic levels.
 */
public final class TwinTopics {
    private static final String DEVICE = "$hw/events/device/";
    private static final String NODE = "$hw/events/node/";

    private TwinTopics() {
    }

    public static String update(String deviceId) {
        return DEVICE + deviceId + "/twin/update";
    }

    public static String updateResult(String deviceId) {
        return DEVICE + deviceId + "/twin/update/result";
    }

    public static String delta(String deviceId) {
        return DEVICE + deviceId + "/twin/update/delta";
    }

    public static String get(String deviceId) {
        return DEVICE + deviceId + "/twin/get";
    }

    public static String getResult(String deviceId) {
        return DEVICE + deviceId + "/twin/get/result";
    }

    public static String stateUpdate(String deviceId) {
        return DEVICE + deviceId + "/state/update";
    }

    /** Where KubeEdge sends errors for update bodies it cannot parse (an empty device id). */
    public static String updateResultOfUnparsable() {
        return DEVICE + "/twin/update/result";
    }

    public static String membershipGet(String node) {
        return NODE + node + "/membership/get";
    }

    /** The edge answers on its own node name, which the mapper may not know: subscribe for any node. */
    public static final String MEMBERSHIP_GET_RESULT_ANY_NODE = NODE + "+/membership/get/result";
    public static final String MEMBERSHIP_UPDATED_ANY_NODE = NODE + "+/membership/updated";

    public static boolean isMembershipGetResult(String topic) {
        return topic.startsWith(NODE) && topic.endsWith("/membership/get/result");
    }

    public static boolean isMembershipUpdated(String topic) {
        return topic.startsWith(NODE) && topic.endsWith("/membership/updated");
    }
}
