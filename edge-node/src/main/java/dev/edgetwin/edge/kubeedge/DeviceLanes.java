package dev.edgetwin.edge.kubeedge;

import dev.edgetwin.log.model.DeviceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs the MQTT requests of one device one at a time, in arrival order, while requests for
 * different devices run side by side. An update is decided against the twin as the previous
 * request left it, and a {@code get} sent after an update sees it, as in KubeEdge, whose twin
 * module handles a device's messages in sequence.
 *
 * <p>Also remembers that a delta is due for a device whose lane is busy: the change feed then
 * leaves the delta to the lane, which publishes it after its own result and document
 * (KubeEdge's order), as the task completes. Confined to one thread (the MQTT event loop); a task's stage must
 * complete on that thread.
 */
final class DeviceLanes {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceLanes.class);

    private record Task(Supplier<CompletableFuture<Void>> work, CompletableFuture<Void> done) {
    }

    private static final class Lane {
        final ArrayDeque<Task> waiting = new ArrayDeque<>(2);   // most lanes hold one task at a time
        boolean running;
        boolean pumping;
        boolean deltaDue;
    }

    private final Map<DeviceId, Lane> lanes = new HashMap<>();
    private final int maxWaiting;
    private final Consumer<DeviceId> dueDelta;
    private int waiting;

    /** {@code dueDelta} publishes a device's delta: called when a task completes while one was deferred to it. */
    DeviceLanes(int maxWaiting, Consumer<DeviceId> dueDelta) {
        this.maxWaiting = maxWaiting;
        this.dueDelta = dueDelta;
    }

    /**
     * Runs {@code work} when the device's earlier tasks are done; the returned stage completes
     * when it is. Returns null, and runs nothing, when {@code maxWaiting} tasks already wait
     * across all devices (overload). A task that throws counts as done.
     */
    CompletableFuture<Void> run(DeviceId id, Supplier<CompletableFuture<Void>> work) {
        if (waiting >= maxWaiting) return null;
        Task task = new Task(work, new CompletableFuture<>());
        Lane lane = lanes.computeIfAbsent(id, k -> new Lane());
        lane.waiting.add(task);
        waiting++;
        pump(id, lane);
        return task.done();
    }

    // a loop, not recursion: tasks that complete at once run the next one in the same loop
    private void pump(DeviceId id, Lane lane) {
        if (lane.pumping) return;
        lane.pumping = true;
        try {
            Task t;
            while (!lane.running && (t = lane.waiting.poll()) != null) {
                waiting--;
                lane.running = true;
                CompletableFuture<Void> f;
                try {
                    f = t.work().get();
                } catch (RuntimeException e) {
                    f = CompletableFuture.failedFuture(e);
                }
                Task task = t;
                f.whenComplete((v, e) -> {
                    // a delta deferred while the task ran goes out after the task's own messages
                    if (e == null && lane.deltaDue) {
                        lane.deltaDue = false;
                        try {
                            dueDelta.accept(id);
                        } catch (RuntimeException failed) {
                            LOG.error("deferred delta of {} failed: {}", id, failed.toString(), failed);
                        }
                    }
                    lane.running = false;
                    task.done().complete(null);
                    pump(id, lane);
                });
            }
        } finally {
            lane.pumping = false;
        }
        if (!lane.running && lane.waiting.isEmpty()) lanes.remove(id, lane);
    }

    boolean busy(DeviceId id) {
        return lanes.containsKey(id);
    }

    /** Notes that {@code id} needs a delta once its running task is done; false when no task runs. */
    boolean deferDelta(DeviceId id) {
        Lane lane = lanes.get(id);
        if (lane == null) return false;
        lane.deltaDue = true;
        return true;
    }

    /** Whether a delta was deferred for {@code id}; clears the mark. */
    boolean takeDelta(DeviceId id) {
        Lane lane = lanes.get(id);
        if (lane == null || !lane.deltaDue) return false;
        lane.deltaDue = false;
        return true;
    }

    int waiting() {
        return waiting;
    }
}
