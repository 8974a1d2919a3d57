package dev.edgetwin.log;

import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.EventRecord;
import dev.edgetwin.log.model.Hlc;
import dev.edgetwin.log.rocksdb.RocksProjection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The past of a twin for {@link TwinStore}'s queries (history, {@code documentAt}): the
 * projection's history index points at journal entries, which are read back; on a trimmed
 * journal a replay starts from the snapshots ({@link SnapshotEvents}). Runs beside writes, on
 * whatever thread queries; reads whole batches.
 */
final class TwinTimeline {
    private final Journal journal;
    private final Supplier<RocksProjection> projection;
    private final SnapshotEvents snapshotEvents;

    TwinTimeline(Journal journal, Supplier<RocksProjection> projection) {
        this.journal = journal;
        this.projection = projection;
        this.snapshotEvents = new SnapshotEvents(journal);
    }

    /** At most {@code limit} entries, fewer only when there are no more (pagers rely on it). */
    List<HistoryEntry> history(DeviceId id, long fromHlc, long toHlc, int limit) {
        int ask = limit;
        while (true) {
            List<Position> found = projection.get().history(id, fromHlc, toHlc, ask);
            List<Position> held = new ArrayList<>(found.size());
            // history keys of trimmed entries normally leave with them; a crash between the trim and the
            // projection's flush can leave some behind: skipped, and as many more asked for
            for (Position p : found) if (p.seq() >= journal.firstSeq(p.stream())) held.add(p);
            if (held.size() >= limit || found.size() < ask) {
                List<HistoryEntry> out = new ArrayList<>(Math.min(limit, held.size()));
                for (Position p : held.subList(0, Math.min(limit, held.size()))) out.add(new HistoryEntry(p, read(p)));
                return out;
            }
            ask = (int) Math.min(Integer.MAX_VALUE, (long) ask + (limit - held.size()));
        }
    }

    Optional<DeviceTwin> documentAt(DeviceId id, String stream, long seq) {
        if (seq >= 0 && seq < journal.firstSeq(stream)) {
            throw new IllegalArgumentException("twin:position.notfound: " + stream + ":" + seq + " was trimmed; the stream starts at "
                    + journal.firstSeq(stream));
        }
        JournalEntry at;
        try (JournalCursor c = journal.read(stream, seq)) {
            at = seq < journal.nextSeq(stream) ? c.next() : null;
        }
        if (at == null) throw new IllegalArgumentException("twin:position.notfound: no entry " + stream + ":" + seq);
        return replay(id, at.hlc());
    }

    /** The twin from its events with HLC at or before {@code maxHlc}; {@code twin:position.trimmed} before its newest trimmed event. */
    Optional<DeviceTwin> replay(DeviceId id, long maxHlc) {
        DeviceTwin twin = DeviceTwin.empty(id);
        // what retention trimmed of the device lives on in the snapshots; the newest trimmed event is among them
        for (EventRecord r : snapshotEvents.of(id)) {
            if (r.envelope().hlc() > maxHlc) {
                throw new IllegalArgumentException("twin:position.trimmed: events of " + id + " up to " + Hlc.format(r.envelope().hlc())
                        + " were trimmed by retention; its state is known exactly from then on");
            }
            twin = twin.apply(r);
        }
        for (Position p : projection.get().history(id, 0, maxHlc, Integer.MAX_VALUE)) {
            if (p.seq() >= journal.firstSeq(p.stream())) twin = twin.apply(read(p));
        }
        return twin.exists() ? Optional.of(twin) : Optional.empty();
    }

    private EventRecord read(Position p) {
        try (JournalCursor c = journal.read(p.stream(), p.seq())) {
            JournalEntry e = c.next();
            if (e == null || e.seq() != p.seq()) {
                throw new ProjectionException("projection:stale", "history points at " + p + ", missing from the journal", null);
            }
            return TwinStore.toRecord(e);
        }
    }

    static long lowHlc(Instant t) {
        return t == null ? 0 : Hlc.pack(Math.max(0, t.toEpochMilli()), 0);
    }

    static long highHlc(Instant t) {
        return t == null ? Long.MAX_VALUE : Hlc.pack(Math.min(Hlc.MAX_MILLIS, Math.max(0, t.toEpochMilli())), Hlc.MAX_COUNTER);
    }
}
