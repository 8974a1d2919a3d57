package dev.edgetwin.gpio.config;

import java.util.Optional;

/**
 * How a property's twin value maps to a line's logical value: {@code active} (1) and
 * {@code inactive} (0), e.g. {@code ON}/{@code OFF} for a lamp, {@code true}/{@code false} for a button.
 * Matching is exact: a desired {@code on} for a lamp mapped to {@code ON} is not applied.
 */
public record ValueMapping(String active, String inactive) {
    public static final ValueMapping ON_OFF = new ValueMapping("ON", "OFF");

    public String of(boolean level) {
        return level ? active : inactive;
    }

    /** The logical value of a twin value, or empty when the value is neither of the two. */
    public Optional<Boolean> level(String value) {
        if (active.equals(value)) return Optional.of(true);
        if (inactive.equals(value)) return Optional.of(false);
        return Optional.empty();
    }
}
