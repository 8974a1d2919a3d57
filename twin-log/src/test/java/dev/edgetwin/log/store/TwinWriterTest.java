package dev.edgetwin.log.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.Result;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.TwinWriter;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;
import dev.edgetwin.log.model.TwinError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TwinWriterTest {
    @TempDir
    Path dir;

    static TwinStore.Request report(DeviceId id, int value) {
        Map<String, JsonNode> patch = Map.of("counter", JsonValues.parse(Integer.toString(value)));
        return TwinStore.Request.of(new TwinCommand.PatchReported(id, patch));
    }

    static TwinStore.Request register(DeviceId id) {
        return TwinStore.Request.of(new TwinCommand.RegisterDevice(id, "edge-a", "counter", Map.of(),
                Map.of("counter", new PropertyDef("int", false)), Map.of()));
    }

    @Test
    void commandsFromManyThreadsAreAppliedInSubmissionOrderPerThread() throws Exception {
        try (TwinStore store = TwinStore.open(dir, "edge-a", StoreOptions.edge());
             TwinWriter writer = new TwinWriter(store)) {
            int threads = 4;
            int perThread = 500;
            for (int t = 0; t < threads; t++) writer.submit(register(DeviceId.of("dev-" + t))).get(10, TimeUnit.SECONDS);
            List<Thread> workers = new ArrayList<>();
            List<CompletableFuture<Result>> all = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                DeviceId id = DeviceId.of("dev-" + t);
                Thread w = new Thread(() -> {
                    for (int i = 1; i <= perThread; i++) all.add(writer.submit(report(id, i)));
                });
                workers.add(w);
                w.start();
            }
            for (Thread w : workers) w.join();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(all).allSatisfy(f -> assertThat(f.join()).isInstanceOf(Result.Applied.class));
            for (int t = 0; t < threads; t++) {
                // the last value each thread submitted wins: its commands kept their order
                assertThat(store.get(DeviceId.of("dev-" + t)).orElseThrow().reported("counter"))
                        .contains(JsonValues.parse(Integer.toString(perThread)));
            }
            assertThat(store.journal().nextSeq("edge/edge-a")).isEqualTo(threads * (1L + perThread));
        }
    }

    @Test
    void rejectionsCompleteNormallyAndCallsRunInOrderWithCommands() throws Exception {
        try (TwinStore store = TwinStore.open(dir, "edge-a", StoreOptions.edge());
             TwinWriter writer = new TwinWriter(store)) {
            CompletableFuture<Result> bad = writer.submit(report(DeviceId.of("nobody"), 1));
            CompletableFuture<Result> reg = writer.submit(register(DeviceId.of("dev-0")));
            CompletableFuture<Long> seqAfter = writer.call(() -> store.journal().nextSeq("edge/edge-a"));
            assertThat(bad.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(Result.Rejected.class,
                    r -> assertThat(r.error().code()).isEqualTo(TwinError.DEVICE_NOT_FOUND));
            assertThat(reg.get(10, TimeUnit.SECONDS)).isInstanceOf(Result.Applied.class);
            assertThat(seqAfter.get(10, TimeUnit.SECONDS)).isEqualTo(store.journal().nextSeq("edge/edge-a")).isPositive();
            CompletableFuture<Object> failing = writer.call(() -> {
                throw new IllegalStateException("boom");
            });
            assertThat(failing).failsWithin(10, TimeUnit.SECONDS);
            assertThat(writer.submit(register(DeviceId.of("dev-1"))).get(10, TimeUnit.SECONDS)).isInstanceOf(Result.Applied.class);
        }
    }

    @Test
    void theAdmissionGateRefusesCommandsAndCommandStepsButNotCalls() throws Exception {
        try (TwinStore store = TwinStore.open(dir, "edge-a", StoreOptions.edge());
             TwinWriter writer = new TwinWriter(store)) {
            DeviceId id = DeviceId.of("dev-1");
            TwinError full = new TwinError("twin:storage.full", 507, "journal full");
            writer.admission(() -> full);
            assertThat(writer.submit(register(id)).get(10, TimeUnit.SECONDS)).isEqualTo(new Result.Rejected(full));
            Result step = writer.callCommand(() -> store.execute(register(id).command(), null, null), Result.Rejected::new)
                    .get(10, TimeUnit.SECONDS);
            assertThat(step).isEqualTo(new Result.Rejected(full));
            assertThat(store.journal().nextSeq("edge/edge-a")).as("nothing ran").isZero();
            assertThat(writer.call(() -> 42).get(10, TimeUnit.SECONDS)).as("replicas still go through").isEqualTo(42);

            writer.admission(null);
            assertThat(writer.callCommand(() -> store.execute(register(id).command(), null, null), Result.Rejected::new)
                    .get(10, TimeUnit.SECONDS)).isInstanceOf(Result.Applied.class);
        }
    }

    @Test
    void aFullQueueRejectsWithOverloadedAndChangesNothing() throws Exception {
        try (TwinStore store = TwinStore.open(dir, "edge-a", StoreOptions.edge());
             TwinWriter writer = new TwinWriter(store, 2, 16)) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch running = new CountDownLatch(1);
            CompletableFuture<Boolean> blocker = writer.call(() -> {
                running.countDown();
                try {
                    return release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Result> first = writer.submit(register(DeviceId.of("dev-0")));
            CompletableFuture<Result> second = writer.submit(register(DeviceId.of("dev-1")));
            CompletableFuture<Result> third = writer.submit(register(DeviceId.of("dev-2")));
            assertThat(third).isCompletedWithValueMatching(r -> r instanceof Result.Rejected rej
                    && rej.error().code().equals(TwinWriter.OVERLOADED) && rej.error().status() == 503);
            release.countDown();
            assertThat(blocker.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(Result.Applied.class);
            assertThat(second.get(10, TimeUnit.SECONDS)).isInstanceOf(Result.Applied.class);
            assertThat(store.get(DeviceId.of("dev-2"))).isEmpty();
        }
    }

    @Test
    void closeFinishesSubmittedWorkThenRefusesNewWork() throws Exception {
        try (TwinStore store = TwinStore.open(dir, "edge-a", StoreOptions.edge())) {
            TwinWriter writer = new TwinWriter(store);
            List<CompletableFuture<Result>> submitted = new ArrayList<>();
            for (int i = 0; i < 100; i++) submitted.add(writer.submit(register(DeviceId.of("dev-" + i))));
            writer.close();
            assertThat(submitted).allSatisfy(f -> assertThat(f).isCompletedWithValueMatching(r -> r instanceof Result.Applied));
            assertThat(writer.submit(register(DeviceId.of("late")))).isCompletedWithValueMatching(r -> r instanceof Result.Rejected);
            assertThat(store.get(DeviceId.of("late"))).isEmpty();
        }
    }
}
