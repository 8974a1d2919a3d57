package dev.edgetwin.edge.mqtt;

import io.vertx.core.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks on a Vert.x context's event loop in the order they were given, many per loop
 * task: the writer thread completes a whole group commit at once, and handing each completed
 * request to the loop as a task of its own cost a wake-up and a loop task apiece. Here they
 * queue, one loop task drains them (at most {@code maxPerDrain}, then it yields to the loop's
 * I/O and continues in a new task), and whatever the drained tasks write to a connection goes
 * out together (see {@link Flushes}). A task that throws an exception is logged; the others still run.
 */
final class LoopExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(LoopExecutor.class);
    static final int DEFAULT_MAX_PER_DRAIN = 4_096;

    private final Context context;
    private final int maxPerDrain;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    LoopExecutor(Context context, int maxPerDrain) {
        if (maxPerDrain < 1) throw new IllegalArgumentException("maxPerDrain must be positive");
        this.context = context;
        this.maxPerDrain = maxPerDrain;
    }

    @Override
    public void execute(Runnable task) {
        queue.add(task);
        if (scheduled.compareAndSet(false, true)) context.runOnContext(v -> drain());
    }

    private void drain() {
        // cleared first: a task queued from now on schedules another drain, so none is left behind
        scheduled.set(false);
        try {
            for (int n = 0; n < maxPerDrain; n++) {
                Runnable task = queue.poll();
                if (task == null) return;
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("task on the mqtt event loop failed: {}", e.toString(), e);
                }
            }
        } finally {
            if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) context.runOnContext(v -> drain());
        }
    }
}
