package dev.edgetwin.log;

import dev.edgetwin.log.chronicle.ChronicleJournal;
import dev.edgetwin.log.model.Decider;
import dev.edgetwin.log.model.Decision;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.Envelope;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.EventRecord;
import dev.edgetwin.log.model.Hlc;
import dev.edgetwin.log.model.HybridClock;
import dev.edgetwin.log.model.TwinCommand;
import dev.edgetwin.log.model.TwinError;
import dev.edgetwin.log.model.TwinEvent;
import dev.edgetwin.log.rocksdb.RocksProjection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A node's twin store: the journal ({@code <dataDir>/journal}), the projection
 * ({@code <dataDir>/projection}) and the clock, behind one API for the edge and cloud nodes.
 *
 * <p><b>Writes</b> ({@link #execute}, {@link #executeAll}, {@link #acceptReplica}) are
 * serialised by one lock. A command is decided against the current twin, stamped by the
 * hybrid logical clock, appended to the journal and applied to the projection before the
 * call returns — so an acknowledged command is in the journal (durable per the fsync policy)
 * and visible to the next query. A rejected command writes nothing.
 *
 * <p><b>Reads</b> run concurrently with writes and see whole batches.
 *
 * <p><b>Restart.</b> On open the clock is raised to the highest HLC in the journal, so stamps
 * never go backwards across restarts, and the projection replays the journal from its
 * checkpoints.
 */
public final class TwinStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TwinStore.class);

    /** One command of a batch: the command, an optional client token and an optional If-Match ETag. */
    public record Request(TwinCommand command, String clientToken, String ifMatch) {
        public static Request of(TwinCommand command) {
            return new Request(command, null, null);
        }
    }

    private final String nodeId;
    private final String edgeStream;   // the stream an edge writes, made once
    private final StoreOptions options;
    private final Path dataDir;
    private final Journal journal;
    private volatile RocksProjection projection;
    private final HybridClock clock;
    private final Decider decider;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final TwinTimeline timeline;
    private final List<TwinListener> listeners = new CopyOnWriteArrayList<>();
    private final ReplicaApplier replicas;

    private TwinStore(String nodeId, StoreOptions options, Path dataDir, Journal journal, RocksProjection projection,
                      HybridClock clock) {
        this.nodeId = nodeId;
        this.edgeStream = Role.edgeStream(nodeId);
        this.options = options;
        this.dataDir = dataDir;
        this.journal = journal;
        this.projection = projection;
        this.clock = clock;
        this.decider = new Decider(options.limits());
        this.timeline = new TwinTimeline(journal, () -> this.projection);
        this.replicas = new ReplicaApplier(journal, () -> this.projection, clock, this::notifyListeners);
    }

    public static TwinStore open(Path dataDir, String nodeId, StoreOptions options) {
        return open(dataDir, nodeId, options, HybridClock.system());
    }

    /** Opens with an injected clock (tests, simulations). */
    public static TwinStore open(Path dataDir, String nodeId, StoreOptions options, HybridClock clock) {
        if (!options.limits().validName(nodeId)) {
            throw new IllegalArgumentException("node id '" + nodeId + "' must be a Kubernetes object name");
        }
        long start = System.nanoTime();
        ChronicleJournal journal = ChronicleJournal.open(dataDir.resolve("journal"), options.journal());
        RocksProjection projection;
        try {
            projection = RocksProjection.open(dataDir.resolve("projection"), journal, options.projection());
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
        clock.recover(journal.maxHlc());
        LOG.info("twin store {} ({}) open at {}: {} streams, clock at {}, {} ms", nodeId, options.role(), dataDir,
                journal.streams().size(), Hlc.format(clock.last()), (System.nanoTime() - start) / 1_000_000);
        return new TwinStore(nodeId, options, dataDir, journal, projection, clock);
    }

    /** Executes one command on the stream this node writes for it (see {@link #streamFor}). */
    public Result execute(TwinCommand command, String clientToken, String ifMatch) {
        return executeAll(List.of(new Request(command, clientToken, ifMatch))).get(0);
    }

    /**
     * Executes commands in order as one batch: each is decided against the state left by the
     * ones before it; the accepted ones are appended with one journal append per stream and
     * applied to the projection in one write. Results are in request order.
     */
    public List<Result> executeAll(List<Request> requests) {
        writeLock.lock();
        try {
            Map<DeviceId, DeviceTwin> pending = new HashMap<>();
            Map<String, List<EntryDraft>> drafts = new LinkedHashMap<>();
            Map<String, List<TwinEvent>> events = new HashMap<>();   // each draft's event, as decided
            long wall = clock.wallMillis();   // one reading for the batch: its events' wall time and HLC physical part
            List<Object> outcomes = new ArrayList<>(requests.size());   // TwinError, or the Slots of its entries
            for (Request r : requests) {
                DeviceId id = r.command().id();
                DeviceTwin current = pending.containsKey(id) ? pending.get(id)
                        : projection.raw(id);
                TwinError error = precheck(r, current);
                Decision decision = error != null ? new Decision.Rejected(error) : decider.decide(current, r.command());
                if (decision instanceof Decision.Rejected rej) {
                    outcomes.add(rej.error());
                    continue;
                }
                String stream = streamFor(r.command(), current);
                String leaving = leavingStream(r.command(), current, stream);
                List<TwinEvent> decidedEvents = ((Decision.Accepted) decision).events();
                List<Slot> slots = new ArrayList<>(decidedEvents.size());
                for (TwinEvent event : decidedEvents) {
                    String s = event instanceof TwinEvent.DeviceRemoved ? leaving : stream;
                    // lists sized for the batch: grown one step at a time they cost the batch's size twice over again
                    List<EntryDraft> list = drafts.computeIfAbsent(s, k -> new ArrayList<>(requests.size()));
                    long hlc = clock.now(wall);
                    slots.add(new Slot(s, list.size()));
                    list.add(new EntryDraft(hlc, nodeId, wall, r.clientToken(), EventCodec.encode(event)));
                    events.computeIfAbsent(s, k -> new ArrayList<>(requests.size())).add(event);
                    current = current.apply(new EventRecord(new Envelope(s, -1, hlc, nodeId, 0, r.clientToken()), event));
                }
                pending.put(id, current);
                outcomes.add(slots);
            }
            Map<String, List<JournalEntry>> written = new HashMap<>();
            List<JournalEntry> all = new ArrayList<>(requests.size());
            List<EventRecord> records = new ArrayList<>(requests.size());
            for (Map.Entry<String, List<EntryDraft>> d : drafts.entrySet()) {
                if (d.getValue().isEmpty()) continue;
                List<JournalEntry> entries = journal.append(d.getKey(), d.getValue());
                written.put(d.getKey(), entries);
                all.addAll(entries);
                List<TwinEvent> decided = events.get(d.getKey());
                for (int i = 0; i < entries.size(); i++) records.add(record(entries.get(i), decided.get(i)));
            }
            // the projection and every listener get the events as decided (EventCodec round-trips them
            // exactly: decoding what was just encoded would give equal events), holding the request's device id
            Map<DeviceId, DeviceTwin> after = projection.apply(all, records);
            if (!all.isEmpty()) notifyListeners(new AppliedEvents(all, records, after, projection::raw));
            List<Result> results = new ArrayList<>(requests.size());
            for (int i = 0; i < requests.size(); i++) {
                Object o = outcomes.get(i);
                if (o instanceof TwinError e) {
                    results.add(new Result.Rejected(e));
                    continue;
                }
                List<?> slots = (List<?>) o;
                List<JournalEntry> entries = new ArrayList<>(slots.size());
                for (Object slot : slots) entries.add(written.get(((Slot) slot).stream()).get(((Slot) slot).index()));
                DeviceId id = requests.get(i).command().id();
                DeviceTwin twin = after.containsKey(id) ? after.get(id) : projection.raw(id);
                results.add(new Result.Applied(entries, twin));
            }
            return results;
        } finally {
            writeLock.unlock();
        }
    }

    /** Entry {@code e}'s envelope with {@code event}: the one it was encoded from, or decoded from it. */
    private static EventRecord record(JournalEntry e, TwinEvent event) {
        return new EventRecord(new Envelope(e.stream(), e.seq(), e.hlc(), e.origin(), e.wallTime(), e.clientToken()), event);
    }

    /** Where an entry of a batch goes: its stream and its index among the batch's drafts of that stream. */
    private record Slot(String stream, int index) {
    }

    /**
     * The stream of the {@link TwinEvent.DeviceRemoved} that a registration moving a device to
     * another node starts with ({@link Decider#isMove}): the stream of the node it leaves, so
     * that node drops it. Any other removal goes to the command's own stream.
     */
    private String leavingStream(TwinCommand command, DeviceTwin current, String stream) {
        if (command instanceof TwinCommand.RegisterDevice reg && Decider.isMove(current, reg)) {
            return streamFor(new TwinCommand.RemoveDevice(command.id()), current);
        }
        return stream;
    }

    private TwinError precheck(Request r, DeviceTwin current) {
        if (options.role() == Role.EDGE && r.command() instanceof TwinCommand.RegisterDevice reg
                && options.limits().validName(reg.node()) && !reg.node().equals(nodeId)) {
            return new TwinError(TwinError.NODE_FOREIGN, 403, "edge " + nodeId + " registers only its own devices; "
                    + "a device bound to " + reg.node() + " is registered through the cloud");
        }
        String stream = streamFor(r.command(), current);
        if (!options.role().canWrite(nodeId, stream)) {
            return new TwinError(TwinError.STREAM_FORBIDDEN, 403, "node " + nodeId + " (" + options.role()
                    + ") does not write stream " + stream);
        }
        if (r.ifMatch() != null && !r.ifMatch().equals("*")
                && !(current.exists() && r.ifMatch().equals(current.etag()))) {
            return new TwinError(TwinError.VERSION_MISMATCH, 412, "If-Match " + r.ifMatch() + " does not match the current ETag "
                    + (current.exists() ? current.etag() : "(no device)"));
        }
        return null;
    }

    /**
     * The stream this node writes a command to: an edge its own {@code edge/<node>}; the cloud
     * {@code cloud/<node the device is bound to>} (for a registration, the node it names). A
     * registration that moves a device to another node also writes a removal to the stream of
     * the node it leaves (see {@link Decider#isMove}).
     */
    public String streamFor(TwinCommand command, DeviceTwin current) {
        if (options.role() == Role.EDGE) return edgeStream;
        String node = command instanceof TwinCommand.RegisterDevice r ? r.node() : current.node();
        return Role.cloudStream(node == null || node.isEmpty() ? "unbound" : node);
    }

    /**
     * Appends a peer's entries verbatim (same seq, same bytes) and applies them. Throws
     * {@link JournalException} ({@code journal:gap}, {@code journal:crc}, {@code journal:chain},
     * {@code journal:stream.forbidden}, …) and changes nothing when they do not fit.
     */
    public List<JournalEntry> acceptReplica(String stream, List<byte[]> encodedEntries) {
        checkReplica(stream);
        writeLock.lock();
        try {
            return replicas.accept(stream, encodedEntries);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * {@link #acceptReplica} for entries already decoded by {@link EntryCodec#decode} on another
     * thread (a sync receiver checks each frame on its event loop): the journal checks their
     * bytes again (CRC, stream, seq, chain; {@link StreamChain#verifyDecoded}) without decoding
     * them again, and the events are decoded once for the projection and the listeners. A
     * caller may pass several consecutive frames as one list: one projection write for all.
     */
    public List<JournalEntry> acceptReplicaEntries(String stream, List<JournalEntry> decodedEntries) {
        checkReplica(stream);
        writeLock.lock();
        try {
            return replicas.acceptDecoded(stream, decodedEntries);
        } finally {
            writeLock.unlock();
        }
    }

    private void checkReplica(String stream) {
        if (options.role().canWrite(nodeId, stream)) {
            throw new JournalException("journal:stream.forbidden", stream + " is written by this node; it takes no replica of it");
        }
    }

    /**
     * Installs a peer's snapshot of a replica stream (the peer trimmed the entries this node
     * needs; PROTOCOL.md §7): the replica then continues at {@code upTo}, the projection holds
     * the snapshot's events, and the history of the replica entries it supersedes is dropped.
     * Throws {@link JournalException} ({@code journal:snapshot.stale}, {@code journal:crc}, …)
     * and changes nothing when it does not fit. Listeners see the snapshot's events.
     */
    public List<JournalEntry> installSnapshot(String stream, long upTo, long hash, List<byte[]> encodedEntries) {
        if (options.role().canWrite(nodeId, stream)) {
            throw new JournalException("journal:stream.forbidden", stream + " is written by this node; it takes no snapshot of it");
        }
        writeLock.lock();
        try {
            return replicas.installSnapshot(stream, upTo, hash, encodedEntries);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Retention (FORMAT.md §6): trims the oldest journal cycle files that ended before
     * {@code cutoffMillis} (or while the journal is over {@code targetBytes}, -1 for none), never
     * past a stream's limit in {@code keepFrom} (a stream not listed is kept whole). The
     * trimmed entries' history leaves the projection with them; the twins do not change.
     */
    public TrimResult trim(Map<String, Long> keepFrom, long cutoffMillis, long targetBytes) {
        if (!(journal instanceof ChronicleJournal chronicle)) throw new IllegalStateException("retention needs the Chronicle journal");
        writeLock.lock();
        try {
            return chronicle.trim(keepFrom, cutoffMillis, targetBytes, projection::forgetHistory);
        } finally {
            writeLock.unlock();
        }
    }

    /** The journal's directory ({@code <dataDir>/journal}). */
    public Path journalDir() {
        return dataDir.resolve("journal");
    }

    /** Bytes of the journal's files on disk (retention's budget counts them). */
    public long journalDiskBytes() {
        return journal instanceof ChronicleJournal chronicle ? chronicle.diskBytes() : 0;
    }

    /** Hands an applied batch to every listener ({@link TwinListener#onApplied}); a failing listener is logged, the others still hear. */
    private void notifyListeners(AppliedEvents events) {
        for (TwinListener l : listeners) {
            try {
                l.onApplied(events);
            } catch (RuntimeException ex) {
                LOG.warn("twin listener {} failed on a batch of {} events: {}", l, events.size(), ex.toString());
            }
        }
    }

    /** Decodes an entry's event with its envelope (the stream, seq, HLC, origin and client token of the entry). */
    public static EventRecord toRecord(JournalEntry e) {
        return record(e, EventCodec.decode(e.payload()));
    }

    public void addListener(TwinListener listener) {
        listeners.add(listener);
    }

    public void removeListener(TwinListener listener) {
        listeners.remove(listener);
    }

    public Optional<DeviceTwin> get(DeviceId id) {
        return projection.get(id);
    }

    public Page<DeviceTwin> list(ListFilter filter, String cursor, int limit) {
        return projection.list(filter, cursor, limit);
    }

    /** Events of {@code id} with wall-clock time (from their HLC) in [from, to], oldest first, at most {@code limit}. */
    public List<HistoryEntry> history(DeviceId id, Instant from, Instant to, int limit) {
        return timeline.history(id, TwinTimeline.lowHlc(from), TwinTimeline.highHlc(to), limit);
    }

    /**
     * Events of {@code id} with HLC in [fromHlc, toHlc], ordered by HLC, then stream, then seq,
     * at most {@code limit}: the exact form, to page through a history without losing events
     * that share a millisecond. Entries trimmed by retention are not in it.
     */
    public List<HistoryEntry> history(DeviceId id, long fromHlc, long toHlc, int limit) {
        return timeline.history(id, fromHlc, toHlc, limit);
    }

    /**
     * The twin of {@code id} as it was at {@code time}: its events with HLC time at or before it.
     * Empty if it did not exist. On a trimmed journal the device's events start from the
     * snapshots, which are exact only from the newest trimmed event of the device on: an earlier
     * time is {@code twin:position.trimmed} ({@link IllegalArgumentException}).
     */
    public Optional<DeviceTwin> documentAt(DeviceId id, Instant time) {
        return timeline.replay(id, TwinTimeline.highHlc(time));
    }

    /**
     * The twin of {@code id} as of journal position {@code stream:seq}: the events of that
     * stream up to and including seq, and the events of other streams whose HLC is not after
     * that entry's HLC (what was causally known when it was written). Empty if it did not exist;
     * {@code twin:position.notfound} if the position is not in the journal (never written, or
     * trimmed by retention), {@code twin:position.trimmed} as for {@link #documentAt(DeviceId, Instant)}.
     */
    public Optional<DeviceTwin> documentAt(DeviceId id, String stream, long seq) {
        return timeline.documentAt(id, stream, seq);
    }

    /**
     * Drops the projection and rebuilds it from the journal (twinctl rebuild, tests). Writes wait
     * meanwhile; call it only while no query runs, as queries use the projection without the lock.
     */
    public void rebuildProjection() {
        writeLock.lock();
        try {
            projection.close();
            projection = RocksProjection.rebuild(dataDir.resolve("projection"), journal, options.projection());
        } finally {
            writeLock.unlock();
        }
    }

    public String nodeId() {
        return nodeId;
    }

    public Role role() {
        return options.role();
    }

    public Journal journal() {
        return journal;
    }

    public RocksProjection projection() {
        return projection;
    }

    public HybridClock clock() {
        return clock;
    }

    /** Syncs and closes the journal and closes the projection; both are closed even when the sync fails (which is rethrown). */
    @Override
    public void close() {
        writeLock.lock();
        try {
            journal.sync();
        } finally {
            try {
                projection.close();
            } finally {
                journal.close();
                writeLock.unlock();
            }
        }
    }
}
