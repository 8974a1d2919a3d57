package dev.edgetwin.gpio;

/**
 * What to request from a backend: line {@code line} of chip {@code chip} (the chip's name in that
 * backend: {@code gpiochip0} for the character device and sysfs, any name for the simulator).
 *
 * @param activeLow the line's logical value is the inverse of its electrical level
 * @param initial   for outputs, the logical value the line takes when it is requested
 * @param consumer  who holds the line (shown by the kernel, the simulator and logs), e.g. {@code default/lamp-1 powerstatus}
 */
public record LineSpec(String chip, int line, Direction direction, boolean activeLow, boolean initial, String consumer) {
    public LineSpec {
        if (chip == null || chip.isBlank()) throw new IllegalArgumentException("chip is empty");
        if (line < 0) throw new IllegalArgumentException("line must be >= 0, got " + line);
    }

    /** {@code chip/line}, as logs and the simulator's HTTP paths name a line. */
    public String address() {
        return chip + "/" + line;
    }
}
