package dev.edgetwin.log;

import dev.edgetwin.log.model.EventRecord;

/** One event of a device's history: where it sits in the journal and what it was. */
public record HistoryEntry(Position position, EventRecord record) {
}
