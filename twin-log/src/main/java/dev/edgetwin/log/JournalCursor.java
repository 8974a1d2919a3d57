package dev.edgetwin.log;

/** A single-thread reader of journal entries. Not thread-safe; close it when done. */
public interface JournalCursor extends AutoCloseable {
    /** The next entry, or null when none is available yet (poll again to tail). */
    JournalEntry next();

    @Override
    void close();
}
