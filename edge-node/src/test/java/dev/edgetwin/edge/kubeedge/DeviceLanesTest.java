package dev.edgetwin.edge.kubeedge;

import dev.edgetwin.log.model.DeviceId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** One device's requests one at a time, in order; a delta deferred to a busy lane goes out as its task completes. */
class DeviceLanesTest {
    private static final DeviceId LAMP = DeviceId.of("lamp-1");
    private static final DeviceId PUMP = DeviceId.of("pump-1");

    private final List<String> log = new ArrayList<>();
    private final DeviceLanes lanes = new DeviceLanes(3, id -> log.add("delta " + id.name()));

    @Test
    void aDevicesTasksRunInOrderOneAtATimeWhileOtherDevicesGoOn() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> a = lanes.run(LAMP, () -> task("lamp a", first));
        CompletableFuture<Void> b = lanes.run(LAMP, () -> task("lamp b", CompletableFuture.completedFuture(null)));
        CompletableFuture<Void> c = lanes.run(PUMP, () -> task("pump c", CompletableFuture.completedFuture(null)));
        assertThat(log).containsExactly("lamp a", "pump c");
        assertThat(c).isDone();
        assertThat(a).isNotDone();
        assertThat(b).isNotDone();
        first.complete(null);
        assertThat(log).containsExactly("lamp a", "pump c", "lamp b");
        assertThat(a).isDone();
        assertThat(b).isDone();
        assertThat(lanes.busy(LAMP)).isFalse();
    }

    @Test
    void aDeltaDeferredToARunningTaskGoesOutWhenItCompletesBeforeItCountsAsDone() {
        CompletableFuture<Void> update = new CompletableFuture<>();
        CompletableFuture<Void> done = lanes.run(LAMP, () -> task("update", update));
        assertThat(lanes.deferDelta(LAMP)).isTrue();
        assertThat(lanes.deferDelta(PUMP)).isFalse();          // nothing runs for it: the caller publishes at once
        done.thenRun(() -> log.add("done"));
        update.complete(null);
        assertThat(log).containsExactly("update", "delta lamp-1", "done");
        assertThat(lanes.takeDelta(LAMP)).isFalse();
    }

    @Test
    void aDeltaTakenByTheTaskItselfIsNotSentAgainAndAFailedTaskSendsNone() {
        CompletableFuture<Void> update = new CompletableFuture<>();
        lanes.run(LAMP, () -> task("update", update));
        lanes.deferDelta(LAMP);
        assertThat(lanes.takeDelta(LAMP)).isTrue();             // the update published the delta with its result
        update.complete(null);
        assertThat(log).containsExactly("update");

        CompletableFuture<Void> failing = new CompletableFuture<>();
        CompletableFuture<Void> done = lanes.run(LAMP, () -> task("failing", failing));
        lanes.deferDelta(LAMP);
        failing.completeExceptionally(new IllegalStateException("write failed"));
        assertThat(done).isDone();
        assertThat(log).containsExactly("update", "failing");
        // the lane is free again: the next task runs
        lanes.run(LAMP, () -> task("next", CompletableFuture.completedFuture(null)));
        assertThat(log).containsExactly("update", "failing", "next");
    }

    @Test
    void tasksBeyondTheWaitingLimitAreRefused() {
        CompletableFuture<Void> blocked = new CompletableFuture<>();
        lanes.run(LAMP, () -> task("running", blocked));
        for (int i = 0; i < 3; i++) assertThat(lanes.run(LAMP, () -> task("waiting", blocked))).isNotNull();
        assertThat(lanes.run(LAMP, () -> task("refused", blocked))).isNull();
        assertThat(lanes.waiting()).isEqualTo(3);
    }

    private CompletableFuture<Void> task(String name, CompletableFuture<Void> result) {
        log.add(name);
        return result;
    }
}
