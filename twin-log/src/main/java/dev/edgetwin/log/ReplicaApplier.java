package dev.edgetwin.log;

import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.EventRecord;
import dev.edgetwin.log.model.HybridClock;
import dev.edgetwin.log.rocksdb.RocksProjection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The replica side of a {@link TwinStore}: appends a peer's entries (or installs its snapshot)
 * in the journal, raises the clock, applies them to the projection and tells the listeners.
 * Each event is decoded once, for the projection and every listener. Called by the store with
 * its write lock held, after the store checked that it does not write the stream itself.
 */
final class ReplicaApplier {
    private final Journal journal;
    private final Supplier<RocksProjection> projection;
    private final HybridClock clock;
    private final Consumer<AppliedEvents> listeners;

    ReplicaApplier(Journal journal, Supplier<RocksProjection> projection, HybridClock clock, Consumer<AppliedEvents> listeners) {
        this.journal = journal;
        this.projection = projection;
        this.clock = clock;
        this.listeners = listeners;
    }

    /** Encoded entries: decoded and checked by the journal ({@link Journal#appendReplica}). */
    List<JournalEntry> accept(String stream, List<byte[]> encodedEntries) {
        return apply(journal.appendReplica(stream, encodedEntries));
    }

    /** Entries decoded and checked on another thread; the journal checks their bytes again without decoding. */
    List<JournalEntry> acceptDecoded(String stream, List<JournalEntry> entries) {
        return apply(journal.appendReplicaEntries(stream, entries));
    }

    private List<JournalEntry> apply(List<JournalEntry> entries) {
        if (entries.isEmpty()) return entries;
        observe(entries);
        RocksProjection p = projection.get();
        List<EventRecord> records = AppliedEvents.decodeAll(entries);
        Map<DeviceId, DeviceTwin> after = p.apply(entries, records);
        listeners.accept(new AppliedEvents(entries, records, after, p::raw));
        return entries;
    }

    /** See {@link TwinStore#installSnapshot}. */
    List<JournalEntry> installSnapshot(String stream, long upTo, long hash, List<byte[]> encodedEntries) {
        JournalSnapshot snapshot = JournalSnapshot.of(stream, upTo, hash, encodedEntries);
        if (upTo <= journal.nextSeq(stream)) {
            throw new JournalException("journal:snapshot.stale", stream + " already holds up to " + journal.nextSeq(stream));
        }
        RocksProjection p = projection.get();
        try (JournalCursor c = journal.read(stream, journal.firstSeq(stream))) {
            List<JournalEntry> superseded = new ArrayList<>();
            for (JournalEntry e = c.next(); e != null; e = c.next()) {
                superseded.add(e);
                if (superseded.size() == 65_536) {
                    p.forgetHistory(superseded);
                    superseded.clear();
                }
            }
            p.forgetHistory(superseded);
        }
        journal.installSnapshot(snapshot);
        observe(snapshot.entries());
        listeners.accept(new AppliedEvents(snapshot.entries(), null, p.applySnapshot(snapshot), p::raw));
        return snapshot.entries();
    }

    private void observe(List<JournalEntry> entries) {
        long maxHlc = 0;
        for (JournalEntry e : entries) maxHlc = Math.max(maxHlc, e.hlc());
        if (maxHlc > 0) clock.observe(maxHlc);
    }
}
