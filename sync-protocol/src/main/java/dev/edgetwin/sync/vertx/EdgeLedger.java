package dev.edgetwin.sync.vertx;

import dev.edgetwin.log.Journal;
import dev.edgetwin.sync.ReplicationStatus;
import dev.edgetwin.sync.SyncSession;
import dev.edgetwin.sync.wire.SyncCode;
import dev.edgetwin.sync.wire.SyncProtocol;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cloud's record of every edge: the connection currently streaming, what was last known
 * of the edge's positions, and the last close. Positions the cloud holds itself come from the
 * journal when asked. Registers per-edge lag gauges. Thread-safe: connections update it on
 * their own contexts, status readers read volatile fields.
 */
final class EdgeLedger {
    private static final class Record {
        volatile SyncConnection current;
        volatile long connectedSince;
        volatile long lastSeen;
        volatile long edgeHead = -1;
        volatile long edgeAcked = -1;
        volatile String lastError;
    }

    private final Journal journal;
    private final MeterRegistry registry;
    private final Map<String, Record> records = new ConcurrentHashMap<>();

    EdgeLedger(Journal journal, MeterRegistry registry) {
        this.journal = journal;
        this.registry = registry;
        for (String node : journalNodes()) record(node);
    }

    private Record record(String node) {
        return records.computeIfAbsent(node, n -> {
            Record r = new Record();
            Gauge.builder("edgetwin.sync.lag.entries", () -> lag(n, true)).tags("node", n, "direction", "up")
                    .description("entries of edge/<node> the cloud does not hold yet (NaN: unknown)").register(registry);
            Gauge.builder("edgetwin.sync.lag.entries", () -> lag(n, false)).tags("node", n, "direction", "down")
                    .description("entries of cloud/<node> the edge has not acknowledged (NaN: unknown)").register(registry);
            return r;
        });
    }

    private double lag(String node, boolean up) {
        ReplicationStatus s = status(node);
        Long lag = up ? s.up().lag() : s.down().lag();
        return lag == null ? Double.NaN : lag;
    }

    /** The listener of a new connection of {@code node}; it unregisters itself from {@code connections} on close. */
    SyncConnection.Listener listener(String node, Map<String, SyncConnection> connections) {
        Record r = record(node);
        return new SyncConnection.Listener() {
            @Override
            public void streaming(SyncConnection c) {
                r.current = c;
                r.connectedSince = c.streamingSinceMillis();
            }

            @Override
            public void closed(SyncConnection c) {
                connections.remove(node, c);
                keep(r, c);
                SyncCode code = c.session().closeCode();
                r.lastError = code == null ? "transport" : code.code();
                if (r.current == c) r.current = null;
            }
        };
    }

    private static void keep(Record r, SyncConnection c) {
        SyncSession.SessionStats st = c.stats();
        if (st.peerHead() >= 0) r.edgeHead = Math.max(r.edgeHead, st.peerHead());
        if (st.peerAcked() >= 0) r.edgeAcked = st.peerAcked();
        r.lastSeen = Math.max(r.lastSeen, c.lastSeenMillis());
    }

    int connected() {
        int n = 0;
        for (Record r : records.values()) if (r.current != null) n++;
        return n;
    }

    List<ReplicationStatus> statuses() {
        TreeSet<String> nodes = new TreeSet<>(records.keySet());
        nodes.addAll(journalNodes());
        List<ReplicationStatus> out = new ArrayList<>(nodes.size());
        for (String n : nodes) out.add(status(n));
        return out;
    }

    /** The status of {@code node} if the cloud knows it (it connected since start, or the journal holds one of its streams), else null. */
    ReplicationStatus statusIfKnown(String node) {
        boolean known = records.containsKey(node) || journal.nextSeq(SyncProtocol.edgeStream(node)) > 0
                || journal.nextSeq(SyncProtocol.cloudStream(node)) > 0;
        return known ? status(node) : null;
    }

    private ReplicationStatus status(String node) {
        Record r = record(node);
        SyncConnection c = r.current;
        long edgeHead = r.edgeHead;
        long edgeAcked = r.edgeAcked;
        long lastSeen = r.lastSeen;
        if (c != null) {
            SyncSession.SessionStats st = c.stats();
            edgeHead = Math.max(edgeHead, st.peerHead());
            if (st.peerAcked() >= 0) edgeAcked = st.peerAcked();
            lastSeen = Math.max(lastSeen, c.lastSeenMillis());
        }
        String up = SyncProtocol.edgeStream(node);
        String down = SyncProtocol.cloudStream(node);
        long held = journal.nextSeq(up);
        ReplicationStatus.StreamLag upLag = ReplicationStatus.StreamLag.of(up, edgeHead < 0 ? null : Math.max(edgeHead, held), held);
        ReplicationStatus.StreamLag downLag = ReplicationStatus.StreamLag.of(down, journal.nextSeq(down), edgeAcked < 0 ? null : edgeAcked);
        return new ReplicationStatus(node, c != null, c == null ? null : c.session().session(), c == null ? null : c.remoteAddress(),
                c == null ? null : Instant.ofEpochMilli(r.connectedSince), lastSeen == 0 ? null : Instant.ofEpochMilli(lastSeen),
                upLag, downLag, r.lastError);
    }

    private List<String> journalNodes() {
        List<String> out = new ArrayList<>();
        for (String s : journal.streams()) {
            if (s.startsWith("edge/")) out.add(s.substring(5));
            else if (s.startsWith("cloud/")) out.add(s.substring(6));
        }
        return out;
    }
}
