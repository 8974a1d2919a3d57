package dev.edgetwin.edge.kubeedge;

/**
 * Limits and options of the KubeEdge twin topics; every one is a setting (edge-node/KUBEEDGE.md).
 * The defaults are at least as generous as KubeEdge's: it has no payload or property-count
 * limit of its own (the broker's message size applies), keys of up to 128 bytes and values of
 * up to 512 bytes.
 *
 * @param maxPayloadBytes   largest request body on a twin topic
 * @param maxProperties     properties named in one update (and visible on one device, with the store's own limit)
 * @param maxKeyBytes       longest property name
 * @param maxValueBytes     longest property value string
 * @param qos               QoS of the edge's own publications (KubeEdge: eventBus.mqttQOS, 1)
 * @param retain            retain flag of the edge's own publications (KubeEdge: eventBus.mqttRetain, false)
 */
public record KubeEdgeSettings(int maxPayloadBytes, int maxProperties, int maxKeyBytes, int maxValueBytes,
                               int qos, boolean retain) {
    public static final KubeEdgeSettings DEFAULT = new KubeEdgeSettings(1024 * 1024, 1024, 128, 512, 1, false);

    public KubeEdgeSettings {
        if (maxPayloadBytes < 1 || maxProperties < 1 || maxKeyBytes < 1 || maxValueBytes < 1) {
            throw new IllegalArgumentException("twin limits must be positive");
        }
        if (qos < 0 || qos > 1) throw new IllegalArgumentException("twin result QoS must be 0 or 1, got " + qos);
    }
}
