package dev.edgetwin.node.http;

import dev.edgetwin.log.JournalEntry;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client of {@code GET /api/v1/watch}: an SSE response fed first from the journal (when the
 * client resumes with {@code Last-Event-ID}), then from the live {@link ChangeFeed}.
 *
 * <p><b>Handoff without gap or duplicate.</b> The replay reads the journal in append order to
 * its end; then the session subscribes to the feed, and the replay reads on to the end once
 * more. Every entry appended before the subscription is in the journal and read by that second
 * pass; every entry notified after it is in the live buffer (notification follows the append,
 * in append order). Entries in both — appended before, notified after — are dropped from the
 * buffer because their seq is not above the highest seq the replay read of their stream.
 *
 * <p><b>Bounded memory.</b> The replay reads the next step only when the response can take more
 * (write queue not full). Live events wait in a buffer of at most
 * {@link ApiOptions#watchMaxBuffered()} events; a client that lets it fill is sent an
 * {@code overflow} event naming the last id it got, and the response ends; it reconnects with
 * {@code Last-Event-ID} and resumes from the journal.
 *
 * <p><b>Threads.</b> Everything runs on the request's Vert.x context, except {@link #offer}
 * (the writer thread: it only enqueues) and the replay steps (a worker, one at a time).
 */
final class WatchSession implements ChangeFeed.Subscriber {
    private static final Logger LOG = LoggerFactory.getLogger(WatchSession.class);
    /** A drain writes its events in chunks of about this many bytes (fewer when the response's queue fills). */
    static final int DRAIN_CHUNK_BYTES = 16 * 1024;

    private final Context context;
    private final HttpServerResponse response;
    private final ChangeFeed feed;
    private final WatchFilter filter;
    private final ApiOptions options;
    private final String client;
    private final Runnable onOverflow;
    private final Runnable onClose;

    // written by the writer thread in offer()
    private final ConcurrentLinkedQueue<ChangeFeed.Change> live = new ConcurrentLinkedQueue<>();
    private final AtomicInteger buffered = new AtomicInteger();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile boolean overflowed;
    private volatile boolean liveMode;
    private volatile boolean closed;

    // the context's (and, during a replay step, that step's) state
    private final Map<String, Long> seen = new HashMap<>();
    private WatchReplay replay;
    private boolean stepRunning;
    private boolean subscribed;
    private JournalPosition lastSent;
    private JournalPosition lastProcessed;
    private long lastWrite = System.currentTimeMillis();
    private long timer = -1;
    private SseText.Events pending; // live events of the drain running now, not yet written

    WatchSession(Context context, HttpServerResponse response, String client, ChangeFeed feed, WatchFilter filter,
                 ApiOptions options, Runnable onOverflow, Runnable onClose) {
        this.context = context;
        this.client = client;
        this.response = response;
        this.feed = feed;
        this.filter = filter;
        this.options = options;
        this.onOverflow = onOverflow;
        this.onClose = onClose;
    }

    /** The map a {@link WatchReplay} of this session records what it read in. */
    Map<String, Long> seen() {
        return seen;
    }

    /** Starts the stream: live only (no resume), or after replaying {@code replay} from the client's last id. */
    void start(WatchReplay replayFromLastId) {
        response.setChunked(true).setStatusCode(200)
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-store")
                .putHeader("content-encoding", "identity") // no compression: a compressor would hold events back
                .putHeader("x-accel-buffering", "no");
        response.closeHandler(v -> close());
        response.exceptionHandler(e -> close());
        write(SseText.PREAMBLE);
        timer = context.owner().setPeriodic(Math.max(1, options.watchKeepAliveMillis() / 2), id -> keepAlive());
        if (replayFromLastId == null) {
            JournalPosition before = feed.subscribe(this);
            subscribed = true;
            // the position just before the first live event: a client that reconnects with it misses nothing
            if (before != null) write(SseText.bookmark(before), before);
            goLive();
        } else {
            replay = replayFromLastId;
            replayStep();
        }
    }

    private void replayStep() {
        if (closed) {
            closeReplay();
            return;
        }
        stepRunning = true;
        WatchReplay r = replay;
        context.owner().executeBlocking(() -> r.read(options.watchReplayBatch()), false).onComplete(ar -> {
            stepRunning = false;
            if (closed) {
                closeReplay();
                return;
            }
            if (ar.failed()) {
                LOG.warn("watch replay failed: {}", ar.cause().toString());
                end();
                return;
            }
            WatchReplay.Step step = ar.result();
            if (step.events().length() > 0) write(step.events());
            if (step.lastSent() != null) lastSent = step.lastSent();
            if (step.lastRead() != null) lastProcessed = step.lastRead();
            if (!step.atEnd()) {
                whenWritable(this::replayStep);
            } else if (!subscribed) {
                feed.subscribe(this);
                subscribed = true;
                whenWritable(this::replayStep); // read on to the end once more: see the class comment
            } else {
                closeReplay();
                bookmarkIfBehind();
                goLive();
            }
        });
    }

    private void whenWritable(Runnable next) {
        if (response.writeQueueFull()) {
            response.drainHandler(v -> {
                response.drainHandler(null);
                next.run();
            });
        } else {
            context.runOnContext(v -> next.run());
        }
    }

    private void goLive() {
        liveMode = true;
        drain();
    }

    @Override
    public void offer(ChangeFeed.Change change) {
        if (closed || overflowed) return;
        if (buffered.incrementAndGet() > options.watchMaxBuffered()) {
            overflowed = true;
            context.runOnContext(v -> drain());
            return;
        }
        live.add(change);
        if (liveMode && drainScheduled.compareAndSet(false, true)) context.runOnContext(v -> drain());
    }

    private void drain() {
        drainScheduled.set(false);
        if (closed || !liveMode && !overflowed) return;
        if (overflowed) {
            overflow();
            return;
        }
        while (!response.writeQueueFull() && !overflowed) {
            ChangeFeed.Change c = live.poll();
            if (c == null) {
                writePending();
                return;
            }
            buffered.decrementAndGet();
            deliver(c);
            if (pending != null && pending.length() >= DRAIN_CHUNK_BYTES) writePending();
        }
        writePending();
        if (overflowed) {
            overflow();
        } else if (!live.isEmpty()) {
            response.drainHandler(v -> drain());
        }
    }

    private void deliver(ChangeFeed.Change c) {
        JournalEntry e = c.entry();
        Long highest = seen.get(e.stream());
        if (highest != null && e.seq() <= highest) return; // the replay sent (or skipped) it already
        seen.put(e.stream(), e.seq());
        JournalPosition p = JournalPosition.of(e);
        lastProcessed = p;
        if (filter.matches(e.stream(), c.record(), c::after)) {
            if (pending == null) pending = new SseText.Events();
            pending.change(p, c.record());
            lastSent = p;
        }
    }

    private void overflow() {
        LOG.info("watch client {} dropped: more than {} events waited for it; last id sent {}", client,
                options.watchMaxBuffered(), lastSent);
        onOverflow.run();
        write(SseText.overflow("the client read too slowly: more than " + options.watchMaxBuffered()
                + " events waited for it; reconnect with Last-Event-ID to resume", lastSent));
        end();
    }

    private void keepAlive() {
        if (closed || System.currentTimeMillis() - lastWrite < options.watchKeepAliveMillis()) return;
        if (!bookmarkIfBehind()) write(SseText.KEEP_ALIVE);
    }

    /** Sends a bookmark when events were read past the last one sent (all filtered out); true if it did. */
    private boolean bookmarkIfBehind() {
        if (lastProcessed == null || Objects.equals(lastProcessed, lastSent)) return false;
        write(SseText.bookmark(lastProcessed), lastProcessed);
        return true;
    }

    /** The events of one drain go out as one write: one system call for the lot instead of one per event. */
    private void writePending() {
        if (pending == null) return;
        Buffer events = pending.finish();
        pending = null;
        write(events);
    }

    private void write(String text, JournalPosition id) {
        write(text);
        lastSent = id;
    }

    private void write(String text) {
        write(Buffer.buffer(text));
    }

    private void write(Buffer bytes) {
        if (closed) return;
        response.write(bytes);
        lastWrite = System.currentTimeMillis();
    }

    private void end() {
        if (!closed && !response.ended()) response.end();
        close();
    }

    private void close() {
        if (closed) return;
        closed = true;
        feed.unsubscribe(this);
        if (timer >= 0) context.owner().cancelTimer(timer);
        live.clear();
        if (!stepRunning) closeReplay();
        onClose.run();
    }

    private void closeReplay() {
        if (replay != null) {
            replay.close();
            replay = null;
        }
    }
}
