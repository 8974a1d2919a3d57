package dev.edgetwin.log.rocksdb;

import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.ProjectionException;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.DeviceTwinCodec;
import dev.edgetwin.log.model.Envelope;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.EventRecord;
import org.rocksdb.RocksDBException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The projection's uncommitted work: events merged into the twins they touch, in memory, over
 * one or more rounds (one {@link RocksProjection#apply} call each). Each round's history keys
 * are written at its end ({@link #roundHistory}); the twins, their node/model index changes
 * and the streams' new checkpoints wait for {@link #commit}, which puts them all into one
 * WriteBatch (built in Java, {@link BatchBytes}): however many events and rounds hit a twin
 * before the commit, it is encoded and written once. Writer thread only.
 */
final class ApplyBatch {
    private static final byte[] EMPTY = new byte[0];
    private static final Comparator<Touched> BY_KEY = (a, b) -> Arrays.compareUnsigned(a.key, b.key);

    /** A twin touched since the last commit: as RocksDB holds it, as it is now, its key and this round's history keys. */
    private static final class Touched {
        final DeviceId id;
        final DeviceTwin written;
        final byte[] key;
        final int firstRound;
        final List<byte[]> history = new ArrayList<>();
        DeviceTwin now;
        DeviceTwin roundStart;
        int round;
        private byte[] historyPrefix;

        Touched(DeviceId id, DeviceTwin written, byte[] key, int firstRound) {
            this.id = id;
            this.written = written;
            this.now = written;
            this.key = key;
            this.firstRound = firstRound;
        }

        byte[] historyPrefix() {
            if (historyPrefix == null) historyPrefix = Keys.historyPrefix(key);
            return historyPrefix;
        }

        /** Whether writing it changes the node or model indexes (or whether it exists at all). */
        boolean reshaped() {
            return nodeChanged(written, now) || modelChanged(written, now);
        }
    }

    /** A stream's next seq as the batch advances it from its committed checkpoint, and its UTF-8 name for keys. */
    private static final class Advance {
        final byte[] name;
        final long from;
        long next;
        long roundFrom;

        Advance(String stream, long from) {
            this.name = stream.getBytes(StandardCharsets.UTF_8);
            this.from = from;
            this.next = from;
            this.roundFrom = from;
        }

        boolean moved() {
            return next != from;
        }
    }

    private final RocksStore store;
    private final Function<DeviceId, DeviceTwin> load;
    private final ToLongFunction<String> checkpoint;
    private final Map<DeviceId, Touched> touched = new LinkedHashMap<>();
    private final List<Touched> roundTouched = new ArrayList<>();
    private final Map<String, Advance> advanced = new HashMap<>();
    private String lastStream;
    private Advance last;
    private int round;
    private int events;
    private int roundEvents;

    ApplyBatch(RocksStore store, Function<DeviceId, DeviceTwin> load, ToLongFunction<String> checkpoint) {
        this.store = store;
        this.load = load;
        this.checkpoint = checkpoint;
    }

    /**
     * Merges journal entry {@code e} with its history key; skips one at or below the stream's
     * checkpoint (already applied) and throws {@code projection:gap} for one beyond it.
     */
    void add(JournalEntry e) throws RocksDBException {
        add(e, null);
    }

    /** {@link #add(JournalEntry)} with {@code e}'s event already decoded ({@code record}), or null to decode it here. */
    void add(JournalEntry e, EventRecord record) throws RocksDBException {
        Advance a = advance(e.stream());
        if (e.seq() < a.next) return;
        if (e.seq() > a.next) {
            throw new ProjectionException("projection:gap", e.stream() + " expects seq " + a.next + ", got " + e.seq(), null);
        }
        Touched t = merge(e, record);
        t.history.add(Keys.history(t.historyPrefix(), e.hlc(), a.name, e.seq()));
        a.next = e.seq() + 1;
        roundEvents++;
    }

    /** Merges a snapshot's entry: no checkpoint check and no history key (FORMAT.md §6). */
    void addSnapshotEntry(JournalEntry e) {
        merge(e, null);
    }

    private Touched merge(JournalEntry e, EventRecord decoded) {
        EventRecord record = decoded != null ? decoded : new EventRecord(
                new Envelope(e.stream(), e.seq(), e.hlc(), e.origin(), e.wallTime(), e.clientToken()), EventCodec.decode(e.payload()));
        DeviceId id = record.event().device();
        Touched t = touched.get(id);
        if (t == null) {
            t = new Touched(id, load.apply(id), Keys.device(id), round);
            touched.put(id, t);
        }
        if (t.round != round) {
            t.round = round;
            t.roundStart = t.now;
            roundTouched.add(t);
        }
        t.now = t.now.apply(record);
        return t;
    }

    private Advance advance(String stream) {
        if (stream.equals(lastStream)) return last;
        Advance a = advanced.get(stream);
        if (a == null) {
            a = new Advance(stream, checkpoint.applyAsLong(stream));
            advanced.put(stream, a);
        }
        lastStream = stream;
        last = a;
        return a;
    }

    /** Starts a round: the entries of one apply call. */
    void beginRound() {
        round++;
        roundTouched.clear();
        events += roundEvents;
        roundEvents = 0;
        for (Advance a : advanced.values()) a.roundFrom = a.next;
    }

    /**
     * Undoes this round (an entry it could not apply, or a write that failed): its twins go
     * back to how the round found them, those it first touched are forgotten, its history keys
     * dropped and the streams' seqs moved back. Earlier rounds stay as they were.
     */
    void rollbackRound() {
        for (Touched t : roundTouched) {
            t.now = t.roundStart;
            t.history.clear();
            if (t.firstRound == round) touched.remove(t.id);
        }
        roundTouched.clear();
        roundEvents = 0;
        for (Advance a : advanced.values()) a.next = a.roundFrom;
    }

    /** Called once {@link #roundHistory}'s batch is written: its keys are not written again by the commit. */
    void roundHistoryWritten() {
        for (Touched t : roundTouched) t.history.clear();
    }

    /** Whether a twin touched this round changed its node, model or existence against what RocksDB holds. */
    boolean roundReshaped() {
        for (Touched t : roundTouched) {
            if (t.reshaped()) return true;
        }
        return false;
    }

    /** Puts the history keys of this round's events into {@code batch}, in key order, for writing now (then {@link #roundHistoryWritten}). */
    BatchBytes roundHistory(BatchBytes batch) {
        Touched[] twins = roundTouched.toArray(new Touched[0]);
        Arrays.sort(twins, BY_KEY);
        for (Touched t : twins) putHistory(batch, t);
        return batch;
    }

    /**
     * Everything not written yet: the touched twins and their index changes (against what
     * RocksDB holds), history keys of the round if {@link #roundHistory} was not taken, and the
     * advanced checkpoints, put into {@code batch}. Once it is written, this batch is spent.
     */
    BatchBytes commit(BatchBytes batch) {
        Touched[] twins = touched.values().toArray(new Touched[0]);
        Arrays.sort(twins, BY_KEY);
        for (Touched t : twins) {
            writeTwin(batch, t.written, t.now, t.key);
            putHistory(batch, t);
        }
        for (Advance a : advanced.values()) {
            if (a.moved()) batch.put(store.checkpoints, a.name, Keys.longBytes(a.next));
        }
        return batch;
    }

    private void putHistory(BatchBytes batch, Touched t) {
        List<byte[]> keys = t.history;
        if (!ascending(keys)) keys.sort(Arrays::compareUnsigned);
        for (byte[] k : keys) batch.put(store.history, k, EMPTY);
    }

    /** Twins touched since the last commit. */
    int twins() {
        return touched.size();
    }

    /** Events merged since the last commit, this round's included. */
    int events() {
        return events + roundEvents;
    }

    /** Twins this round touched. */
    int roundSize() {
        return roundTouched.size();
    }

    /** Puts {@code stream}'s checkpoint {@code next} into {@code batch} (a snapshot's {@code upTo}). */
    void checkpoint(BatchBytes batch, String stream, long next) {
        batch.put(store.checkpoints, stream.getBytes(StandardCharsets.UTF_8), Keys.longBytes(next));
    }

    private static boolean ascending(List<byte[]> keys) {
        for (int i = 1; i < keys.size(); i++) {
            if (Arrays.compareUnsigned(keys.get(i - 1), keys.get(i)) > 0) return false;
        }
        return true;
    }

    private void writeTwin(BatchBytes batch, DeviceTwin old, DeviceTwin now, byte[] key) {
        batch.put(store.devices, key, DeviceTwinCodec.encode(now));
        boolean nodeChanged = nodeChanged(old, now);
        boolean modelChanged = modelChanged(old, now);
        if (nodeChanged && old.exists()) batch.delete(store.byNode, Keys.indexed(old.node(), key));
        if (nodeChanged && now.exists()) batch.put(store.byNode, Keys.indexed(now.node(), key), EMPTY);
        if (modelChanged && old.exists()) batch.delete(store.byModel, Keys.indexed(old.model(), key));
        if (modelChanged && now.exists()) batch.put(store.byModel, Keys.indexed(now.model(), key), EMPTY);
    }

    private static boolean nodeChanged(DeviceTwin old, DeviceTwin now) {
        return old.exists() != now.exists() || !old.node().equals(now.node());
    }

    private static boolean modelChanged(DeviceTwin old, DeviceTwin now) {
        return old.exists() != now.exists() || !old.model().equals(now.model());
    }

    /** The twins as this round leaves them, in the order the round first touched them. */
    Map<DeviceId, DeviceTwin> roundTwins() {
        Map<DeviceId, DeviceTwin> out = new LinkedHashMap<>(roundTouched.size() * 2);
        for (Touched t : roundTouched) out.put(t.id, t.now);
        return out;
    }

    /** The streams' checkpoints this round moved, as it leaves them. */
    Map<String, Long> roundCheckpoints() {
        Map<String, Long> out = new HashMap<>();
        advanced.forEach((s, a) -> {
            if (a.next != a.roundFrom) out.put(s, a.next);
        });
        return out;
    }
}
