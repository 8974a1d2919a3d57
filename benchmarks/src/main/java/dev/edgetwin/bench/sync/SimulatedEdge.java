package dev.edgetwin.bench.sync;

import dev.edgetwin.log.EntryDraft;
import dev.edgetwin.log.InMemoryJournal;
import dev.edgetwin.log.JournalSnapshot;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinEvent;
import dev.edgetwin.sync.Action;
import dev.edgetwin.sync.JournalSource;
import dev.edgetwin.sync.SyncOptions;
import dev.edgetwin.sync.SyncSession;
import dev.edgetwin.sync.wire.ControlCodec;
import dev.edgetwin.sync.wire.DataCodec;
import dev.edgetwin.sync.wire.Frame;
import dev.edgetwin.sync.wire.SyncProtocol;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One edge of the fleet load driver: the real protocol state machine ({@link SyncSession}) over
 * a real WebSocket, with an in-memory journal instead of a node (thousands fit in one JVM).
 * Its appends are synchronous, so it acks as fast as a network allows; the cloud is what is
 * measured. All session calls run on the edge's Vert.x context.
 */
final class SimulatedEdge {
    private static final long HLC_BASE = 1L << 40;

    final String id;
    final InMemoryJournal journal = new InMemoryJournal();
    private final SyncOptions options;
    private final Context context;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private SyncSession session;
    private WebSocket ws;
    private long hlc = HLC_BASE;
    volatile boolean streaming;
    volatile long acked;
    volatile int sessions;

    SimulatedEdge(String id, SyncOptions options, Context context) {
        this.id = id;
        this.options = options;
        this.context = context;
    }

    /** Registers this edge's devices in its own stream. */
    synchronized void register(int devices) {
        List<EntryDraft> drafts = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            drafts.add(draft(new TwinEvent.DeviceRegistered(SyncBenchNodes.device(id, i), id, "sensor", Map.of(),
                    Map.of("level", PropertyDef.ANY))));
        }
        journal.append(SyncProtocol.edgeStream(id), drafts);
    }

    /** Appends one reported value (any thread) and wakes the sender. */
    void report(int device, long value) {
        synchronized (this) {
            journal.append(SyncProtocol.edgeStream(id), List.of(draft(new TwinEvent.ReportedSet(SyncBenchNodes.device(id, device), "level",
                    SyncBenchNodes.JSON.numberNode(value)))));
        }
        if (wakePending.compareAndSet(false, true)) {
            context.runOnContext(v -> {
                wakePending.set(false);
                if (session != null) handle(session.pump());
            });
        }
    }

    private EntryDraft draft(TwinEvent e) {
        return new EntryDraft(++hlc, id, System.currentTimeMillis(), "", EventCodec.encode(e));
    }

    long head() {
        return journal.nextSeq(SyncProtocol.edgeStream(id));
    }

    /** Connects on its context; reconnects a second after any close. */
    void connect(WebSocketClient client, URI cloud) {
        context.runOnContext(v -> client.connect(new WebSocketConnectOptions().setHost(cloud.getHost()).setPort(cloud.getPort())
                        .setURI(cloud.getPath()).putHeader(SyncProtocol.NODE_HEADER, id)
                        .putHeader(SyncProtocol.VERSION_HEADER, String.valueOf(SyncProtocol.VERSION)))
                .onSuccess(socket -> {
                    ws = socket;
                    sessions++;
                    session = new SyncSession(SyncSession.Side.EDGE, id, id, null, options,
                            new JournalSource(journal, SyncProtocol.edgeStream(id)), () -> System.nanoTime() / 1_000_000, 64L << 20);
                    socket.textMessageHandler(t -> handle(session.onText(t)));
                    socket.binaryMessageHandler(b -> handle(session.onBinary(b.getBytes())));
                    socket.closeHandler(x -> {
                        streaming = false;
                        session.transportClosed(null, null);
                        context.owner().setTimer(1_000, t -> connect(client, cloud));
                    });
                    String down = SyncProtocol.cloudStream(id);
                    handle(session.positionLoaded(new Frame.StreamPosition(down, journal.nextSeq(down), journal.lastHash(down))));
                })
                .onFailure(e -> context.owner().setTimer(1_000, t -> connect(client, cloud))));
    }

    void tick() {
        context.runOnContext(v -> {
            if (session != null) handle(session.tick());
        });
    }

    private void handle(List<Action> actions) {
        for (Action a : actions) {
            if (a instanceof Action.Send s) {
                if (ws.isClosed()) continue;
                if (s.frame() instanceof Frame.Data d) ws.writeBinaryMessage(Buffer.buffer(DataCodec.encode(d)));
                else ws.writeTextMessage(ControlCodec.encode(s.frame()));
            } else if (a instanceof Action.Append ap) {
                journal.appendReplica(ap.stream(), ap.entries());
                handle(session.appended(ap.next()));
            } else if (a instanceof Action.InstallSnapshot is) {
                journal.installSnapshot(JournalSnapshot.of(is.stream(), is.upTo(), is.hash(), is.entries()));
                handle(session.appended(is.upTo()));
            } else if (a instanceof Action.Close c) {
                if (!ws.isClosed()) {
                    ws.writeTextMessage(ControlCodec.encode(new Frame.ErrorFrame(c.code(), c.message())));
                    ws.close((short) c.code().closeStatus(), c.code().code());
                }
            }
        }
        SyncSession.SessionStats st = session.stats();
        streaming = st.state() == SyncSession.State.STREAMING;
        if (st.peerAcked() >= 0) acked = st.peerAcked();
    }
}
