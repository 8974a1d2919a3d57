package dev.edgetwin.sync.sim;

import dev.edgetwin.log.InMemoryJournal;
import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.Envelope;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.EventRecord;
import dev.edgetwin.log.model.HybridClock;
import dev.edgetwin.log.model.TwinState;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;

/**
 * A simulated node: its journal (the "disk": it survives restarts), its hybrid clock on the
 * simulation's virtual time, and its writer queue (lost on restart, like the real writer's).
 */
final class SimNode {
    final String id;
    final boolean cloud;
    final InMemoryJournal journal;
    final HybridClock clock;
    final Deque<Runnable> writer = new ArrayDeque<>();
    int epoch;
    boolean writerScheduled;

    SimNode(String id, boolean cloud, int maxEntryBytes, java.util.function.LongSupplier wallMillis) {
        this.id = id;
        this.cloud = cloud;
        this.journal = new InMemoryJournal(maxEntryBytes);
        this.clock = new HybridClock(wallMillis);
    }

    /** A restart: the writer's queue is lost, the journal stays, the clock recovers from the journal. */
    void restart() {
        epoch++;
        writer.clear();
        writerScheduled = false;
        clock.recover(journal.maxHlc());
    }

    /** Every twin this node's journal gives, folded through the pure model (the projection's semantics). */
    Map<DeviceId, DeviceTwin> twins() {
        TwinState state = TwinState.empty();
        java.util.List<EventRecord> records = new java.util.ArrayList<>();
        try (JournalCursor c = journal.readAll()) {
            for (JournalEntry e = c.next(); e != null; e = c.next()) {
                records.add(new EventRecord(new Envelope(e.stream(), e.seq(), e.hlc(), e.origin(), e.wallTime(), e.clientToken()),
                        EventCodec.decode(e.payload())));
            }
        }
        return new TreeMap<>(state.applyAll(records).twins());
    }

    @Override
    public String toString() {
        return id;
    }
}
