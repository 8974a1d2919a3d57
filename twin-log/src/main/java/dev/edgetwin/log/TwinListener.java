package dev.edgetwin.log;

import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.EventRecord;

/**
 * Told of every event a {@link TwinStore} applied, local or replicated, after the journal and
 * the projection hold it, in the journal's append order (across streams too, not only per
 * stream: the REST change stream resumes a client at a journal position in that order and
 * relies on it). Called on the store's writer thread while it holds the write lock: return
 * quickly and hand heavy work elsewhere. Never called for rejections.
 *
 * <p>One exception to "in the journal": a replica installing a peer's snapshot
 * ({@link TwinStore#installSnapshot}) notifies the snapshot's entries, in seq order, at the point
 * of the install. They keep their original positions, below the stream's new first seq, so they
 * are not positions a reader can resume after ({@code journal:trimmed}); every entry notified
 * after them is in the journal again.
 */
@FunctionalInterface
public interface TwinListener {
    /**
     * @param entry  the journal entry (its stream and seq are the event's position)
     * @param record the decoded event with its envelope
     * @param after  the device's twin after the batch that carried the event
     */
    void onChange(JournalEntry entry, EventRecord record, DeviceTwin after);

    /**
     * Told of one applied batch at once (the store calls only this). By default hands each event
     * to {@link #onChange} ({@link AppliedEvents#each}). A listener that does not need every
     * decoded event (a wake-up, a counter) overrides it and looks at the entries only: events
     * are decoded only when some listener asks for them.
     */
    default void onApplied(AppliedEvents events) {
        events.each(this);
    }
}
