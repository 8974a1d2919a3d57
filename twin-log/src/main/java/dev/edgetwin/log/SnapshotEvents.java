package dev.edgetwin.log;

import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.EventRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The events a journal's snapshots keep (FORMAT.md §6: per register the newest entry of the
 * trimmed prefix, per device the newest removal), by device: where a replay of one twin on a
 * trimmed journal starts ({@link TwinStore#documentAt}), since the projection's history no longer
 * points at the trimmed entries. Each stream's snapshot is read and decoded once per base.
 * Thread-safe.
 */
final class SnapshotEvents {
    private record Cached(long upTo, Map<DeviceId, List<EventRecord>> byDevice) {
    }

    private final Journal journal;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    SnapshotEvents(Journal journal) {
        this.journal = journal;
    }

    /** The snapshot events of {@code id}, stream by stream (empty when no stream of the journal was trimmed). */
    List<EventRecord> of(DeviceId id) {
        List<EventRecord> out = new ArrayList<>();
        for (String stream : journal.streams()) {
            long first = journal.firstSeq(stream);
            if (first == 0) continue;
            Cached c = cache.get(stream);
            if (c == null || c.upTo() != first) c = load(stream, first);
            out.addAll(c.byDevice().getOrDefault(id, List.of()));
        }
        return out;
    }

    private Cached load(String stream, long first) {
        JournalSnapshot snapshot = journal.snapshot(stream).orElseThrow(() -> new ProjectionException("projection:gap",
                stream + " starts at " + first + " without a snapshot", null));
        Map<DeviceId, List<EventRecord>> byDevice = new HashMap<>();
        for (JournalEntry e : snapshot.entries()) {
            EventRecord r = TwinStore.toRecord(e);
            byDevice.computeIfAbsent(r.event().device(), d -> new ArrayList<>()).add(r);
        }
        Cached c = new Cached(snapshot.upTo(), byDevice);
        // a trim between reading the base and the file gives a newer snapshot: used, cached under its own base
        cache.put(stream, c);
        return c;
    }
}
