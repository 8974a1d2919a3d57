package dev.edgetwin.edge.mqtt;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class LoopExecutorTest {
    final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void runsEveryTaskInOrderOnTheLoopPastFailuresAndDrainLimits() throws Exception {
        Context context = vertx.getOrCreateContext();
        LoopExecutor loop = new LoopExecutor(context, 3);
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        List<Boolean> onLoop = Collections.synchronizedList(new ArrayList<>());
        int tasks = 10_000;
        CountDownLatch done = new CountDownLatch(tasks);
        Thread producer = new Thread(() -> {
            for (int i = 0; i < tasks; i++) {
                int n = i;
                loop.execute(() -> {
                    ran.add(n);
                    onLoop.add(Context.isOnEventLoopThread() && Vertx.currentContext() == context);
                    done.countDown();
                    if (n % 1_000 == 7) throw new IllegalStateException("task " + n + " fails on purpose");
                });
            }
        });
        producer.start();
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        producer.join();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < tasks; i++) expected.add(i);
        assertThat(ran).isEqualTo(expected);
        assertThat(onLoop).containsOnly(true);
    }

    @Test
    void tasksGivenOnTheLoopItselfRunAfterTheCurrentOne() throws Exception {
        Context context = vertx.getOrCreateContext();
        LoopExecutor loop = new LoopExecutor(context, LoopExecutor.DEFAULT_MAX_PER_DRAIN);
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(() -> {
            loop.execute(() -> {
                ran.add("inner");
                done.countDown();
            });
            ran.add("outer");
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly("outer", "inner");
    }
}
