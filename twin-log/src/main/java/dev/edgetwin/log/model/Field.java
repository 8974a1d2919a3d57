package dev.edgetwin.log.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One last-writer-wins register of a twin: a value and the stamp of the event that wrote it.
 * A null value is a tombstone (the value was cleared): the stamp still counts, so an older
 * set arriving later cannot bring the value back.
 */
public record Field(Stamp stamp, JsonNode value) {
    public boolean isSet() {
        return value != null;
    }

    /** True if an event with stamp {@code s} should replace this register. */
    static boolean loses(Field current, Stamp s) {
        return current == null || s.compareTo(current.stamp()) > 0;
    }
}
