package dev.edgetwin.log;

import dev.edgetwin.log.model.TwinError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one thread that writes to a {@link TwinStore} in a node: callers on event loops hand it
 * commands and get futures back, and commands that arrive together are executed as one batch
 * (group commit: one journal append per stream and one projection write for the whole batch).
 *
 * <p><b>Order.</b> Tasks run in submission order; a batch never reorders commands.
 * <b>Completion.</b> Futures complete on the writer thread: hop back to your own thread (for
 * Vert.x, {@code Future.fromCompletionStage(cf, context)}) before touching non-thread-safe state.
 * <b>Backpressure.</b> The queue holds at most {@code capacity} tasks; beyond that a submission
 * fails at once with {@link Result.Rejected} code {@value #OVERLOADED} (HTTP 503) rather than
 * blocking the caller.
 */
public final class TwinWriter implements AutoCloseable {
    public static final String OVERLOADED = "twin:overloaded";
    public static final int DEFAULT_CAPACITY = 65_536;
    public static final int DEFAULT_MAX_BATCH = 1_024;
    private static final Logger LOG = LoggerFactory.getLogger(TwinWriter.class);

    private sealed interface Task {
    }

    private record Command(TwinStore.Request request, CompletableFuture<Result> result) implements Task {
    }

    private record Call<T>(Supplier<T> work, CompletableFuture<T> result) implements Task {
        void run() {
            try {
                result.complete(work.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }
    }

    private record Stop() implements Task {
    }

    private static final Task STOP = new Stop();

    private final TwinStore store;
    private final int maxBatch;
    private final BlockingQueue<Task> queue;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Supplier<TwinError> admission = () -> null;

    public TwinWriter(TwinStore store) {
        this(store, DEFAULT_CAPACITY, DEFAULT_MAX_BATCH);
    }

    public TwinWriter(TwinStore store, int capacity, int maxBatch) {
        if (capacity < 1 || maxBatch < 1) throw new IllegalArgumentException("capacity and maxBatch must be >= 1");
        this.store = store;
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::loop, "twin-writer-" + store.nodeId());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Executes one command (see {@link TwinStore#executeAll}); a rejection completes normally as {@link Result.Rejected}. */
    public CompletableFuture<Result> submit(TwinStore.Request request) {
        CompletableFuture<Result> f = new CompletableFuture<>();
        TwinError refused = closed ? null : admission.get();
        if (refused != null) {
            f.complete(new Result.Rejected(refused));
            return f;
        }
        if (closed || !queue.offer(new Command(request, f))) {
            f.complete(new Result.Rejected(new TwinError(OVERLOADED, 503,
                    closed ? "the node is shutting down" : "write queue full (" + queue.size() + " commands waiting)")));
        }
        return f;
    }

    /**
     * Runs {@code work} on the writer thread, in order with commands — for writes that are not
     * commands, like {@link TwinStore#acceptReplica}. Fails with {@link IllegalStateException}
     * when the queue is full or the writer closed.
     */
    public <T> CompletableFuture<T> call(Supplier<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (closed || !queue.offer(new Call<>(work, f))) {
            f.completeExceptionally(new IllegalStateException(OVERLOADED + ": " + (closed ? "writer closed" : "write queue full")));
        }
        return f;
    }

    /**
     * Runs a command that must read the store in the same step as it writes (a REST PUT telling
     * 201 from 200, a merge patch into an object value) on the writer thread, in order with
     * commands and calls — and, unlike {@link #call}, through the {@link #admission} gate: while the
     * gate refuses, nothing runs and the future completes at once with {@code refused} of the
     * error (e.g. a {@link Result.Rejected}). Queue full or closed fails as {@link #call} does.
     */
    public <T> CompletableFuture<T> callCommand(Supplier<T> step, Function<TwinError, T> refused) {
        TwinError error = closed ? null : admission.get();
        return error != null ? CompletableFuture.completedFuture(refused.apply(error)) : call(step);
    }

    /**
     * A gate for commands ({@link #submit}, {@link #callCommand}; not for {@link #call}s, which carry replicas): while it returns an
     * error, {@link #submit} completes at once with that rejection — e.g. {@code twin:storage.full}
     * when retention may not free the journal's disk budget (entries not yet acknowledged).
     */
    public void admission(Supplier<TwinError> gate) {
        this.admission = gate == null ? () -> null : gate;
    }

    /** Commands and calls waiting. */
    public int pending() {
        return queue.size();
    }

    private void loop() {
        List<Task> drained = new ArrayList<>(maxBatch);
        List<Command> batch = new ArrayList<>(maxBatch);
        while (true) {
            try {
                drained.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            queue.drainTo(drained, maxBatch - 1);
            for (Task t : drained) {
                if (t instanceof Command c) {
                    batch.add(c);
                    continue;
                }
                flush(batch);
                if (t == STOP) {
                    failRemaining();
                    return;
                }
                ((Call<?>) t).run();
            }
            flush(batch);
            drained.clear();
        }
    }

    private void flush(List<Command> batch) {
        if (batch.isEmpty()) return;
        List<TwinStore.Request> requests = new ArrayList<>(batch.size());
        for (Command c : batch) requests.add(c.request());
        try {
            List<Result> results = store.executeAll(requests);
            for (int i = 0; i < batch.size(); i++) batch.get(i).result().complete(results.get(i));
        } catch (RuntimeException | Error e) {
            LOG.error("twin writer: a batch of {} commands failed: {}", batch.size(), e.toString());
            for (Command c : batch) c.result().completeExceptionally(e);
        }
        batch.clear();
    }

    private void failRemaining() {
        for (Task t = queue.poll(); t != null; t = queue.poll()) {
            if (t instanceof Command c) {
                c.result().complete(new Result.Rejected(new TwinError(OVERLOADED, 503, "the node is shutting down")));
            } else if (t instanceof Call<?> call) {
                call.result().completeExceptionally(new IllegalStateException(OVERLOADED + ": writer closed"));
            }
        }
    }

    /** Finishes every task submitted before, then stops the thread (waits up to 30 s). Does not close the store. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            queue.put(STOP);
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
