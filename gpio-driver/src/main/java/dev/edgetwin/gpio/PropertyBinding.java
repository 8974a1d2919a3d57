package dev.edgetwin.gpio;

import dev.edgetwin.gpio.config.PropertyConfig;
import dev.edgetwin.gpio.config.ValueMapping;

import java.util.Optional;

/**
 * A twin property bound to its GPIO line: translates twin values to logical line values and back
 * ({@link ValueMapping}), and holds an input's debounce state. Used on the mapper thread only.
 */
public final class PropertyBinding {
    private final PropertyConfig config;
    private final GpioLine line;
    /** Inputs: the last value that passed the debounce, i.e. the value the twin should show. */
    private boolean accepted;
    /** Inputs: the last raw value seen, which becomes {@link #accepted} once stable for the debounce time. */
    private boolean raw;
    /** Inputs: when {@link #raw} was seen (ms), so that a late debounce timer cannot drop a real press. */
    private long rawSince;
    private Timers.Cancellable debounceTimer;

    PropertyBinding(PropertyConfig config, GpioLine line) {
        this.config = config;
        this.line = line;
        if (config.direction() == Direction.IN) {
            accepted = line.read();
            raw = accepted;
        }
    }

    public PropertyConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    public GpioLine line() {
        return line;
    }

    public boolean output() {
        return config.direction() == Direction.OUT;
    }

    /** The twin value the line shows now: read back from an output, the debounced value of an input. */
    public String actual() {
        return config.values().of(output() ? line.read() : accepted);
    }

    /** The logical value a twin value asks for, or empty when it is not one of the mapped values. */
    public Optional<Boolean> level(String twinValue) {
        return config.values().level(twinValue);
    }

    /** Drives the output and returns the twin value read back after the write. */
    public String write(boolean level) {
        line.write(level);
        return actual();
    }

    boolean raw() {
        return raw;
    }

    /** Records a raw input value seen at {@code at} (ms); returns whether it differs from the accepted one. */
    boolean sawRaw(boolean value, long at) {
        raw = value;
        rawSince = at;
        return raw != accepted;
    }

    /** Whether a raw value that differs from the accepted one has been stable for the debounce time at {@code at}. */
    boolean settledBy(long at) {
        return raw != accepted && at - rawSince >= config.debounce().toMillis();
    }

    /** Accepts the current raw value after the debounce; returns whether the accepted value changed. */
    boolean acceptRaw() {
        boolean changed = raw != accepted;
        accepted = raw;
        return changed;
    }

    void debounceTimer(Timers.Cancellable timer) {
        if (debounceTimer != null) debounceTimer.cancel();
        debounceTimer = timer;
    }

    @Override
    public String toString() {
        return config.name() + " (" + config.backend() + " " + line.spec().address() + ")";
    }
}
