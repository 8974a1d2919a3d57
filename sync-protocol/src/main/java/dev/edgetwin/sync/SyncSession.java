package dev.edgetwin.sync;

import dev.edgetwin.sync.wire.ControlCodec;
import dev.edgetwin.sync.wire.DataCodec;
import dev.edgetwin.sync.wire.Frame;
import dev.edgetwin.sync.wire.SyncCode;
import dev.edgetwin.sync.wire.SyncException;
import dev.edgetwin.sync.wire.SyncProtocol;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One sync connection's protocol state machine, for either side (PROTOCOL.md): handshake,
 * then a {@link StreamSender} for the stream this side writes and a {@link StreamReceiver} for
 * the stream it receives, heartbeats and the idle timeout. Pure: it does no I/O and knows no
 * network; every call returns the {@link Action}s for the adapter, in order. Time comes from
 * the injected clock. Not thread-safe: one thread (the connection's event loop) makes every call.
 *
 * <p>States: {@code AWAIT_POSITION} (the adapter has not yet read this side's journal
 * position through the writer) → {@code AWAIT_HANDSHAKE} → {@code STREAMING} → {@code CLOSED}.
 * Once closed every call returns nothing.
 */
public final class SyncSession {
    public enum Side { EDGE, CLOUD }

    public enum State { AWAIT_POSITION, AWAIT_HANDSHAKE, STREAMING, CLOSED }

    private final Side side;
    private final String localNode;
    private final String edge;
    private final String session;
    private final SyncOptions options;
    private final SourceStream source;
    private final LongSupplier clock;
    private final long maxSnapshotBytes;
    private final long startedAt;
    private State state = State.AWAIT_POSITION;
    private Frame.StreamPosition localPosition;
    private Frame.Handshake peer;
    private StreamSender sender;
    private StreamReceiver receiver;
    private long lastPing;
    private long lastReceived;
    private long idleTimeout;
    private SyncCode closeCode;
    private String closeMessage;

    /**
     * @param side      which end this is
     * @param localNode this node's id
     * @param edge      the edge node of the connection (this node on the edge side)
     * @param session   the connection id the cloud hands out (ignored on the edge)
     * @param source    the stream this side writes ({@code edge/<edge>} or {@code cloud/<edge>})
     * @param clock     milliseconds, for timers
     */
    public SyncSession(Side side, String localNode, String edge, String session, SyncOptions options, SourceStream source,
                       LongSupplier clock, long maxSnapshotBytes) {
        this.side = side;
        this.localNode = localNode;
        this.edge = edge;
        this.session = session;
        this.options = options;
        this.source = source;
        this.clock = clock;
        this.maxSnapshotBytes = maxSnapshotBytes;
        this.startedAt = clock.getAsLong();
        this.lastPing = startedAt;
        this.lastReceived = startedAt;
        this.idleTimeout = options.idleTimeoutMs();
        String expected = side == Side.EDGE ? SyncProtocol.edgeStream(edge) : SyncProtocol.cloudStream(edge);
        if (!source.name().equals(expected)) throw new IllegalArgumentException("the " + side + " side sends " + expected + ", not " + source.name());
    }

    /** The stream this side receives. */
    public String receivedStream() {
        return side == Side.EDGE ? SyncProtocol.cloudStream(edge) : SyncProtocol.edgeStream(edge);
    }

    /**
     * This side's journal position of the stream it receives, read through the node's writer
     * (so after every append an earlier connection queued). The edge then says hello; the cloud
     * answers a hello that arrived (or will).
     */
    public List<Action> positionLoaded(Frame.StreamPosition receives) {
        List<Action> out = new ArrayList<>();
        if (state != State.AWAIT_POSITION) return out;
        if (!receives.stream().equals(receivedStream())) throw new IllegalArgumentException("position of " + receives.stream());
        localPosition = receives;
        state = State.AWAIT_HANDSHAKE;
        if (side == Side.EDGE) {
            send(out, handshake());
        } else if (peer != null) {
            run(out, () -> startStreaming(out));
        }
        return out;
    }

    private Frame.Handshake handshake() {
        return new Frame.Handshake(side == Side.CLOUD, SyncProtocol.VERSION, localNode, side == Side.CLOUD ? session : null,
                localPosition, source.name(), source.head(),
                new Frame.Credit(localPosition.next() + options.windowEntries(), options.windowBytes()),
                options.maxBatchBytes(), options.heartbeatMs());
    }

    /** A text message from the peer. */
    public List<Action> onText(String text) {
        List<Action> out = new ArrayList<>();
        if (state == State.CLOSED) return out;
        run(out, () -> onFrame(ControlCodec.decode(text, options.maxControlBytes()), out));
        return out;
    }

    /** A binary message from the peer. */
    public List<Action> onBinary(byte[] bytes) {
        List<Action> out = new ArrayList<>();
        if (state == State.CLOSED) return out;
        run(out, () -> onFrame(DataCodec.decode(bytes, options.maxBatchBytes()), out));
        return out;
    }

    private void onFrame(Frame f, List<Action> out) {
        lastReceived = clock.getAsLong();
        if (f instanceof Frame.Handshake h) {
            onHandshake(h, out);
            return;
        }
        if (f instanceof Frame.ErrorFrame e) {
            closeCode = e.code();
            closeMessage = "peer: " + e.message();
            return;
        }
        if (state != State.STREAMING) throw new SyncException(SyncCode.FRAME_UNEXPECTED, frameName(f) + " before the handshake completed");
        if (f instanceof Frame.Data d) {
            out.add(receiver.onData(d));
        } else if (f instanceof Frame.Ack a) {
            sender.onAck(a);
            pumpInto(out);
        } else if (f instanceof Frame.Ping p) {
            receiver.onPing(p);
            sender.onAck(p.ack());
            pumpInto(out);
        } else if (f instanceof Frame.SnapshotHeader s) {
            Action install = receiver.onSnapshotHeader(s, maxSnapshotBytes);
            if (install != null) out.add(install);
        }
    }

    private void onHandshake(Frame.Handshake h, List<Action> out) {
        boolean expectWelcome = side == Side.EDGE;
        if (h.welcome() != expectWelcome || peer != null) {
            throw new SyncException(SyncCode.FRAME_UNEXPECTED, (h.welcome() ? "welcome" : "hello") + " unexpected here");
        }
        if (h.version() != SyncProtocol.VERSION) {
            throw new SyncException(SyncCode.VERSION, "protocol version " + h.version() + ", this side speaks " + SyncProtocol.VERSION);
        }
        if (side == Side.CLOUD && !h.node().equals(edge)) {
            throw new SyncException(SyncCode.AUTH, "hello from node " + h.node() + " on the connection authenticated as " + edge);
        }
        if (!h.receives().stream().equals(source.name()) || !h.sends().equals(receivedStream())) {
            throw new SyncException(SyncCode.STREAM, "the peer receives " + h.receives().stream() + " and sends " + h.sends()
                    + ", expected " + source.name() + " and " + receivedStream());
        }
        peer = h;
        idleTimeout = Math.max(options.idleTimeoutMs(), 3L * h.heartbeatMs());
        if (side == Side.EDGE || localPosition != null) startStreaming(out);
    }

    private void startStreaming(List<Action> out) {
        if (side == Side.CLOUD) send(out, handshake());
        receiver = new StreamReceiver(receivedStream(), localPosition, options);
        receiver.peerHead(peer.head());
        sender = new StreamSender(source, options, peer);
        state = State.STREAMING;
        Frame.SnapshotHeader snapshot = sender.start(peer.receives());
        if (snapshot != null) send(out, snapshot);
        pumpInto(out);
    }

    /** The writer appended (or installed) everything of the received stream below {@code next}: ack it. */
    public List<Action> appended(long next) {
        List<Action> out = new ArrayList<>();
        if (state != State.STREAMING) return out;
        run(out, () -> send(out, receiver.appended(next)));
        return out;
    }

    /** The writer could not append: close with {@code code} (the peer resends after reconnecting). */
    public List<Action> appendFailed(SyncCode code, String message) {
        return close(code, message);
    }

    /** New entries may be in the journal, or the transport drained: send what the credit allows. */
    public List<Action> pump() {
        List<Action> out = new ArrayList<>();
        if (state != State.STREAMING) return out;
        run(out, () -> pumpInto(out));
        return out;
    }

    private void pumpInto(List<Action> out) {
        for (Frame.Data d : sender.pump()) send(out, d);
    }

    /** Timers: the handshake timeout, the idle timeout, heartbeats. Call it every few hundred ms. */
    public List<Action> tick() {
        List<Action> out = new ArrayList<>();
        long now = clock.getAsLong();
        if (state == State.CLOSED) return out;
        if (state != State.STREAMING) {
            // before the handshake only its own timeout applies
            return now - startedAt > options.handshakeTimeoutMs()
                    ? close(SyncCode.HANDSHAKE_TIMEOUT, "no handshake within " + options.handshakeTimeoutMs() + " ms") : out;
        }
        if (now - lastReceived > idleTimeout) return close(SyncCode.IDLE, "nothing received for " + (now - lastReceived) + " ms");
        if (now - lastPing >= options.heartbeatMs()) {
            lastPing = now;
            send(out, new Frame.Ping(source.head(), sender.sent(), receiver.lastAck()));
        }
        return out;
    }

    /** Closes from this side: the adapter sends an error frame with the code, then the close. */
    public List<Action> close(SyncCode code, String message) {
        List<Action> out = new ArrayList<>();
        if (state == State.CLOSED) return out;
        closed(code, message);
        out.add(new Action.Close(code, message));
        return out;
    }

    /** The transport closed (the peer's close, a reset): no more actions. */
    public void transportClosed(Integer status, String reason) {
        if (state == State.CLOSED) return;
        SyncCode code = status == null ? null : SyncCode.ofCloseStatus(status).orElse(null);
        closed(closeCode != null ? closeCode : code, closeMessage != null ? closeMessage
                : "transport closed" + (status == null ? "" : " (" + status + (reason == null ? "" : " " + reason) + ")"));
    }

    private void closed(SyncCode code, String message) {
        state = State.CLOSED;
        closeCode = code;
        closeMessage = message;
        if (sender != null) sender.close();
    }

    /** Runs a step; a protocol violation becomes a close, a bug a close with {@code sync:internal}. */
    private void run(List<Action> out, Runnable step) {
        try {
            step.run();
        } catch (SyncException e) {
            out.addAll(close(e.code(), e.detail()));
        } catch (RuntimeException e) {
            out.addAll(close(SyncCode.INTERNAL, e.toString()));
        }
    }

    private void send(List<Action> out, Frame f) {
        out.add(new Action.Send(f));
    }

    private static String frameName(Frame f) {
        return f.getClass().getSimpleName();
    }

    public State state() {
        return state;
    }

    public Side side() {
        return side;
    }

    public String edge() {
        return edge;
    }

    /** The session id (the cloud's; on the edge the one the welcome carried). */
    public String session() {
        return side == Side.CLOUD ? session : peer == null ? null : peer.session();
    }

    public String peerNode() {
        return peer == null ? null : peer.node();
    }

    /** The code this session closed with (its own or the peer's), null while open or after a plain transport close. */
    public SyncCode closeCode() {
        return closeCode;
    }

    public String closeMessage() {
        return closeMessage;
    }

    /** A snapshot of the positions, for node status and metrics. */
    public SessionStats stats() {
        return new SessionStats(state, source.name(), source.head(), sender == null ? -1 : sender.acked(), sender == null ? -1 : sender.next(),
                receivedStream(), receiver == null ? -1 : receiver.peerHead(), receiver == null ? -1 : receiver.appendedNext(),
                sender == null ? 0 : sender.sentEntries(), sender == null ? 0 : sender.sentBytes(),
                receiver == null ? 0 : receiver.receivedEntries(), receiver == null ? 0 : receiver.receivedBytes(),
                sender == null ? 0 : sender.unackedBytes(), receiver == null ? 0 : receiver.unappendedBytes(), lastReceived);
    }

    /**
     * Positions and counters of one session. -1 for what is not known yet.
     *
     * @param sendsHead     this side's head of the stream it sends
     * @param peerAcked     the peer holds every entry of it below this (last ack)
     * @param sentNext      the next seq this side will send
     * @param peerHead      the peer's head of the stream this side receives (last reported)
     * @param appendedNext  this side's journal holds every entry of the received stream below this
     * @param unackedBytes  entry bytes sent and not acknowledged (bounded by the window)
     * @param unappendedBytes entry bytes received and not yet appended (bounded by the window)
     * @param lastReceived  clock time of the last frame received
     */
    public record SessionStats(State state, String sends, long sendsHead, long peerAcked, long sentNext, String receives, long peerHead,
                               long appendedNext, long sentEntries, long sentBytes, long receivedEntries, long receivedBytes,
                               long unackedBytes, long unappendedBytes, long lastReceived) {
    }
}
