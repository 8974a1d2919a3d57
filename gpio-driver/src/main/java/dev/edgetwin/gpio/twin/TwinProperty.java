package dev.edgetwin.gpio.twin;

import java.util.Optional;

/** One property of a twin as the edge sent it: its expected (desired) and actual (reported) values and type. */
public record TwinProperty(Optional<String> expected, Optional<String> actual, Optional<String> type) {
    public static final TwinProperty EMPTY = new TwinProperty(Optional.empty(), Optional.empty(), Optional.empty());
}
