package dev.edgetwin.log.rocksdb;

import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.DeviceTwinCodec;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Edits a stopped node's projection behind the journal's back, the way a bug or a hand with a
 * RocksDB tool would: for tests that {@code twinctl verify} notices. Closes the store after each
 * edit (flushing it), so the projection on disk holds the edit.
 */
public final class ProjectionTamper {
    private ProjectionTamper() {
    }

    /** Replaces the stored twin of {@code twin.id()}. */
    public static void putTwin(Path dir, DeviceTwin twin) {
        edit(dir, (s, b) -> b.put(s.devices, Keys.device(twin.id()), DeviceTwinCodec.encode(twin)));
    }

    /** The stored twin of {@code id} (empty twin if none). */
    public static DeviceTwin twin(Path dir, DeviceId id) {
        try (RocksStore s = RocksStore.open(dir)) {
            byte[] b = s.get(s.devices, Keys.device(id));
            return b == null ? DeviceTwin.empty(id) : DeviceTwinCodec.decode(b);
        }
    }

    /** Deletes the last history key of {@code id} (its newest event): the history index loses an event. */
    public static void dropNewestHistoryKey(Path dir, DeviceId id) {
        edit(dir, (s, b) -> {
            byte[] prefix = Keys.historyPrefix(Keys.device(id));
            byte[] last = null;
            try (RocksIterator it = s.iterator(s.history)) {
                for (it.seek(prefix); it.isValid() && Keys.startsWith(it.key(), prefix); it.next()) last = it.key();
            }
            if (last == null) throw new IllegalStateException("no history of " + id);
            b.delete(s.history, last);
        });
    }

    private interface Edit {
        void apply(RocksStore store, WriteBatch batch) throws RocksDBException;
    }

    private static void edit(Path dir, Edit edit) {
        try (RocksStore s = RocksStore.open(dir); WriteBatch b = new WriteBatch()) {
            edit.apply(s, b);
            s.write(b);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }
}
