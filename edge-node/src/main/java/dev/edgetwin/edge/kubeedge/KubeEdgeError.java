package dev.edgetwin.edge.kubeedge;

import dev.edgetwin.log.model.TwinError;

/**
 * An error result on a KubeEdge topic: KubeEdge's numeric {@code code} (400, 404, 500) and
 * {@code reason} (KubeEdge's own text where KubeEdge has one), plus EdgeTwin's stable
 * {@code error} code (like {@code mqtt:payload.invalid}), which travels as an extra
 * {@code "error"} member that KubeEdge clients ignore.
 *
 * @param bodyLevel KubeEdge answers these on the empty-id topic with an empty event_id
 */
public record KubeEdgeError(int code, String error, String reason, boolean bodyLevel) {
    public static final String PAYLOAD_INVALID = "mqtt:payload.invalid";
    public static final String PAYLOAD_TOO_LARGE = "mqtt:payload.toolarge";
    public static final String TWIN_MISSING = "mqtt:twin.missing";
    public static final String KEY_INVALID = "mqtt:key.invalid";
    public static final String VALUE_INVALID = "mqtt:value.invalid";
    public static final String VALUE_MISSING = "mqtt:value.missing";
    public static final String TYPE_INVALID = "mqtt:type.invalid";
    public static final String TYPE_MISMATCH = "mqtt:type.mismatch";
    public static final String PROPERTY_UNKNOWN = "mqtt:property.unknown";
    public static final String LIMIT_PROPERTIES = "mqtt:limit.properties";
    public static final String WRITE_PARTIAL = "mqtt:write.partial";
    public static final String WRITE_FAILED = "mqtt:write.failed";

    public static KubeEdgeError body(String error, String reason) {
        return new KubeEdgeError(400, error, reason, true);
    }

    public static KubeEdgeError badRequest(String error, String reason) {
        return new KubeEdgeError(400, error, reason, false);
    }

    /**
     * A store rejection in KubeEdge's codes: 404 stays 404; client mistakes (4xx) become 400;
     * anything else (overload, a failing write) is KubeEdge's 500, "the database failed".
     */
    public static KubeEdgeError of(TwinError e) {
        int code = e.status() == 404 ? 404 : e.status() >= 400 && e.status() < 500 && e.status() != 403 ? 400 : 500;
        return new KubeEdgeError(code, e.code(), e.message(), false);
    }
}
