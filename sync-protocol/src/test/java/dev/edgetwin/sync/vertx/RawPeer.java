package dev.edgetwin.sync.vertx;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.edgetwin.log.EntryCodec;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.TwinEvent;
import dev.edgetwin.sync.wire.ControlCodec;
import dev.edgetwin.sync.wire.DataCodec;
import dev.edgetwin.sync.wire.Frame;
import dev.edgetwin.sync.wire.SyncProtocol;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A hand-driven peer for protocol tests: connects with chosen headers, sends whatever bytes
 * a test wants (valid, garbage, replayed) and records what comes back and how it closed.
 */
final class RawPeer implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);
    private final Vertx vertx = Vertx.vertx();
    private final WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(16 << 20));
    final List<Frame> received = new CopyOnWriteArrayList<>();
    final List<Object> sent = new ArrayList<>();
    private WebSocket ws;
    private volatile Short closeStatus;
    private volatile String closeReason;

    /** Connects; throws the upgrade's failure (an {@code UpgradeRejectedException} for a refusal). */
    RawPeer connect(int port, String node, String token, String version) throws Exception {
        WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(SyncProtocol.PATH);
        if (node != null) o.putHeader(SyncProtocol.NODE_HEADER, node);
        if (token != null) o.putHeader("Authorization", "Bearer " + token);
        if (version != null) o.putHeader(SyncProtocol.VERSION_HEADER, version);
        try {
            ws = client.connect(o).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (Exception) e.getCause();
        }
        ws.textMessageHandler(t -> received.add(ControlCodec.decode(t, 1 << 20)));
        ws.binaryMessageHandler(b -> received.add(DataCodec.decode(b.getBytes(), 64 << 20)));
        ws.closeHandler(v -> {
            closeReason = ws.closeReason();
            closeStatus = ws.closeStatusCode();
        });
        return this;
    }

    RawPeer connect(int port, String node) throws Exception {
        return connect(port, node, null, "1");
    }

    void text(String text) {
        sent.add(text);
        ws.writeTextMessage(text);
    }

    void send(Frame f) {
        if (f instanceof Frame.Data d) binary(DataCodec.encode(d));
        else text(ControlCodec.encode(f));
    }

    void binary(byte[] bytes) {
        sent.add(bytes);
        ws.writeBinaryMessage(Buffer.buffer(bytes));
    }

    /** Sends {@code hello} as edge {@code node} holding {@code cloud/<node>} below {@code next} (chain head {@code hash}). */
    void hello(String node, long next, long hash, long head) {
        send(new Frame.Handshake(false, SyncProtocol.VERSION, node, null,
                new Frame.StreamPosition(SyncProtocol.cloudStream(node), next, hash), SyncProtocol.edgeStream(node), head,
                new Frame.Credit(next + 4096, 4 << 20), 1 << 20, 300));
    }

    /** Re-sends every message this peer sent, in order, on this connection (a replay). */
    void replay(List<Object> messages) {
        for (Object m : messages) {
            if (m instanceof String s) text(s);
            else binary((byte[]) m);
        }
    }

    Frame.Handshake awaitWelcome() {
        await().atMost(WAIT).until(() -> received.stream().anyMatch(f -> f instanceof Frame.Handshake) || closeStatus != null);
        return (Frame.Handshake) received.stream().filter(f -> f instanceof Frame.Handshake).findFirst()
                .orElseThrow(() -> new AssertionError("closed before the welcome: " + closeStatus + " " + closeReason + " " + received));
    }

    /** Waits for an ack of {@code stream} reaching {@code next}. */
    void awaitAck(String stream, long next) {
        await().atMost(WAIT).until(() -> received.stream().anyMatch(f -> f instanceof Frame.Ack a && a.stream().equals(stream) && a.next() >= next));
    }

    /** Waits for the close; returns its status. */
    int awaitClose() {
        await().atMost(WAIT).until(() -> closeStatus != null);
        return closeStatus;
    }

    String closeReason() {
        return closeReason;
    }

    /** The code of the error frame received before the close, or null. */
    String errorCode() {
        return received.stream().filter(f -> f instanceof Frame.ErrorFrame).map(f -> ((Frame.ErrorFrame) f).code().code()).findFirst().orElse(null);
    }

    boolean closed() {
        return closeStatus != null;
    }

    /** {@code n} chained entries of {@code stream} from seq {@code from} after chain head {@code prevHash}. */
    static List<JournalEntry> entries(String stream, String origin, long from, long prevHash, int n, int payloadPadding) {
        List<JournalEntry> out = new ArrayList<>();
        long prev = prevHash;
        for (int i = 0; i < n; i++) {
            TwinEvent e = new TwinEvent.ReportedSet(DeviceId.of(origin + "-dev"), "level",
                    payloadPadding == 0 ? JsonNodeFactory.instance.numberNode(from + i) : JsonNodeFactory.instance.textNode("x".repeat(payloadPadding)));
            JournalEntry entry = EntryCodec.create(stream, from + i, 1_000_000 + from + i, origin, 1_700_000_000_000L, "", prev, EventCodec.encode(e));
            out.add(entry);
            prev = entry.hash();
        }
        return out;
    }

    static Frame.Data batch(String stream, long firstSeq, List<JournalEntry> entries) {
        return Frame.Data.entries(stream, firstSeq, firstSeq + entries.size(), entries.stream().map(JournalEntry::bytes).toList());
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // best effort in tests
        }
    }
}
