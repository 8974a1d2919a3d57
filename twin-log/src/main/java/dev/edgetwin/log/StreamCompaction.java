package dev.edgetwin.log;

import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.Stamp;
import dev.edgetwin.log.model.TwinEvent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Log compaction of one stream (FORMAT.md §6): of the entries added, keeps only those that
 * still decide a twin — per device the newest removal, and per register (the registration,
 * each property's desired value, each reported value, the connection state) the entry with
 * the highest stamp, unless the device's newest removal is newer. Every twin register is
 * last-writer-wins and a removal hides exactly the older registers, so applying the kept
 * entries, alone or together with any other stream's entries, in any order, gives the very
 * twins (including their hidden state and highest HLC) that applying every added entry gives.
 * Compaction is therefore incremental: compact(old snapshot + newer entries) is the snapshot
 * of the longer prefix. Pure; not thread-safe.
 */
public final class StreamCompaction {
    private enum Kind { REGISTRATION, DESIRED, REPORTED, STATE }

    private record Register(DeviceId device, Kind kind, String property) {
    }

    private record Kept(Stamp stamp, JournalEntry entry) {
    }

    private final String stream;
    private final Map<Register, Kept> registers = new HashMap<>();
    private final Map<DeviceId, Kept> removals = new HashMap<>();
    private long added;

    public StreamCompaction(String stream) {
        this.stream = stream;
    }

    /** Adds one entry of the stream (any order; an entry added twice counts once). */
    public void add(JournalEntry e) {
        if (!e.stream().equals(stream)) throw new IllegalArgumentException("entry of " + e.stream() + " in a compaction of " + stream);
        Stamp s = new Stamp(e.hlc(), e.origin());
        TwinEvent event = EventCodec.decode(e.payload());
        added++;
        if (event instanceof TwinEvent.DeviceRemoved) {
            keepNewest(removals, event.device(), s, e);
            return;
        }
        Register r;
        if (event instanceof TwinEvent.DeviceRegistered) r = new Register(event.device(), Kind.REGISTRATION, "");
        else if (event instanceof TwinEvent.DesiredSet d) r = new Register(event.device(), Kind.DESIRED, d.property());
        else if (event instanceof TwinEvent.DesiredCleared d) r = new Register(event.device(), Kind.DESIRED, d.property());
        else if (event instanceof TwinEvent.ReportedSet d) r = new Register(event.device(), Kind.REPORTED, d.property());
        else if (event instanceof TwinEvent.ReportedCleared d) r = new Register(event.device(), Kind.REPORTED, d.property());
        else r = new Register(event.device(), Kind.STATE, "");
        keepNewest(registers, r, s, e);
    }

    private static <K> void keepNewest(Map<K, Kept> map, K key, Stamp s, JournalEntry e) {
        Kept k = map.get(key);
        if (k == null || s.compareTo(k.stamp()) > 0) map.put(key, new Kept(s, e));
    }

    /** Entries added so far. */
    public long added() {
        return added;
    }

    /** The entries that still decide a twin, in seq order. */
    public List<JournalEntry> result() {
        List<JournalEntry> out = new ArrayList<>(removals.size() + registers.size());
        for (Kept k : removals.values()) out.add(k.entry());
        registers.forEach((r, k) -> {
            Kept removal = removals.get(r.device());
            // a removal hides every register it is newer than: those entries decide nothing any more
            if (removal == null || k.stamp().compareTo(removal.stamp()) > 0) out.add(k.entry());
        });
        out.sort(Comparator.comparingLong(JournalEntry::seq));
        return out;
    }
}
