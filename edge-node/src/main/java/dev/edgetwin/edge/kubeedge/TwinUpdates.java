package dev.edgetwin.edge.kubeedge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgetwin.log.Result;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.TwinWriter;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceState;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.Hlc;
import dev.edgetwin.log.model.Limits;
import dev.edgetwin.log.model.TwinCommand;
import dev.edgetwin.log.model.TwinError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The writing requests of the twin topics: {@code twin/update} (KUBEEDGE-COMPAT.md 4.1–4.4) and
 * {@code state/update} (4.6). Runs on the service's loop inside the device's lane.
 */
final class TwinUpdates {
    private static final Logger LOG = LoggerFactory.getLogger(TwinUpdates.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final KubeEdgeTwinService service;
    private final TwinWriter writer;
    private final Executor loop;

    TwinUpdates(KubeEdgeTwinService service, TwinWriter writer, Executor loop) {
        this.service = service;
        this.writer = writer;
        this.loop = loop;
    }

    /** An update published on the twin/update topic of {@code topics}' device. Call on the loop. */
    CompletableFuture<Void> update(TopicCache.DeviceTopics topics, byte[] payload) {
        DeviceId id = topics.id();
        TwinUpdateRequest request;
        try {
            request = TwinUpdateRequest.parse(payload, service.settings());
        } catch (TwinUpdateRequest.Rejected r) {
            // KubeEdge answers body errors on the empty-id topic only; the device's own topic gets them too
            service.publishError(KubeEdgeTopics.UPDATE_RESULT_NO_ID, "", r.error(), topics.updateResult());
            return DONE;
        }
        String topic = topics.updateResult();
        TwinError badId = Limits.DEFAULT.checkId(id);
        if (badId != null) {
            service.publishError(topic, request.eventId(), KubeEdgeError.of(badId));
            return DONE;
        }
        DeviceTwin before = service.member(id);
        if (before == null) {
            service.publishError(topic, request.eventId(), new KubeEdgeError(404, TwinError.DEVICE_NOT_FOUND,
                    "update rejected due to the device is not existed", false));
            return DONE;
        }
        TwinUpdatePlan plan;
        try {
            plan = TwinUpdatePlan.of(before, request, Math.min(service.settings().maxProperties(), Limits.DEFAULT.maxProperties()));
        } catch (TwinUpdateRequest.Rejected r) {
            service.publishError(topic, request.eventId(), r.error());
            return DONE;
        }
        List<CompletableFuture<Result>> writes = new ArrayList<>(2);
        // desired first: a mapper must never see its report applied before the wish it answers
        if (!plan.desired().isEmpty()) writes.add(submit(new TwinCommand.PatchDesired(id, plan.desired()), request.eventId()));
        if (!plan.reported().isEmpty()) writes.add(submit(new TwinCommand.PatchReported(id, plan.reported()), request.eventId()));
        if (writes.isEmpty()) {
            finish(topics, request, plan, before, Outcome.NOTHING_WRITTEN);
            return DONE;
        }
        // one write (the usual update: reported values only) needs no future joining it with another
        CompletableFuture<?> all = writes.size() == 1 ? writes.get(0) : CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
        // The outcome, and the result message when someone listens now, are built where the writes
        // complete (the writer's thread): both are pure. That relieved the loop while it was the
        // busier thread; now that the writer is, handing the message back to a busy writer's loop
        // gained nothing either, as the whole machine is the limit (benchmarks/RESULTS.md (f)).
        // The loop then only publishes; it builds the message itself only when a listener came meanwhile.
        boolean listened = service.listened(topics, TopicCache.DeviceTopics.RESULT);
        return all.handle((v, failure) -> {
            Outcome o = Outcome.of(writes, failure);
            return listened ? o.withResultMessage(plan, request.eventId(), service.now()) : o;
        }).thenAcceptAsync(o -> finish(topics, request, plan, before, o), loop);
    }

    /**
     * What the writes gave: the twin after them, or the first rejection (or the write failure), and
     * the result message when it was built ahead.
     */
    private record Outcome(DeviceTwin after, int applied, TwinError rejected, Throwable failure, byte[] resultMessage) {
        static final Outcome NOTHING_WRITTEN = new Outcome(null, 0, null, null, null);

        static Outcome of(List<CompletableFuture<Result>> writes, Throwable failure) {
            // a write's own exception, however the futures joining the writes wrapped it
            if (failure instanceof CompletionException && failure.getCause() != null) failure = failure.getCause();
            if (failure != null) return new Outcome(null, 0, null, failure, null);
            DeviceTwin after = null;
            int applied = 0;
            TwinError rejected = null;
            for (CompletableFuture<Result> w : writes) {
                Result r = w.join();
                if (r instanceof Result.Applied a) {
                    applied++;
                    after = a.twin();
                } else if (rejected == null) {
                    rejected = ((Result.Rejected) r).error();
                }
            }
            return new Outcome(after, applied, rejected, null, null);
        }

        /** With the result message built, when every write was applied; should building fail, the loop tries again. */
        Outcome withResultMessage(TwinUpdatePlan plan, String eventId, long now) {
            if (failure != null || rejected != null) return this;
            try {
                return new Outcome(after, applied, null, null, plan.resultMessage(eventId, now, after));
            } catch (RuntimeException e) {
                LOG.debug("twin update {}: result message left to the loop: {}", eventId, e.toString());
                return this;
            }
        }
    }

    private CompletableFuture<Result> submit(TwinCommand command, String eventId) {
        return writer.submit(new TwinStore.Request(command, eventId.isEmpty() ? null : eventId, null));
    }

    private void finish(TopicCache.DeviceTopics topics, TwinUpdateRequest request, TwinUpdatePlan plan, DeviceTwin before,
                        Outcome outcome) {
        DeviceId id = topics.id();
        String topic = topics.updateResult();
        if (outcome.failure() != null) {
            LOG.warn("twin update {} of {} failed to write: {}", request.eventId(), id, outcome.failure().toString());
            service.publishError(topic, request.eventId(), new KubeEdgeError(500, KubeEdgeError.WRITE_FAILED,
                    "failed to write the twin: " + outcome.failure().getMessage(), false));
            return;
        }
        DeviceTwin after = outcome.after() == null ? before : outcome.after();
        TwinError rejected = outcome.rejected();
        if (rejected != null) {
            // both halves are checked before writing, so only a concurrent change (a removal) lands here
            KubeEdgeError e = outcome.applied() == 0 ? KubeEdgeError.of(rejected) : new KubeEdgeError(500, KubeEdgeError.WRITE_PARTIAL,
                    "the desired values were written but the reported ones were rejected: " + rejected.message(), false);
            service.publishError(topic, request.eventId(), e);
            return;
        }
        long now = service.now();
        // the messages are built only for topics someone listens to: building them is most of the loop's work
        if (service.listened(topics, TopicCache.DeviceTopics.RESULT)) {
            // written in one pass, without a tree: the same bytes as the tree (TwinUpdateFastPathTest)
            byte[] message = outcome.resultMessage();
            service.publish(topics, TopicCache.DeviceTopics.RESULT, message != null ? message : plan.resultMessage(request.eventId(), now, after));
        }
        if (!plan.changed().isEmpty() && service.listened(topics, TopicCache.DeviceTopics.DOCUMENT)) {
            service.publish(topics, TopicCache.DeviceTopics.DOCUMENT,
                    KubeEdgeJson.write(TwinMessages.document(before, after, plan.changed(), request.eventId(), now)));
        }
        // KubeEdge recomputes the delta after every processed update; it is sent here, so a deferred one is not due
        service.lanes().takeDelta(id);
        service.publishDelta(topics, after, true);
    }

    CompletableFuture<Void> state(DeviceId id, byte[] payload) {
        String sent;
        String eventId;
        try {
            if (payload.length > service.settings().maxPayloadBytes()) throw new KubeEdgeJson.Malformed("too large");
            ObjectNode body = KubeEdgeJson.parseObject(payload);
            eventId = KubeEdgeJson.string(body, "event_id");
            KubeEdgeJson.int64(body, "timestamp");
            sent = KubeEdgeJson.string(body, "state");
        } catch (KubeEdgeJson.Malformed e) {
            LOG.debug("state/update of {} ignored: {}", id, e.getMessage());
            return DONE;
        }
        DeviceState state = DeviceState.parse(sent).orElse(null);
        // KubeEdge ignores bad states and unknown devices silently: no reply
        if (state == null || !sent.strip().equals(sent) || service.member(id) == null) {
            LOG.debug("state/update of {} ignored: state '{}'", id, sent);
            return DONE;
        }
        return submit(new TwinCommand.ChangeState(id, state), eventId == null ? "" : eventId).thenAcceptAsync(r -> {
            if (r instanceof Result.Rejected rej) {
                LOG.warn("state/update of {} rejected: {}", id, rej.error().message());
                return;
            }
            long hlc = ((Result.Applied) r).entries().get(0).hlc();
            ObjectNode device = KubeEdgeJson.object();
            device.put("name", id.name());
            device.put("state", sent);
            if (state.isOnline()) device.put("lastOnlineTime", Membership.rfc3339(Hlc.millis(hlc)));
            ObjectNode msg = KubeEdgeJson.base(UUID.randomUUID().toString(), service.now());
            msg.set("device", device);
            service.publish(KubeEdgeTopics.stateResult(id), msg);
        }, loop).exceptionally(t -> {
            LOG.warn("state/update of {} failed to write: {}", id, t.toString());
            return null;
        });
    }
}
