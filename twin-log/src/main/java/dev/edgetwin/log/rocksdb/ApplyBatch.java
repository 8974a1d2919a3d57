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
import org.rocksdb.WriteBatch;

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
 * The work of one {@link RocksProjection} write: events merged into the twins they touch, in
 * memory, then everything — twins, node/model indexes, one history key per event, the streams'
 * new checkpoints — put into one WriteBatch (built in Java, {@link BatchBytes}). Each touched twin is loaded once and encoded once
 * per batch however many events hit it. Single use, writer thread only.
 */
final class ApplyBatch {
    private static final byte[] EMPTY = new byte[0];
    private static final Comparator<Touched> BY_KEY = (a, b) -> Arrays.compareUnsigned(a.key, b.key);

    /** A twin touched by the batch: as it was before, as it is now, its key and its new history keys. */
    private static final class Touched {
        final DeviceTwin before;
        final byte[] key;
        final List<byte[]> history = new ArrayList<>();
        DeviceTwin now;
        private byte[] historyPrefix;

        Touched(DeviceTwin before, byte[] key) {
            this.before = before;
            this.now = before;
            this.key = key;
        }

        byte[] historyPrefix() {
            if (historyPrefix == null) historyPrefix = Keys.historyPrefix(key);
            return historyPrefix;
        }
    }

    /** A stream's next seq as the batch advances it from its checkpoint, and its UTF-8 name for keys. */
    private static final class Advance {
        final byte[] name;
        final long from;
        long next;

        Advance(String stream, long from) {
            this.name = stream.getBytes(StandardCharsets.UTF_8);
            this.from = from;
            this.next = from;
        }

        boolean moved() {
            return next != from;
        }
    }

    private final RocksStore store;
    private final Function<DeviceId, DeviceTwin> load;
    private final ToLongFunction<String> checkpoint;
    private final Map<DeviceId, Touched> touched = new LinkedHashMap<>();
    private final Map<String, Advance> advanced = new HashMap<>();
    private final BatchBytes batch = new BatchBytes(4096);
    private WriteBatch written;
    private String lastStream;
    private Advance last;

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
            t = new Touched(load.apply(id), Keys.device(id));
            touched.put(id, t);
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

    /** Writes the touched twins, their index changes and the advanced checkpoints into the batch. */
    WriteBatch finish() throws RocksDBException {
        Touched[] twins = touched.values().toArray(new Touched[0]);
        Arrays.sort(twins, BY_KEY);
        for (Touched t : twins) {
            writeTwin(t.before, t.now, t.key);
            List<byte[]> keys = t.history;
            if (!ascending(keys)) keys.sort(Arrays::compareUnsigned);
            for (byte[] k : keys) batch.put(store.history, k, EMPTY);
        }
        for (Advance a : advanced.values()) {
            if (a.moved()) batch.put(store.checkpoints, a.name, Keys.longBytes(a.next));
        }
        written = batch.toWriteBatch();
        return written;
    }

    /** Puts {@code stream}'s checkpoint {@code next} into the batch (a snapshot's {@code upTo}). */
    void checkpoint(String stream, long next) throws RocksDBException {
        batch.put(store.checkpoints, stream.getBytes(StandardCharsets.UTF_8), Keys.longBytes(next));
    }

    private static boolean ascending(List<byte[]> keys) {
        for (int i = 1; i < keys.size(); i++) {
            if (Arrays.compareUnsigned(keys.get(i - 1), keys.get(i)) > 0) return false;
        }
        return true;
    }

    private void writeTwin(DeviceTwin old, DeviceTwin now, byte[] key) throws RocksDBException {
        batch.put(store.devices, key, DeviceTwinCodec.encode(now));
        boolean nodeChanged = old.exists() != now.exists() || !old.node().equals(now.node());
        boolean modelChanged = old.exists() != now.exists() || !old.model().equals(now.model());
        if (nodeChanged && old.exists()) batch.delete(store.byNode, Keys.indexed(old.node(), key));
        if (nodeChanged && now.exists()) batch.put(store.byNode, Keys.indexed(now.node(), key), EMPTY);
        if (modelChanged && old.exists()) batch.delete(store.byModel, Keys.indexed(old.model(), key));
        if (modelChanged && now.exists()) batch.put(store.byModel, Keys.indexed(now.model(), key), EMPTY);
    }

    /** The twins as the batch leaves them, in the order they were first touched. */
    Map<DeviceId, DeviceTwin> twins() {
        Map<DeviceId, DeviceTwin> out = new LinkedHashMap<>(touched.size() * 2);
        touched.forEach((id, t) -> out.put(id, t.now));
        return out;
    }

    /** The streams' checkpoints after the batch. */
    Map<String, Long> checkpoints() {
        Map<String, Long> out = new HashMap<>();
        advanced.forEach((s, a) -> {
            if (a.moved()) out.put(s, a.next);
        });
        return out;
    }

    void close() {
        if (written != null) written.close();
    }
}
