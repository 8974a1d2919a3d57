package dev.edgetwin.edge.kubeedge;

/**
 * A topic the twin service answers, as its {@link TopicCache} keeps it: the request the topic
 * names, its device's topics when it names a device (else null), {@link #name} — the one string
 * instance kept for the topic (its hash computed once) — and a {@link TopicMemo} in which the
 * transport that received a message on it keeps what it needs to pass the message on (the
 * embedded broker: the topic's routes to other subscribers).
 */
public final class TwinTopic {
    private final String name;
    private final KubeEdgeTopics.Request request;
    private final TopicCache.DeviceTopics topics;
    private final TopicMemo memo = new TopicMemo();

    TwinTopic(String name, KubeEdgeTopics.Request request, TopicCache.DeviceTopics topics) {
        this.name = name;
        this.request = request;
        this.topics = topics;
    }

    /** The topic, as the instance first seen. */
    public String name() {
        return name;
    }

    /** The publisher's memo for this topic (a message received on it goes on to the broker's subscribers). */
    public TopicMemo memo() {
        return memo;
    }

    KubeEdgeTopics.Request request() {
        return request;
    }

    TopicCache.DeviceTopics topics() {
        return topics;
    }
}
