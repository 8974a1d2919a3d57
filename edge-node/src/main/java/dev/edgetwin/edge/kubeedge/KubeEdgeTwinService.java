package dev.edgetwin.edge.kubeedge;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgetwin.log.ListFilter;
import dev.edgetwin.log.Page;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.TwinWriter;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.Limits;
import dev.edgetwin.log.model.TwinError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The edge's KubeEdge device-twin protocol over MQTT (KUBEEDGE-COMPAT.md): answers requests on
 * the twin topics and publishes deltas and membership changes, whatever MQTT transport carries
 * them (the embedded broker or an external one).
 *
 * <p><b>Threading.</b> {@link #handle} and everything it publishes run on one event loop (the
 * {@code loop} executor); writes go through the node's {@link TwinWriter} and their results hop
 * back to the loop. <b>Acknowledgement.</b> The stage {@link #handle} returns completes once
 * the request is answered, and for a write only after its events are in the journal: the
 * transport sends PUBACK then. It never completes exceptionally.
 */
public final class KubeEdgeTwinService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubeEdgeTwinService.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** Where the service's messages go: the broker's router, or the client of an external broker. */
    @FunctionalInterface
    public interface Publisher {
        void publish(String topic, byte[] payload, int qos, boolean retain);

        /**
         * False when nobody would receive a message on {@code topic} (no matching subscription),
         * so the service need not build it. A publisher that cannot tell says true.
         */
        default boolean listened(String topic) {
            return true;
        }

        /**
         * A number that changes whenever an answer of {@link #listened} may have changed (the
         * subscriptions changed): until it does, answers kept in a {@link TopicMemo} hold.
         */
        default long subscriptionsVersion() {
            return 0;
        }

        /**
         * {@link #listened(String)} for a topic the service keeps, with that topic's memo: by
         * default the answer is kept there until {@link #subscriptionsVersion} changes. A
         * publisher that keeps something else in its memos answers from that instead.
         */
        default boolean listened(String topic, TopicMemo memo) {
            long version = subscriptionsVersion();
            if (memo.get(version) instanceof Boolean known) return known;
            boolean yes = listened(topic);
            memo.set(version, yes);
            return yes;
        }

        /**
         * {@link #publish(String, byte[], int, boolean)} on a topic the service keeps, with that
         * topic's memo: a publisher may remember there what it would otherwise look up per message.
         */
        default void publish(String topic, TopicMemo memo, byte[] payload, int qos, boolean retain) {
            publish(topic, payload, qos, retain);
        }
    }

    private final String nodeId;
    private final TwinStore store;
    private final Executor loop;
    private final Publisher out;
    private final KubeEdgeSettings settings;
    private final LongSupplier clock;
    private final DeviceLanes lanes;
    private final Membership membership;
    private final TwinChangeFeed feed;
    private final TwinUpdates updates;
    private final Map<DeviceId, Long> deltaHlc = new HashMap<>();   // highest twin state a delta was computed for
    private final TopicCache topics = new TopicCache(TopicCache.DEFAULT_CAPACITY);

    public KubeEdgeTwinService(String nodeId, TwinStore store, TwinWriter writer, Executor loop, Publisher out,
                               KubeEdgeSettings settings, LongSupplier clock) {
        this.nodeId = nodeId;
        this.store = store;
        this.loop = loop;
        this.out = out;
        this.settings = settings;
        this.clock = clock;
        this.lanes = new DeviceLanes(TwinWriter.DEFAULT_CAPACITY, id -> publishDelta(store.get(id).orElse(DeviceTwin.empty(id)), false));
        this.membership = new Membership(nodeId);
        this.feed = new TwinChangeFeed(nodeId, loop, this::onChanges);
        this.updates = new TwinUpdates(this, writer, loop);
    }

    /**
     * Starts following the store: the current members are read on the loop before any change
     * is handled there, so no registration between the two is missed or announced twice.
     */
    public void start() {
        loop.execute(() -> {
            int count = 0;
            for (String cursor = null; ; ) {
                Page<DeviceTwin> page = store.list(ListFilter.node(nodeId), cursor, 1_000);
                page.items().forEach(membership::add);
                count += page.items().size();
                if ((cursor = page.nextCursor()) == null) break;
            }
            LOG.info("kubeedge twin topics of node {} ready: {} devices", nodeId, count);
        });
        store.addListener(feed);
    }

    @Override
    public void close() {
        store.removeListener(feed);
    }

    public String nodeId() {
        return nodeId;
    }

    /** Handles a message published on a topic; see the class comment. Call on the loop. */
    public CompletableFuture<Void> handle(String topic, byte[] payload) {
        TwinTopic parsed = topics.lookup(topic);
        return parsed == null ? DONE : handle(parsed, payload);
    }

    /** The twin topic {@code topic} names, kept from the last time it came; null when it names none. Call on the loop. */
    public TwinTopic twinTopic(String topic) {
        return topics.lookup(topic);
    }

    /** {@link #handle(String, byte[])} for a topic {@link #twinTopic} gave. Call on the loop. */
    public CompletableFuture<Void> handle(TwinTopic topic, byte[] payload) {
        try {
            return dispatch(topic.request(), topic.topics(), payload);
        } catch (RuntimeException e) {
            // a bug must not cost the connection, nor leave the publisher without its PUBACK
            LOG.error("twin request on {} failed: {}", topic.name(), e.toString(), e);
            return DONE;
        }
    }

    private CompletableFuture<Void> dispatch(KubeEdgeTopics.Request request, TopicCache.DeviceTopics deviceTopics, byte[] payload) {
        if (request instanceof KubeEdgeTopics.MembershipGet) return membershipGet(payload);
        if (request instanceof KubeEdgeTopics.CloudUpdated c) {
            LOG.debug("ignoring twin/cloud_updated for {}: desired values come from the cloud stream only", c.id());
            return DONE;
        }
        DeviceId id = deviceTopics.id();   // a twin update, twin get or state update: its device's topics came with it
        // a delta deferred while the request runs goes out after its own messages (DeviceLanes)
        CompletableFuture<Void> queued = lanes.run(id, () -> request instanceof KubeEdgeTopics.TwinUpdate
                ? updates.update(deviceTopics, payload)
                : request instanceof KubeEdgeTopics.TwinGet ? twinGet(id, payload) : updates.state(id, payload));
        if (queued != null) return queued;
        KubeEdgeError busy = KubeEdgeError.of(new TwinError(TwinWriter.OVERLOADED, 503,
                "too many twin requests waiting (" + lanes.waiting() + ")"));
        if (request instanceof KubeEdgeTopics.TwinUpdate) publishError(deviceTopics.updateResult(), "", busy);
        if (request instanceof KubeEdgeTopics.TwinGet) publishError(KubeEdgeTopics.getResult(id), "", busy);
        return DONE;
    }

    /**
     * The event_id of a get request's body ("" when absent), or null after answering a body that
     * is too large or not KubeEdge's BaseMessage with 400 and {@code Unmarshal <what> <raw> failed , err: …}.
     */
    private String eventIdOrAnswer(byte[] payload, String topic, String what) {
        if (payload.length > settings.maxPayloadBytes()) {
            publishError(topic, "", KubeEdgeError.badRequest(KubeEdgeError.PAYLOAD_TOO_LARGE,
                    "the message is " + payload.length + " bytes; the limit is " + settings.maxPayloadBytes()));
            return null;
        }
        try {
            ObjectNode body = KubeEdgeJson.parseObject(payload);
            KubeEdgeJson.int64(body, "timestamp");
            String eventId = KubeEdgeJson.string(body, "event_id");
            return eventId == null ? "" : eventId;
        } catch (KubeEdgeJson.Malformed e) {
            publishError(topic, "", KubeEdgeError.badRequest(KubeEdgeError.PAYLOAD_INVALID,
                    "Unmarshal " + what + " " + excerpt(payload) + " failed , err: " + e.getMessage()));
            return null;
        }
    }

    private CompletableFuture<Void> twinGet(DeviceId id, byte[] payload) {
        String topic = KubeEdgeTopics.getResult(id);
        String eventId = eventIdOrAnswer(payload, topic, "twin info");
        if (eventId == null) return DONE;
        DeviceTwin twin = member(id);
        if (twin == null) {
            publishError(topic, eventId, new KubeEdgeError(404, TwinError.DEVICE_NOT_FOUND,
                    "Device " + id + " not found while getting twin", false));
            return DONE;
        }
        ObjectNode msg = KubeEdgeJson.base(eventId, clock.getAsLong());
        msg.set("twin", TwinMessages.twin(twin));
        publish(topic, msg);
        return DONE;
    }

    private CompletableFuture<Void> membershipGet(byte[] payload) {
        String topic = KubeEdgeTopics.membershipGetResult(nodeId);
        String eventId = eventIdOrAnswer(payload, topic, "get membership info");
        if (eventId == null) return DONE;
        ArrayNode devices = KubeEdgeJson.NODES.arrayNode();
        for (String cursor = null; ; ) {
            Page<DeviceTwin> page = store.list(ListFilter.node(nodeId), cursor, 1_000);
            page.items().forEach(t -> devices.add(Membership.full(t)));
            if ((cursor = page.nextCursor()) == null) break;
        }
        ObjectNode msg = KubeEdgeJson.base(eventId, clock.getAsLong());
        msg.set("devices", devices);
        publish(topic, msg);
        return DONE;
    }

    /** The device's twin when it exists and is bound to this node, else null (KubeEdge knows only its own devices). */
    DeviceTwin member(DeviceId id) {
        if (Limits.DEFAULT.checkId(id) != null) return null;
        DeviceTwin twin = store.get(id).orElse(null);
        return twin != null && membership.isMember(twin) ? twin : null;
    }

    /** Called on the loop with the changes the writer applied (see {@link TwinChangeFeed}). */
    private void onChanges(Map<DeviceId, TwinChangeFeed.Change> changes) {
        for (TwinChangeFeed.Change c : changes.values()) {
            if (c.membership()) {
                ObjectNode msg = membership.update(c.after(), UUID.randomUUID().toString(), clock.getAsLong());
                if (msg != null) {
                    if (!membership.isMember(c.after())) deltaHlc.remove(c.after().id());
                    LOG.info("device {} {} node {}", c.after().id(), membership.isMember(c.after()) ? "joined" : "left", nodeId);
                    publish(KubeEdgeTopics.membershipUpdated(nodeId), msg);
                }
            }
            if (c.values() && membership.isMember(c.after()) && !lanes.deferDelta(c.after().id())) publishDelta(c.after(), false);
        }
    }

    /**
     * Publishes the device's delta if it has one and this twin state was not announced yet: the
     * listener sees every event of a batch with the twin after the whole batch, so one batch
     * must give one delta, not one per event. {@code always}: after an MQTT update, which KubeEdge
     * follows with a delta whenever one is due, even for an unchanged twin.
     */
    void publishDelta(DeviceTwin twin, boolean always) {
        publishDelta(topics(twin.id()), twin, always);
    }

    /** {@link #publishDelta(DeviceTwin, boolean)} with the device's cached topics (and id, for lookups by identity). */
    void publishDelta(TopicCache.DeviceTopics topics, DeviceTwin twin, boolean always) {
        if (!listened(topics, TopicCache.DeviceTopics.DELTA)) return;
        Long announced = deltaHlc.get(topics.id());
        if (!always && announced != null && announced >= twin.maxHlc()) return;
        deltaHlc.put(topics.id(), twin.maxHlc());
        ObjectNode delta = TwinMessages.delta(twin, UUID.randomUUID().toString(), clock.getAsLong());
        if (delta != null) publish(topics, TopicCache.DeviceTopics.DELTA, KubeEdgeJson.write(delta));
    }

    /** Whether a message on {@code topic} would reach anyone (a retained one always might). */
    boolean listened(String topic) {
        return settings.retain() || out.listened(topic);
    }

    /**
     * {@link #listened(String)} for one of a device's topics ({@code which}, a
     * {@link TopicCache.DeviceTopics} constant), answered from the topic's memo while the
     * publisher's subscriptions version stays the same. Call on the loop.
     */
    boolean listened(TopicCache.DeviceTopics topics, int which) {
        return settings.retain() || out.listened(topics.topic(which), topics.memo(which));
    }

    void publish(String topic, ObjectNode msg) {
        publish(topic, KubeEdgeJson.write(msg));
    }

    /** Publishes a message already serialized (the payload is handed over, not copied). */
    void publish(String topic, byte[] msg) {
        out.publish(topic, msg, settings.qos(), settings.retain());
    }

    /** {@link #publish(String, byte[])} on one of a device's topics ({@code which}, a {@link TopicCache.DeviceTopics} constant). */
    void publish(TopicCache.DeviceTopics topics, int which, byte[] msg) {
        out.publish(topics.topic(which), topics.memo(which), msg, settings.qos(), settings.retain());
    }

    /**
     * Publishes one error result to each topic someone listens to (the same message, timestamp
     * included). Built only when one does: an overloaded edge refuses requests by the thousand,
     * and building answers nobody receives would cost the loop more time exactly then.
     */
    void publishError(String topic, String eventId, KubeEdgeError e, String... moreTopics) {
        byte[] msg = null;
        for (int i = -1; i < moreTopics.length; i++) {
            String t = i < 0 ? topic : moreTopics[i];
            if (!listened(t)) continue;
            if (msg == null) msg = KubeEdgeJson.write(TwinMessages.error(eventId, clock.getAsLong(), e));
            out.publish(t, msg, settings.qos(), settings.retain());
        }
    }

    /** The topics the edge publishes for {@code id}, built once. Call on the loop. */
    TopicCache.DeviceTopics topics(DeviceId id) {
        return topics.device(id);
    }

    long now() {
        return clock.getAsLong();
    }

    KubeEdgeSettings settings() {
        return settings;
    }

    DeviceLanes lanes() {
        return lanes;
    }

    private static String excerpt(byte[] payload) {
        String s = new String(payload, 0, Math.min(payload.length, 200), StandardCharsets.UTF_8);
        return payload.length > 200 ? s + "…" : s;
    }
}
