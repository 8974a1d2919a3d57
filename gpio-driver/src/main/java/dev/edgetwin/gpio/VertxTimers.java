package dev.edgetwin.gpio;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.time.Duration;

/** {@link Timers} on one Vert.x context: the mapper thread. */
final class VertxTimers implements Timers {
    private final Vertx vertx;
    private final Context context;

    VertxTimers(Vertx vertx, Context context) {
        this.vertx = vertx;
        this.context = context;
    }

    @Override
    public Cancellable once(Duration delay, Runnable task) {
        long id = vertx.setTimer(Math.max(1, delay.toMillis()), t -> task.run());
        return () -> vertx.cancelTimer(id);
    }

    @Override
    public Cancellable every(Duration period, Runnable task) {
        long id = vertx.setPeriodic(Math.max(1, period.toMillis()), t -> task.run());
        return () -> vertx.cancelTimer(id);
    }

    @Override
    public void execute(Runnable task) {
        context.runOnContext(v -> task.run());
    }

    @Override
    public long now() {
        return System.currentTimeMillis();
    }
}
