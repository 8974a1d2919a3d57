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

    /**
     * The topics the edge publishes for one device, the one id instance the cache hands out for
     * it, and a {@link TopicMemo} per topic in which the publisher keeps whether the topic is
     * listened to and how to route it (every update asks for its result and delta topics, and
     * asking the broker each time was a map lookup per question).
     */
    static final class DeviceTopics {
        static final int RESULT = 0;
        static final int DELTA = 1;
        static final int DOCUMENT = 2;

        private final DeviceId id;
        private final String[] topics;
        private final TopicMemo[] memos = {new TopicMemo(), new TopicMemo(), new TopicMemo()};

        private DeviceTopics(DeviceId id) {
            this.id = id;
            this.topics = new String[]{KubeEdgeTopics.updateResult(id), KubeEdgeTopics.delta(id), KubeEdgeTopics.document(id)};
        }

        DeviceId id() {
            return id;
        }

        /** {@link #RESULT}, {@link #DELTA} or {@link #DOCUMENT}'s topic. */
        String topic(int which) {
            return topics[which];
        }

        /** The publisher's memo for {@link #topic}({@code which}). */
        TopicMemo memo(int which) {
            return memos[which];
        }

        String updateResult() {
            return topics[RESULT];
        }

        String delta() {
            return topics[DELTA];
        }

        String document() {
            return topics[DOCUMENT];
        }
    }

    private static final TwinTopic NONE = new TwinTopic(null, null, null);

    private final int capacity;
    private final Map<String, TwinTopic> requests = new HashMap<>();
    private final Map<DeviceId, DeviceTopics> devices = new HashMap<>();

    TopicCache(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive");
        this.capacity = capacity;
    }

    /** {@link KubeEdgeTopics#parse}, remembered. */
    KubeEdgeTopics.Request parse(String topic) {
        TwinTopic p = lookup(topic);
        return p == null ? null : p.request();
    }

    /** {@link #parse} with the device's topics (the handling of the request needs no other lookup); null when no twin topic. */
    TwinTopic lookup(String topic) {
        TwinTopic p = requests.get(topic);
        if (p == null) {
            KubeEdgeTopics.Request r = KubeEdgeTopics.parse(topic);
            p = r == null ? NONE : canonical(topic, r);
            if (requests.size() >= capacity) requests.clear();
            requests.put(topic, p);
        }
        return p == NONE ? null : p;
    }

    /** The request with the device's cached id: later map lookups with it then hit by identity. */
    private TwinTopic canonical(String topic, KubeEdgeTopics.Request r) {
        DeviceId id = r instanceof KubeEdgeTopics.TwinUpdate u ? u.id() : r instanceof KubeEdgeTopics.TwinGet g ? g.id()
                : r instanceof KubeEdgeTopics.StateUpdate st ? st.id() : r instanceof KubeEdgeTopics.CloudUpdated c ? c.id() : null;
        if (id == null) return new TwinTopic(topic, r, null);
        DeviceTopics t = device(id);
        KubeEdgeTopics.Request same = r instanceof KubeEdgeTopics.TwinUpdate ? new KubeEdgeTopics.TwinUpdate(t.id())
                : r instanceof KubeEdgeTopics.TwinGet ? new KubeEdgeTopics.TwinGet(t.id())
                : r instanceof KubeEdgeTopics.StateUpdate ? new KubeEdgeTopics.StateUpdate(t.id()) : new KubeEdgeTopics.CloudUpdated(t.id());
        return new TwinTopic(topic, same, t);
    }

    DeviceTopics device(DeviceId id) {
        DeviceTopics t = devices.get(id);
        if (t == null) {
            t = new DeviceTopics(id);
            if (devices.size() >= capacity) devices.clear();
            devices.put(id, t);
        }
        return t;
    }

    int size() {
        return requests.size() + devices.size();
    }
}
