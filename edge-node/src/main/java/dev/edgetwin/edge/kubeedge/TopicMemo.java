package dev.edgetwin.edge.kubeedge;

/**
 * What a {@link KubeEdgeTwinService.Publisher} remembers about one topic that the twin service
 * keeps and publishes or receives again and again (by default whether it is listened to; the
 * embedded broker: the topic's routes, which answer that too),
 * valid while the publisher's {@link KubeEdgeTwinService.Publisher#subscriptionsVersion} is the
 * one it was remembered at. Kept on the topic's own object, so using it costs no lookup.
 * Not thread-safe: used on the twin service's loop.
 */
public final class TopicMemo {
    private long version = -1;
    private Object value;

    /** What was remembered at {@code version}, or null. */
    public Object get(long version) {
        return this.version == version ? value : null;
    }

    public void set(long version, Object value) {
        this.version = version;
        this.value = value;
    }
}
