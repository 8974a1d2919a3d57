package dev.edgetwin.sync.sim;

import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.JournalException;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.sync.Action;
import dev.edgetwin.sync.Backoff;
import dev.edgetwin.sync.JournalSource;
import dev.edgetwin.sync.SyncOptions;
import dev.edgetwin.sync.SyncSession;
import dev.edgetwin.sync.wire.ControlCodec;
import dev.edgetwin.sync.wire.DataCodec;
import dev.edgetwin.sync.wire.Frame;
import dev.edgetwin.sync.wire.SyncCode;
import dev.edgetwin.sync.wire.SyncProtocol;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeMap;

/**
 * A discrete-event simulation of one cloud and a few edges running the pure {@link SyncSession}
 * state machines over a network that drops, duplicates, corrupts, delays and reorders messages,
 * cuts connections (sometimes only one end notices) and partitions edges, with nodes that
 * restart (losing their writer queue, keeping their journal). Everything is driven by one seed.
 *
 * <p>Named invariants, checked as it runs ({@link InvariantViolation} names the one broken):
 * <ul>
 *   <li>{@code no-gap-accepted}: every append a session asks for continues the replica exactly,
 *       and the replica stays a byte-identical prefix of its source;</li>
 *   <li>{@code ack-means-stored}: an ack is only sent for entries already in the receiver's journal;</li>
 *   <li>{@code no-acknowledged-entry-lost}: what a sender saw acknowledged is in the receiver's journal,
 *       across restarts;</li>
 *   <li>{@code bounded-sender}: unacknowledged bytes and entries never exceed the sender's window,
 *       whatever the receiver grants;</li>
 *   <li>{@code convergence} ({@link #heal}): once the network heals, every replica equals its
 *       source and both sides hold identical twins for each edge's devices.</li>
 * </ul>
 */
final class SimWorld {
    static final int MAX_ENTRY_BYTES = 1024;
    private static final long BASE_MILLIS = 1_700_000_000_000L;
    private static final Object CLOSE = new Object();

    private record Event(long time, long order, Runnable action) {
    }

    private final Random random;
    private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.time != b.time ? Long.compare(a.time, b.time)
            : Long.compare(a.order, b.order));
    final SimNode cloud;
    final Map<String, SimNode> edges = new LinkedHashMap<>();
    private final Map<String, SimEnd> cloudEnds = new HashMap<>();
    private final Map<String, SimEnd> edgeEnds = new HashMap<>();
    private final Map<String, Backoff> backoff = new HashMap<>();
    private final Map<String, Boolean> reconnecting = new HashMap<>();
    private final Map<String, Long> partitionedUntil = new HashMap<>();
    private final Map<String, Long> maxAckSeen = new HashMap<>();
    private final SyncOptions cloudOptions;
    private final SyncOptions edgeOptions;
    final Map<String, Integer> closes = new TreeMap<>();
    private Faults faults;
    private boolean writing = true;
    private long now;
    private long order;
    private int ends;
    long appendedEntries;
    long connects;
    /** Test probe: acknowledge before the writer appends (a broken adapter), to prove the invariants bite. */
    boolean ackBeforeAppend;

    SimWorld(long seed, int edgeCount, SyncOptions cloudOptions, SyncOptions edgeOptions, Faults faults) {
        this.random = new Random(seed);
        this.cloudOptions = cloudOptions;
        this.edgeOptions = edgeOptions;
        this.faults = faults;
        this.cloud = new SimNode("cloud", true, MAX_ENTRY_BYTES, () -> BASE_MILLIS + now);
        for (int i = 0; i < edgeCount; i++) {
            String id = "edge-" + (char) ('a' + i);
            long skew = random.nextInt(3) == 0 ? random.nextInt(5_000) - 2_500 : 0; // drifting clocks
            edges.put(id, new SimNode(id, false, MAX_ENTRY_BYTES, () -> BASE_MILLIS + now + skew));
            backoff.put(id, new Backoff(50, 2_000, new Random(random.nextLong())));
            at(random.nextInt(200), () -> connect(id));
        }
        at(100, this::tickAll);
        at(1_000, this::faultRound);
        at(random.nextInt(50), this::write);
    }

    long now() {
        return now;
    }

    /** Runs the chaos phase until virtual time {@code until}. */
    void run(long until) {
        while (!events.isEmpty() && events.peek().time <= until) {
            Event e = events.poll();
            now = e.time;
            e.action.run();
        }
        now = until;
    }

    /**
     * Stops writes and faults, lifts partitions, and runs until every replica equals its source
     * or {@code maxMillis} pass; then checks convergence.
     */
    void heal(long maxMillis) {
        faults = Faults.NONE;
        writing = false;
        partitionedUntil.clear();
        long deadline = now + maxMillis;
        while (now < deadline && !replicasComplete()) run(now + 500);
        checkConvergence();
        checkAcknowledgedPresent();
    }

    // ---- connections ------------------------------------------------------------------

    private void connect(String edge) {
        reconnecting.put(edge, false);
        SimNode e = edges.get(edge);
        SimEnd current = edgeEnds.get(edge);
        if (current != null && current.alive()) return;
        if (partitioned(edge)) {
            scheduleReconnect(edge);
            return;
        }
        connects++;
        // the cloud replaces an older connection of the same edge before it reads positions for the new one
        SimEnd old = cloudEnds.get(edge);
        if (old != null && old.alive()) process(old, old.session.close(SyncCode.REPLACED, "a newer connection of " + edge + " replaced this one"));
        SimEnd edgeEnd = new SimEnd(e, edge, new SyncSession(SyncSession.Side.EDGE, edge, edge, null, edgeOptions,
                new JournalSource(e.journal, SyncProtocol.edgeStream(edge)), this::now, 1 << 20), edgeOptions, ++ends);
        SimEnd cloudEnd = new SimEnd(cloud, edge, new SyncSession(SyncSession.Side.CLOUD, "cloud", edge, "s" + ends, cloudOptions,
                new JournalSource(cloud.journal, SyncProtocol.cloudStream(edge)), this::now, 1 << 20), cloudOptions, ++ends);
        edgeEnd.peer = cloudEnd;
        cloudEnd.peer = edgeEnd;
        edgeEnds.put(edge, edgeEnd);
        cloudEnds.put(edge, cloudEnd);
        loadPosition(edgeEnd);
        loadPosition(cloudEnd);
    }

    /** Positions are read through the node's writer queue: after every append queued before. */
    private void loadPosition(SimEnd end) {
        enqueue(end.node, () -> {
            if (!end.alive()) return;
            String stream = end.session.receivedStream();
            process(end, end.session.positionLoaded(new Frame.StreamPosition(stream, end.node.journal.nextSeq(stream),
                    end.node.journal.lastHash(stream))));
        });
    }

    private void scheduleReconnect(String edge) {
        if (Boolean.TRUE.equals(reconnecting.get(edge))) return;
        reconnecting.put(edge, true);
        at(backoff.get(edge).nextDelayMillis(), () -> connect(edge));
    }

    private void endClosed(SimEnd end) {
        end.open = false;
        if (!end.node.cloud && edgeEnds.get(end.edge) == end) scheduleReconnect(end.edge);
    }

    // ---- actions and messages -----------------------------------------------------------

    private void process(SimEnd end, List<Action> actions) {
        for (Action a : actions) {
            if (!end.alive()) return;
            if (a instanceof Action.Send s) {
                if (s.frame() instanceof Frame.Ack ack) checkAckStored(end, ack);
                if (s.frame() instanceof Frame.Ping ping) checkAckStored(end, ping.ack());
                transmit(end, s.frame() instanceof Frame.Data d ? DataCodec.encode(d) : ControlCodec.encode(s.frame()));
            } else if (a instanceof Action.Append ap) {
                if (ackBeforeAppend) {
                    process(end, end.session.appended(ap.next()));
                    enqueue(end.node, () -> append(end, ap, false));
                } else {
                    enqueue(end.node, () -> append(end, ap, true));
                }
            } else if (a instanceof Action.Close c) {
                closes.merge(c.code().code(), 1, Integer::sum);
                transmit(end, ControlCodec.encode(new Frame.ErrorFrame(c.code(), c.message())));
                transmit(end, CLOSE);
                endClosed(end);
            } else {
                throw new InvariantViolation("no-snapshot-without-trim", end + " asked for " + a + " though nothing is ever trimmed here");
            }
        }
        if (end.session.state() == SyncSession.State.STREAMING && !end.node.cloud) backoff.get(end.edge).reset();
        checkBounds(end);
    }

    private void transmit(SimEnd from, Object payload) {
        SimEnd to = from.peer;
        if (from.severed || to.severed || partitioned(from.edge) || random.nextDouble() < faults.drop()) return;
        Object p = payload;
        if (p instanceof byte[] b && random.nextDouble() < faults.corrupt()) {
            b = b.clone();
            b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
            p = b;
        }
        deliverLater(from, to, p);
        if (random.nextDouble() < faults.duplicate()) deliverLater(from, to, p);
    }

    private void deliverLater(SimEnd from, SimEnd to, Object payload) {
        long at = now + 1 + random.nextInt(faults.maxDelayMs());
        if (!faults.reorder()) at = Math.max(at, from.lastDeliverAt);
        from.lastDeliverAt = Math.max(from.lastDeliverAt, at);
        at(at - now, () -> deliver(to, payload));
    }

    private void deliver(SimEnd to, Object payload) {
        if (!to.alive()) return;
        if (payload == CLOSE) {
            to.session.transportClosed(null, null);
            endClosed(to);
        } else if (payload instanceof String text) {
            process(to, to.session.onText(text));
        } else {
            process(to, to.session.onBinary((byte[]) payload));
        }
        SyncSession.SessionStats st = to.session.stats();
        if (st.peerAcked() >= 0) maxAckSeen.merge(st.sends(), st.peerAcked(), Math::max);
    }

    // ---- the writer --------------------------------------------------------------------

    private void enqueue(SimNode node, Runnable task) {
        node.writer.addLast(task);
        if (!node.writerScheduled) {
            node.writerScheduled = true;
            int epoch = node.epoch;
            at(random.nextInt(6), () -> writerStep(node, epoch));
        }
    }

    private void writerStep(SimNode node, int epoch) {
        if (node.epoch != epoch) return;
        Runnable task = node.writer.pollFirst();
        if (task != null) task.run();
        if (node.writer.isEmpty()) {
            node.writerScheduled = false;
        } else {
            at(random.nextInt(4), () -> writerStep(node, epoch));
        }
    }

    private void append(SimEnd end, Action.Append ap, boolean ack) {
        List<JournalEntry> written;
        try {
            written = end.node.journal.appendReplica(ap.stream(), ap.entries());
        } catch (JournalException e) {
            throw new InvariantViolation("no-gap-accepted", end + " asked to append " + ap.stream() + " " + ap.firstSeq() + ".." + ap.next()
                    + " and the journal refused: " + e.getMessage());
        }
        SimNode source = ap.stream().startsWith("edge/") ? edges.get(ap.stream().substring(5)) : cloud;
        try (JournalCursor c = source.journal.read(ap.stream(), ap.firstSeq())) {
            for (JournalEntry e : written) {
                JournalEntry original = c.next();
                if (original == null || !original.equals(e)) {
                    throw new InvariantViolation("no-gap-accepted", ap.stream() + "@" + e.seq() + " on " + end.node + " differs from its source");
                }
            }
        }
        appendedEntries += written.size();
        end.node.clock.observe(end.node.journal.maxHlc());
        if (ack && end.alive()) process(end, end.session.appended(ap.next()));
    }

    // ---- workload, timers, faults --------------------------------------------------------

    private void write() {
        if (!writing) return;
        List<String> ids = new ArrayList<>(edges.keySet());
        String edge = ids.get(random.nextInt(ids.size()));
        int n = 1 + random.nextInt(random.nextInt(10) == 0 ? 40 : 3);
        if (random.nextBoolean()) {
            String stream = SyncProtocol.cloudStream(edge);
            List<dev.edgetwin.log.EntryDraft> drafts = new ArrayList<>();
            for (int i = 0; i < n; i++) drafts.add(SimWorkload.draft(cloud, SimWorkload.cloudEvent(edge, random), ""));
            cloud.journal.append(stream, drafts);
            wake(cloudEnds.get(edge));
        } else {
            SimNode e = edges.get(edge);
            List<dev.edgetwin.log.EntryDraft> drafts = new ArrayList<>();
            for (int i = 0; i < n; i++) drafts.add(SimWorkload.draft(e, SimWorkload.edgeEvent(edge, random), "t" + i));
            e.journal.append(SyncProtocol.edgeStream(edge), drafts);
            wake(edgeEnds.get(edge));
        }
        at(1 + random.nextInt(60), this::write);
    }

    /** What the node's TwinListener does: the session that sends the stream reads on. */
    private void wake(SimEnd end) {
        if (end != null && end.alive()) process(end, end.session.pump());
    }

    private void tickAll() {
        List<SimEnd> all = new ArrayList<>(cloudEnds.values());
        all.addAll(edgeEnds.values());
        for (SimEnd end : all) if (end.alive()) process(end, end.session.tick());
        checkAcknowledgedPresent();
        at(100, this::tickAll);
    }

    private void faultRound() {
        List<String> ids = new ArrayList<>(edges.keySet());
        String edge = ids.get(random.nextInt(ids.size()));
        if (random.nextDouble() < faults.cut()) cut(edge);
        if (random.nextDouble() < faults.restart()) {
            if (random.nextInt(ids.size() + 1) == 0) restartCloud();
            else restartEdge(edge);
        }
        if (random.nextDouble() < faults.partition()) partitionedUntil.put(edge, now + 1_000 + random.nextInt(8_000));
        at(1_000, this::faultRound);
    }

    /** A broken connection: both ends notice, or only one (the other is half-open until idle timeout or replacement). */
    private void cut(String edge) {
        SimEnd e = edgeEnds.get(edge);
        SimEnd c = cloudEnds.get(edge);
        int mode = random.nextInt(3);
        if (e != null && e.alive() && mode != 2) {
            e.session.transportClosed(null, null);
            endClosed(e);
        }
        if (c != null && c.alive() && mode != 1) {
            c.session.transportClosed(null, null);
            endClosed(c);
        }
        // nothing more travels on the cut connection; an end that did not notice stays half-open
        if (e != null) e.severed = true;
        if (c != null) c.severed = true;
    }

    private void restartEdge(String edge) {
        SimNode n = edges.get(edge);
        n.restart();
        checkAcknowledgedPresent();
        reconnecting.put(edge, false);
        scheduleReconnect(edge);
        SimEnd c = cloudEnds.get(edge);
        if (c != null && c.alive() && random.nextBoolean()) { // the kernel reset the socket: the cloud notices
            c.session.transportClosed(null, null);
            endClosed(c);
        }
    }

    private void restartCloud() {
        cloud.restart();
        checkAcknowledgedPresent();
        for (SimEnd e : edgeEnds.values()) {
            if (e.alive() && random.nextBoolean()) {
                e.session.transportClosed(null, null);
                endClosed(e);
            }
        }
    }

    private boolean partitioned(String edge) {
        Long until = partitionedUntil.get(edge);
        return until != null && until > now;
    }

    private void at(long delay, Runnable action) {
        events.add(new Event(now + Math.max(0, delay), order++, action));
    }

    // ---- invariants --------------------------------------------------------------------

    private void checkAckStored(SimEnd end, Frame.Ack ack) {
        long held = end.node.journal.nextSeq(ack.stream());
        if (held < ack.next()) {
            throw new InvariantViolation("ack-means-stored", end + " acks " + ack.stream() + " below " + ack.next() + " but its journal holds " + held);
        }
    }

    private void checkBounds(SimEnd end) {
        SyncSession.SessionStats st = end.session.stats();
        if (st.peerAcked() < 0) return;
        if (st.unackedBytes() > end.options.windowBytes() || st.sentNext() - st.peerAcked() > end.options.windowEntries()) {
            throw new InvariantViolation("bounded-sender", end + " has " + (st.sentNext() - st.peerAcked()) + " entries / " + st.unackedBytes()
                    + " bytes unacknowledged, window " + end.options.windowEntries() + " / " + end.options.windowBytes());
        }
        SyncOptions receiverWindow = end.options;
        if (st.unappendedBytes() > receiverWindow.windowBytes()) {
            throw new InvariantViolation("bounded-receiver", end + " holds " + st.unappendedBytes() + " bytes waiting for its writer");
        }
    }

    private void checkAcknowledgedPresent() {
        maxAckSeen.forEach((stream, acked) -> {
            SimNode receiver = stream.startsWith("edge/") ? cloud : edges.get(stream.substring(6));
            if (receiver.journal.nextSeq(stream) < acked) {
                throw new InvariantViolation("no-acknowledged-entry-lost", stream + " was acknowledged up to " + acked + " but "
                        + receiver + " holds " + receiver.journal.nextSeq(stream));
            }
        });
    }

    private boolean replicasComplete() {
        for (String edge : edges.keySet()) {
            String up = SyncProtocol.edgeStream(edge);
            String down = SyncProtocol.cloudStream(edge);
            if (cloud.journal.nextSeq(up) != edges.get(edge).journal.nextSeq(up)) return false;
            if (edges.get(edge).journal.nextSeq(down) != cloud.journal.nextSeq(down)) return false;
        }
        return true;
    }

    private void checkConvergence() {
        if (!replicasComplete()) {
            StringBuilder sb = new StringBuilder("replicas still differ after healing:");
            for (String edge : edges.keySet()) {
                sb.append(String.format("%n  %s: up %d/%d, down %d/%d, edge end %s, cloud end %s", edge,
                        cloud.journal.nextSeq(SyncProtocol.edgeStream(edge)), edges.get(edge).journal.nextSeq(SyncProtocol.edgeStream(edge)),
                        edges.get(edge).journal.nextSeq(SyncProtocol.cloudStream(edge)), cloud.journal.nextSeq(SyncProtocol.cloudStream(edge)),
                        edgeEnds.get(edge), cloudEnds.get(edge)));
            }
            throw new InvariantViolation("convergence", sb.toString());
        }
        Map<DeviceId, DeviceTwin> cloudTwins = cloud.twins();
        for (SimNode edge : edges.values()) {
            Map<DeviceId, DeviceTwin> edgeTwins = edge.twins();
            for (Map.Entry<DeviceId, DeviceTwin> t : edgeTwins.entrySet()) {
                DeviceTwin other = cloudTwins.get(t.getKey());
                if (!t.getValue().equals(other)) {
                    throw new InvariantViolation("convergence", t.getKey() + " differs: " + edge + " " + t.getValue() + " vs cloud " + other);
                }
                if (t.getValue().exists() && !t.getValue().documentJson().equals(other.documentJson())) {
                    throw new InvariantViolation("convergence", t.getKey() + " documents differ");
                }
            }
            cloudTwins.keySet().stream().filter(id -> id.name().startsWith(edge.id + "-")).forEach(id -> {
                if (!edgeTwins.containsKey(id)) throw new InvariantViolation("convergence", id + " is on the cloud but not on " + edge);
            });
        }
    }

    /** An invariant of the protocol failed; the message names it. */
    static final class InvariantViolation extends AssertionError {
        InvariantViolation(String invariant, String detail) {
            super("invariant " + invariant + " violated: " + detail);
        }
    }
}
