package dev.edgetwin.edge.mqtt.broker;

/**
 * A subscription's options packed in an int, as the subscription tree stores them per client
 * and filter (MQTT 5 section 3.8.3.1; an MQTT 3.1.1 subscription is just its QoS): bits 0–1 the
 * granted QoS, bit 2 No Local, bit 3 Retain As Published. A SUBSCRIBE request also carries the
 * Retain Handling in bits 4–5, which is not stored (it only matters at the SUBSCRIBE).
 */
public final class SubscriptionOptions {
    public static final int NO_LOCAL = 1 << 2;
    public static final int RETAIN_AS_PUBLISHED = 1 << 3;
    private static final int STORED = 0xF;
    private static final int RETAIN_HANDLING_SHIFT = 4;

    private SubscriptionOptions() {
    }

    /** A SUBSCRIBE request's options: QoS 0..2, the two flags and Retain Handling 0..2. */
    public static int request(int qos, boolean noLocal, boolean retainAsPublished, int retainHandling) {
        if (qos < 0 || qos > 2 || retainHandling < 0 || retainHandling > 2) throw new IllegalArgumentException("qos and retain handling are 0..2");
        return qos | (noLocal ? NO_LOCAL : 0) | (retainAsPublished ? RETAIN_AS_PUBLISHED : 0) | retainHandling << RETAIN_HANDLING_SHIFT;
    }

    public static int qos(int options) {
        return options & 3;
    }

    public static boolean noLocal(int options) {
        return (options & NO_LOCAL) != 0;
    }

    public static boolean retainAsPublished(int options) {
        return (options & RETAIN_AS_PUBLISHED) != 0;
    }

    /** 0: send retained messages at the SUBSCRIBE; 1: only if the subscription is new; 2: never. */
    static int retainHandling(int request) {
        return (request >>> RETAIN_HANDLING_SHIFT) & 3;
    }

    /** What is stored for a request granted at {@code qos}. */
    static int granted(int request, int qos) {
        return (request & STORED & ~3) | qos;
    }

    /**
     * One delivery for two overlapping subscriptions of a client (MQTT 5 section 3.3.4): the
     * higher QoS; No Local only if both have it (one without it wants the client's own
     * messages); Retain As Published if either has it.
     */
    static int merge(int a, int b) {
        return Math.max(qos(a), qos(b)) | (a & b & NO_LOCAL) | ((a | b) & RETAIN_AS_PUBLISHED);
    }
}
