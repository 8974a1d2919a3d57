package dev.edgetwin.node.http;

import dev.edgetwin.log.AppliedEvents;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.TwinListener;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.EventRecord;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one {@link TwinListener} of the change stream: hands every applied event to the watch
 * sessions subscribed at that moment. Runs on the store's writer thread, so a subscriber's
 * {@link Subscriber#offer} must only enqueue. Subscribing is atomic with respect to
 * notifications: a subscriber gets exactly the events notified after {@link #subscribe}
 * returned the last one notified before.
 */
final class ChangeFeed implements TwinListener {
    /** An applied event as the store announced it ({@code after}: the twin after its batch). */
    record Change(JournalEntry entry, EventRecord record, DeviceTwin after) {
    }

    interface Subscriber {
        /** Called on the writer thread, in journal append order: enqueue and return. */
        void offer(Change change);
    }

    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private JournalEntry last; // guarded by this

    @Override
    public synchronized void onChange(JournalEntry entry, EventRecord record, DeviceTwin after) {
        last = entry;
        if (subscribers.isEmpty()) return;
        Change change = new Change(entry, record, after);
        for (Subscriber s : subscribers) s.offer(change);
    }

    /** Without subscribers only the last position matters: no event of the batch is decoded. */
    @Override
    public synchronized void onApplied(AppliedEvents events) {
        if (events.size() == 0) return;
        if (subscribers.isEmpty()) {
            last = events.entry(events.size() - 1);
            return;
        }
        events.each(this);
    }

    /**
     * Subscribes {@code s}; returns the position of the last event notified before it (which
     * {@code s} will not get), or null when none was notified since this node started.
     */
    synchronized JournalPosition subscribe(Subscriber s) {
        subscribers.add(s);
        return last == null ? null : JournalPosition.of(last);
    }

    void unsubscribe(Subscriber s) {
        subscribers.remove(s);
    }
}
