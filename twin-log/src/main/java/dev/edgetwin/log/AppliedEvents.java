package dev.edgetwin.log;

import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.EventRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One batch of events a {@link TwinStore} applied, as its {@link TwinListener}s see it: the
 * journal entries in append order, each one's event decoded at most once for every listener
 * (the store hands over the events the projection already decoded, or decodes on first use),
 * and each device's twin after the batch.
 *
 * <p>Valid only during the notification, on the writer thread: a listener keeps the entries,
 * records and twins it wants, never the batch.
 */
public final class AppliedEvents {
    private static final Logger LOG = LoggerFactory.getLogger(AppliedEvents.class);

    private final List<JournalEntry> entries;
    private final EventRecord[] records;
    private final Map<DeviceId, DeviceTwin> after;
    private final Function<DeviceId, DeviceTwin> current;

    /**
     * @param decoded the entries' events in the same order, or null to decode them when asked
     * @param after   the twins the batch changed
     * @param current the twin of a device the batch did not change (the projection's)
     */
    AppliedEvents(List<JournalEntry> entries, List<EventRecord> decoded, Map<DeviceId, DeviceTwin> after,
                  Function<DeviceId, DeviceTwin> current) {
        this.entries = entries;
        this.records = new EventRecord[entries.size()];
        if (decoded != null) {
            if (decoded.size() != entries.size()) throw new IllegalArgumentException("one record per entry");
            decoded.toArray(records);
        }
        this.after = after;
        this.current = current;
    }

    /** Decodes every entry's event with its envelope, in order. */
    static List<EventRecord> decodeAll(List<JournalEntry> entries) {
        EventRecord[] out = new EventRecord[entries.size()];
        for (int i = 0; i < out.length; i++) out[i] = TwinStore.toRecord(entries.get(i));
        return Arrays.asList(out);
    }

    public int size() {
        return entries.size();
    }

    /** The entries, in journal append order (unmodifiable view not guaranteed: do not change it). */
    public List<JournalEntry> entries() {
        return entries;
    }

    public JournalEntry entry(int i) {
        return entries.get(i);
    }

    /** Entry i's event with its envelope; decoded on first use, then shared by every listener. */
    public EventRecord record(int i) {
        EventRecord r = records[i];
        if (r == null) {
            r = TwinStore.toRecord(entries.get(i));
            records[i] = r;
        }
        return r;
    }

    /** The twin of entry i's device after the batch. */
    public DeviceTwin after(int i) {
        DeviceId id = record(i).event().device();
        DeviceTwin t = after.get(id);
        return t != null ? t : current.apply(id);
    }

    /**
     * Hands every event to {@code listener}'s {@link TwinListener#onChange}, in order; an event
     * the listener fails on is logged and the next one is handed over all the same.
     */
    public void each(TwinListener listener) {
        for (int i = 0; i < entries.size(); i++) {
            JournalEntry e = entries.get(i);
            try {
                listener.onChange(e, record(i), after(i));
            } catch (RuntimeException ex) {
                LOG.warn("twin listener {} failed on {}:{}: {}", listener, e.stream(), e.seq(), ex.toString());
            }
        }
    }
}
