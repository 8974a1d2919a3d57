package dev.edgetwin.edge.kubeedge;

import dev.edgetwin.log.model.DeviceId;

import java.util.HashMap;
import java.util.Map;

/**
 * The twin topics of the devices seen lately, parsed and built once: a mapper publishes to the
 * same few topics of its device again and again, and each of those messages needs the request
 * its topic names and the device's result, delta and document topics. Reusing one
 * {@link DeviceId} (and its strings) per topic also means its hash is computed once, not at
 * every lookup along the way. Each map starts over when it holds {@code capacity} entries.
 * Not thread-safe: owned by the twin service's loop.
 */
final class TopicCache {
    /** Topics (and devices) remembered at most. */
    static final int DEFAULT_CAPACITY = 65_536;

    /** The topics the edge publishes for one device, and the one id instance the cache hands out for it. */
    record DeviceTopics(DeviceId id, String updateResult, String delta, String document) {
        static DeviceTopics of(DeviceId id) {
            return new DeviceTopics(id, KubeEdgeTopics.updateResult(id), KubeEdgeTopics.delta(id), KubeEdgeTopics.document(id));
        }
    }

    private static final KubeEdgeTopics.Request NONE = new KubeEdgeTopics.MembershipGet("");

    private final int capacity;
    private final Map<String, KubeEdgeTopics.Request> requests = new HashMap<>();
    private final Map<DeviceId, DeviceTopics> devices = new HashMap<>();

    TopicCache(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive");
        this.capacity = capacity;
    }

    /** {@link KubeEdgeTopics#parse}, remembered. */
    KubeEdgeTopics.Request parse(String topic) {
        KubeEdgeTopics.Request r = requests.get(topic);
        if (r == null) {
            r = KubeEdgeTopics.parse(topic);
            r = r == null ? NONE : canonical(r);
            if (requests.size() >= capacity) requests.clear();
            requests.put(topic, r);
        }
        return r == NONE ? null : r;
    }

    /** The request with the device's cached id: later map lookups with it then hit by identity. */
    private KubeEdgeTopics.Request canonical(KubeEdgeTopics.Request r) {
        if (r instanceof KubeEdgeTopics.TwinUpdate u) return new KubeEdgeTopics.TwinUpdate(device(u.id()).id());
        if (r instanceof KubeEdgeTopics.TwinGet g) return new KubeEdgeTopics.TwinGet(device(g.id()).id());
        if (r instanceof KubeEdgeTopics.StateUpdate s) return new KubeEdgeTopics.StateUpdate(device(s.id()).id());
        if (r instanceof KubeEdgeTopics.CloudUpdated c) return new KubeEdgeTopics.CloudUpdated(device(c.id()).id());
        return r;
    }

    DeviceTopics device(DeviceId id) {
        DeviceTopics t = devices.get(id);
        if (t == null) {
            t = DeviceTopics.of(id);
            if (devices.size() >= capacity) devices.clear();
            devices.put(id, t);
        }
        return t;
    }

    int size() {
        return requests.size() + devices.size();
    }
}
