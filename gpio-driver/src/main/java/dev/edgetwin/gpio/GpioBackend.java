package dev.edgetwin.gpio;

/**
 * A source of GPIO lines: the Linux character device, sysfs, or the simulated chip.
 * Thread-safe; {@link #close()} releases every line it handed out.
 */
public interface GpioBackend extends AutoCloseable {
    /** Name used in config ({@code chardev}, {@code sysfs}, {@code sim}) and logs. */
    String name();

    /**
     * Requests a line. For an input, {@code listener} is told every logical value change the
     * backend sees (on a thread of the backend's choosing) when {@link #edgeEvents()} is true; the
     * caller polls otherwise. Throws {@link GpioException} with a code naming what is wrong
     * ({@code gpio:chip.missing}, {@code gpio:line.range}, {@code gpio:line.busy}, {@code gpio:io}).
     */
    GpioLine open(LineSpec spec, LineListener listener);

    /** Whether {@link #open} delivers input changes to the listener; when false the mapper polls. */
    boolean edgeEvents();

    @Override
    void close();

    /** Told the new logical value of an input line. Must not block. */
    @FunctionalInterface
    interface LineListener {
        void changed(boolean active);

        LineListener NONE = active -> { };
    }
}
