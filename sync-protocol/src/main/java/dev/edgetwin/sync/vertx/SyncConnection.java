package dev.edgetwin.sync.vertx;

import dev.edgetwin.log.Journal;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.JournalException;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.TwinWriter;
import dev.edgetwin.sync.Action;
import dev.edgetwin.sync.JournalCodes;
import dev.edgetwin.sync.SyncSession;
import dev.edgetwin.sync.wire.ControlCodec;
import dev.edgetwin.sync.wire.DataCodec;
import dev.edgetwin.sync.wire.Frame;
import dev.edgetwin.sync.wire.SyncCode;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Drives one {@link SyncSession} over one WebSocket, on the socket's event-loop context: every
 * session call and every write happens there, so the session and the journal cursor its sender
 * opens belong to that one thread. Appends go to the node's single {@link TwinWriter}; the ack
 * is sent when the writer has appended. Thread-safe entry points: {@link #wake()} (from a
 * {@code TwinListener} on the writer thread) and {@link #retire} (from another connection).
 */
final class SyncConnection {
    private static final Logger LOG = LoggerFactory.getLogger(SyncConnection.class);
    private static final int MAX_ERROR_MESSAGE = 1024;

    /** Told when the connection completed its handshake and when it closed, on its context. */
    interface Listener {
        void streaming(SyncConnection connection);

        void closed(SyncConnection connection);
    }

    private final WebSocketBase ws;
    private final Context context;
    private final SyncSession session;
    private final TwinStore store;
    private final TwinWriter writer;
    private final SyncMetrics metrics;
    private final Listener listener;
    private final String label;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final io.vertx.core.Promise<Void> closed = io.vertx.core.Promise.promise();
    private volatile SyncSession.SessionStats stats;
    private volatile long lastSeenMillis;
    private volatile long streamingSinceMillis;
    private boolean retired;           // guarded by this: no append is submitted after it is set
    private List<Action.Append> openBatch; // guarded by this: frames for the writer task already queued, until it starts
    private long timer = -1;
    private boolean announced;
    private boolean finished;

    SyncConnection(WebSocketBase ws, Context context, SyncSession session, TwinStore store, TwinWriter writer, SyncMetrics metrics,
                   Listener listener) {
        this.ws = ws;
        this.context = context;
        this.session = session;
        this.store = store;
        this.writer = writer;
        this.metrics = metrics;
        this.listener = listener;
        this.label = "sync " + session.edge() + " (" + session.side().name().toLowerCase(java.util.Locale.ROOT) + ")";
        this.stats = session.stats();
    }

    /** Installs the handlers and asks the writer for this side's position; call on the context. */
    void start(long tickMillis) {
        ws.textMessageHandler(text -> {
            lastSeenMillis = System.currentTimeMillis();
            handle(session.onText(text));
        });
        ws.binaryMessageHandler(buffer -> {
            lastSeenMillis = System.currentTimeMillis();
            handle(session.onBinary(buffer.getBytes()));
        });
        ws.exceptionHandler(e -> {
            // Vert.x drops a message over its size limit and reports it here, keeping the connection
            if (String.valueOf(e.getMessage()).contains("max message size")) {
                handle(session.close(SyncCode.BATCH_TOO_LARGE, "message over the transport limit: " + e.getMessage()));
            } else {
                LOG.debug("{}: transport error: {}", label, e.toString());
            }
        });
        ws.closeHandler(v -> transportClosed());
        timer = context.owner().setPeriodic(tickMillis, id -> handle(session.tick()));
        String stream = session.receivedStream();
        // through the writer: after every append an older connection of this node had queued
        CompletableFuture<Frame.StreamPosition> position = writer.call(() -> {
            Journal j = store.journal();
            return new Frame.StreamPosition(stream, j.nextSeq(stream), j.lastHash(stream));
        });
        position.whenComplete((p, e) -> context.runOnContext(v -> {
            if (e == null) {
                handle(session.positionLoaded(p));
            } else {
                handle(session.close(codeOf(e), "cannot read the journal position: " + rootCause(e)));
            }
        }));
    }

    /** New entries of the stream this side sends: pump on the context (coalesced). Any thread. */
    void wake() {
        if (wakePending.compareAndSet(false, true)) {
            context.runOnContext(v -> {
                wakePending.set(false);
                handle(session.pump());
            });
        }
    }

    /**
     * Stops taking batches now (no append is submitted after this returns) and closes with
     * {@code code} on the context. Any thread: a newer connection of the node calls it before it
     * reads its own position.
     */
    void retire(SyncCode code, String message) {
        synchronized (this) {
            retired = true;
        }
        context.runOnContext(v -> {
            handle(session.close(code, message));
            if (session.state() == SyncSession.State.CLOSED && ws.isClosed()) closed.tryComplete();
        });
    }

    private void handle(List<Action> actions) {
        for (Action a : actions) {
            if (a instanceof Action.Send s) {
                send(s.frame());
            } else if (a instanceof Action.Append ap) {
                metrics.receivedEntries.increment(ap.decoded().size());
                long bytes = 0;
                for (JournalEntry e : ap.decoded()) bytes += e.bytes().length;
                metrics.receivedBytes.increment(bytes);
                submitAppend(ap);
            } else if (a instanceof Action.InstallSnapshot is) {
                submit(is.upTo(), () -> store.installSnapshot(is.stream(), is.upTo(), is.hash(), is.entries()));
            } else if (a instanceof Action.Close c) {
                closeWith(c.code(), c.message());
            }
        }
        stats = session.stats();
        if (!announced && session.state() == SyncSession.State.STREAMING) {
            announced = true;
            streamingSinceMillis = System.currentTimeMillis();
            SyncSession.SessionStats st = stats;
            LOG.info("{}: streaming, session {}; sends {} from {} (head {}), receives {} from {} (peer head {})", label, session.session(),
                    st.sends(), st.peerAcked(), st.sendsHead(), st.receives(), st.appendedNext(), st.peerHead());
            listener.streaming(this);
        }
    }

    private void send(Frame f) {
        if (ws.isClosed()) return;
        metrics.sent(f);
        if (f instanceof Frame.Data d) {
            metrics.sentEntries.increment(d.entries().size());
            metrics.sentBytes.increment(d.bytes());
            ws.writeBinaryMessage(Buffer.buffer(DataCodec.encode(d)));
        } else {
            ws.writeTextMessage(ControlCodec.encode(f));
        }
    }

    /**
     * Hands an accepted frame to the node's writer unless retired, coalescing: while the writer
     * has not started the task queued for earlier frames, later frames join it, and it appends
     * them all with one {@link TwinStore#acceptReplicaEntries} (one projection write for all —
     * what makes a catch-up fast) and reports the last one's {@code next}: acks are cumulative
     * and still sent only after the append returned. Frames stay in order: a batch is closed
     * when its task starts or when another write is queued behind it.
     */
    private void submitAppend(Action.Append ap) {
        synchronized (this) {
            if (retired) return;
            // a batch holds one stream's frames (a connection receives one stream; this keeps it so)
            if (openBatch != null && openBatch.get(0).stream().equals(ap.stream())) {
                openBatch.add(ap);
                return;
            }
            List<Action.Append> batch = new ArrayList<>();
            batch.add(ap);
            openBatch = batch;
            submitLocked(() -> appendBatch(batch));
        }
    }

    /** On the writer thread: closes the batch to later frames, appends it, returns the next seq expected after it. */
    private long appendBatch(List<Action.Append> batch) {
        synchronized (this) {
            if (openBatch == batch) openBatch = null;
        }
        List<JournalEntry> entries = batch.get(0).decoded();
        if (batch.size() > 1) {
            entries = new ArrayList<>();
            for (Action.Append ap : batch) entries.addAll(ap.decoded());
        }
        store.acceptReplicaEntries(batch.get(0).stream(), entries);
        return batch.get(batch.size() - 1).next();
    }

    /** Hands a write that is not a frame (a snapshot) to the writer unless retired; frames after it go to a new batch. */
    private void submit(long next, java.util.function.Supplier<?> write) {
        synchronized (this) {
            if (retired) return;
            openBatch = null;
            submitLocked(() -> {
                write.get();
                return next;
            });
        }
    }

    /** Queues a write returning the next seq it appended up to; the session hears of the outcome on the context. */
    private void submitLocked(java.util.function.Supplier<Long> write) {
        CompletableFuture<Long> done = writer.call(write);
        if (done.isCompletedExceptionally()) openBatch = null; // refused at once (queue full, closed): nothing may join it
        done.whenComplete((next, e) -> context.runOnContext(v -> {
            if (e == null) {
                handle(session.appended(next));
            } else {
                handle(session.appendFailed(codeOf(e), "append failed: " + rootCause(e)));
            }
        }));
    }

    private void closeWith(SyncCode code, String message) {
        synchronized (this) {
            retired = true;
        }
        if (!ws.isClosed()) {
            String m = message == null ? "" : message.length() > MAX_ERROR_MESSAGE ? message.substring(0, MAX_ERROR_MESSAGE) : message;
            send(new Frame.ErrorFrame(code, m));
            ws.close((short) code.closeStatus(), code.code()).onComplete(ar -> closed.tryComplete());
        } else {
            closed.tryComplete();
        }
        finish();
    }

    private void transportClosed() {
        closed.tryComplete();
        Short status = ws.closeStatusCode();
        session.transportClosed(status == null ? null : (int) status, ws.closeReason());
        synchronized (this) {
            retired = true;
        }
        finish();
    }

    private void finish() {
        if (finished) return;
        finished = true;
        if (timer >= 0) context.owner().cancelTimer(timer);
        stats = session.stats();
        SyncSession.SessionStats st = stats;
        SyncCode code = session.closeCode();
        metrics.closed(code);
        String how = code == null ? "closed by the transport" : "closed with " + code + (session.closeMessage() == null ? "" : ": " + session.closeMessage());
        if (code == null || code == SyncCode.SHUTDOWN || code == SyncCode.REPLACED || code == SyncCode.IDLE) {
            LOG.info("{}: {}; {} acked to {}, {} appended to {}", label, how, st.sends(), st.peerAcked(), st.receives(), st.appendedNext());
        } else {
            LOG.warn("{}: {}; {} acked to {}, {} appended to {}", label, how, st.sends(), st.peerAcked(), st.receives(), st.appendedNext());
        }
        listener.closed(this);
    }

    static SyncCode codeOf(Throwable e) {
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (c instanceof JournalException je) {
            SyncCode mapped = JournalCodes.toSync(je.code());
            return mapped == SyncCode.FRAME_INVALID ? SyncCode.INTERNAL : mapped;
        }
        if (c instanceof IllegalStateException && String.valueOf(c.getMessage()).startsWith(TwinWriter.OVERLOADED)) return SyncCode.OVERLOADED;
        return SyncCode.INTERNAL;
    }

    private static String rootCause(Throwable e) {
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return c.toString();
    }

    SyncSession session() {
        return session;
    }

    /** The latest positions, published after every event on the context. Any thread. */
    SyncSession.SessionStats stats() {
        return stats;
    }

    /** Wall-clock ms of the last frame received, 0 if none. Any thread. */
    long lastSeenMillis() {
        return lastSeenMillis;
    }

    /** Wall-clock ms the handshake completed, 0 before. Any thread. */
    long streamingSinceMillis() {
        return streamingSinceMillis;
    }

    String remoteAddress() {
        return String.valueOf(ws.remoteAddress());
    }

    /** Closes with {@code code}; the future completes once the WebSocket is closed. Any thread. */
    io.vertx.core.Future<Void> close(SyncCode code, String message) {
        retire(code, message);
        return closed.future();
    }
}
