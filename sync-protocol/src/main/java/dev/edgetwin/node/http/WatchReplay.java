package dev.edgetwin.node.http;

import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.EventRecord;
import io.vertx.core.buffer.Buffer;

import java.util.HashMap;
import java.util.Map;

/**
 * The journal half of a resumed watch: reads every stream in append order after the client's
 * {@code Last-Event-ID} ({@link dev.edgetwin.log.Journal#readAllAfter}), in bounded steps run
 * on a worker thread. Steps run one after the other (each starts when the previous one has
 * completed), so the cursor and the per-stream {@code seen} map are used by one thread at a
 * time, with the future between steps ordering the accesses.
 */
final class WatchReplay implements AutoCloseable {
    /**
     * What one step read: the SSE text of its events, in one buffer sent with one write (empty when
     * none matched), the last entry sent and read, and whether the journal's end was reached.
     */
    record Step(Buffer events, JournalPosition lastSent, JournalPosition lastRead, boolean atEnd) {
    }

    private final JournalCursor cursor;
    private final TwinStore store;
    private final WatchFilter filter;
    private final Map<String, Long> seen;

    WatchReplay(JournalCursor cursor, TwinStore store, WatchFilter filter, Map<String, Long> seen) {
        this.cursor = cursor;
        this.store = store;
        this.filter = filter;
        this.seen = seen;
    }

    /** Reads up to {@code max} entries; records each one's seq in {@code seen}, matching or not. */
    Step read(int max) {
        SseText.Events events = new SseText.Events();
        JournalPosition lastSent = null;
        JournalPosition lastRead = null;
        Map<DeviceId, DeviceTwin> twins = new HashMap<>(); // the model filter's lookups, once per device per step
        for (int i = 0; i < max; i++) {
            JournalEntry e = cursor.next();
            if (e == null) return new Step(events.finish(), lastSent, lastRead, true);
            seen.put(e.stream(), e.seq());
            lastRead = JournalPosition.of(e);
            EventRecord record = TwinStore.toRecord(e);
            DeviceId id = record.event().device();
            if (filter.matches(e.stream(), record, () -> twins.computeIfAbsent(id, store.projection()::raw))) {
                events.change(lastRead, record);
                lastSent = lastRead;
            }
        }
        return new Step(events.finish(), lastSent, lastRead, false);
    }

    @Override
    public void close() {
        cursor.close();
    }
}
