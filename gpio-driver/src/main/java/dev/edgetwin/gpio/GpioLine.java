package dev.edgetwin.gpio;

/**
 * One requested GPIO line. Values are <em>logical</em>: {@code true} is "active", which is a high
 * level unless the line is active-low. Implementations are thread-safe.
 */
public interface GpioLine extends AutoCloseable {
    LineSpec spec();

    /** The current logical value; throws {@link GpioException} when the line cannot be read. */
    boolean read();

    /**
     * Drives an output line to a logical value; returns once the backend has taken it. Throws
     * {@link GpioException} ({@code gpio:line.input} for an input line, {@code gpio:io} on a backend failure).
     */
    void write(boolean active);

    /** Releases the line; an output keeps its last level where the hardware allows. Idempotent. */
    @Override
    void close();
}
