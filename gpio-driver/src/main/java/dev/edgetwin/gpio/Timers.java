package dev.edgetwin.gpio;

import java.time.Duration;

/**
 * Timers whose tasks run on the mapper thread (the one thread that touches {@link DeviceAgent}s).
 * The adapter uses Vert.x timers; tests use a manual clock.
 */
public interface Timers {
    Cancellable once(Duration delay, Runnable task);

    Cancellable every(Duration period, Runnable task);

    /** Runs {@code task} on the mapper thread soon; callable from any thread. */
    void execute(Runnable task);

    /** Milliseconds since the epoch, for message timestamps. */
    long now();

    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
