package dev.edgetwin.gpio.sysfs;

import dev.edgetwin.gpio.Direction;
import dev.edgetwin.gpio.GpioBackend;
import dev.edgetwin.gpio.GpioException;
import dev.edgetwin.gpio.GpioLine;
import dev.edgetwin.gpio.LineSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The legacy sysfs GPIO interface ({@code /sys/class/gpio}, deprecated in Linux but still found on
 * many boards). The root is a setting so tests run against a fake tree.
 *
 * <p>A chip is a {@code gpiochip<base>} folder under the root, named by that folder's name or by its
 * {@code label}; line {@code L} of it is the global GPIO number {@code base + L}. Opening a line
 * writes the number to {@code export} (unless {@code gpio<N>} is there already) and waits up to
 * {@code exportTimeout} for {@code gpio<N>/value}, {@code direction} and {@code active_low} to be writable (udev may still be fixing permissions);
 * then writes {@code active_low}, then {@code direction}: {@code in}, or {@code high}/{@code low}
 * for an output, which sets the direction and the initial level in one step (no glitch; the kernel
 * takes these as electrical levels, so the initial logical value is converted). Values read and
 * written through {@code value} are logical (the kernel applies {@code active_low}).
 *
 * <p>Inputs are polled ({@link #edgeEvents()} is false): waiting for an edge on sysfs needs
 * {@code poll(2)} with {@code POLLPRI}, which the JDK does not offer.
 */
public final class SysfsGpio implements GpioBackend {
    private static final Logger LOG = LoggerFactory.getLogger(SysfsGpio.class);

    private final Path root;
    private final Duration exportTimeout;
    private final boolean unexportOnClose;
    private final Set<Integer> held = ConcurrentHashMap.newKeySet();
    private final List<SysfsLine> open = new ArrayList<>();

    public SysfsGpio(Path root, Duration exportTimeout, boolean unexportOnClose) {
        this.root = root;
        this.exportTimeout = exportTimeout;
        this.unexportOnClose = unexportOnClose;
    }

    @Override
    public String name() {
        return "sysfs";
    }

    @Override
    public boolean edgeEvents() {
        return false;
    }

    @Override
    public GpioLine open(LineSpec spec, LineListener listener) {
        if (!Files.isDirectory(root)) {
            throw new GpioException("gpio:chip.missing", root + " does not exist: this kernel has no sysfs GPIO"
                    + " interface (use backend chardev)");
        }
        Path chip = chipFolder(spec.chip());
        int base = readInt(chip.resolve("base"));
        int count = readInt(chip.resolve("ngpio"));
        if (spec.line() >= count) {
            throw new GpioException("gpio:line.range", "chip " + spec.chip() + " has lines 0.." + (count - 1) + ", not " + spec.line());
        }
        int number = base + spec.line();
        if (!held.add(number)) {
            throw new GpioException("gpio:line.busy", "line " + spec.address() + " (gpio" + number + ") is already used by this mapper");
        }
        try {
            Path dir = root.resolve("gpio" + number);
            boolean exported = false;
            if (!Files.exists(dir.resolve("value"))) {
                write(root.resolve("export"), Integer.toString(number));
                exported = true;
                awaitExport(dir);
            }
            write(dir.resolve("active_low"), spec.activeLow() ? "1" : "0");
            if (spec.direction() == Direction.OUT) {
                write(dir.resolve("direction"), spec.initial() ^ spec.activeLow() ? "high" : "low");
            } else {
                write(dir.resolve("direction"), "in");
            }
            SysfsLine line = new SysfsLine(spec, number, dir, exported);
            synchronized (open) {
                open.add(line);
            }
            LOG.info("gpio {} ({}) is sysfs gpio{}{}", spec.address(), spec.consumer(), number, exported ? " (exported)" : "");
            return line;
        } catch (RuntimeException e) {
            held.remove(number);
            throw e;
        }
    }

    private Path chipFolder(String chip) {
        Path named = root.resolve(chip);
        if (!chip.contains("/") && Files.isRegularFile(named.resolve("base"))) return named;
        List<String> known = new ArrayList<>();
        try (Stream<Path> chips = Files.list(root)) {
            for (Path p : (Iterable<Path>) chips.filter(p -> p.getFileName().toString().startsWith("gpiochip")).sorted()::iterator) {
                String label = Files.isRegularFile(p.resolve("label")) ? read(p.resolve("label")) : "";
                if (label.equals(chip)) return p;
                known.add(p.getFileName() + (label.isEmpty() ? "" : " (" + label + ")"));
            }
        } catch (IOException e) {
            throw io("cannot list " + root, e);
        }
        throw new GpioException("gpio:chip.missing", "no GPIO chip '" + chip + "' under " + root
                + " (chips there: " + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
    }

    private void awaitExport(Path dir) {
        long deadline = System.nanoTime() + exportTimeout.toNanos();
        Path value = dir.resolve("value");
        // udev may still be giving the attributes to the gpio group: wait until all are writable
        while (!(Files.isWritable(value) && Files.isWritable(dir.resolve("direction")) && Files.isWritable(dir.resolve("active_low")))) {
            if (System.nanoTime() > deadline) {
                throw new GpioException("gpio:io", value + " did not appear within " + exportTimeout.toMillis()
                        + " ms of the export (is the line claimed by a kernel driver?)");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GpioException("gpio:io", "interrupted while waiting for " + value);
            }
        }
    }

    private static int readInt(Path file) {
        String text = read(file);
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new GpioException("gpio:io", file + " holds '" + text + "', not a number");
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw io("cannot read " + file, e);
        }
    }

    /** Writes without creating: sysfs attributes exist or the write is wrong. */
    static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw io("cannot write '" + text + "' to " + file, e);
        }
    }

    private static GpioException io(String what, IOException e) {
        if (e instanceof AccessDeniedException) {
            return new GpioException("gpio:permission", what + ": permission denied (run as a member of the gpio group)", e);
        }
        if (e instanceof NoSuchFileException) {
            return new GpioException("gpio:io", what + ": no such file", e);
        }
        return new GpioException("gpio:io", what + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        List<SysfsLine> lines;
        synchronized (open) {
            lines = new ArrayList<>(open);
        }
        lines.forEach(SysfsLine::close);
    }

    private final class SysfsLine implements GpioLine {
        private final LineSpec spec;
        private final int number;
        private final Path value;
        private final boolean exported;
        private boolean closed;

        SysfsLine(LineSpec spec, int number, Path dir, boolean exported) {
            this.spec = spec;
            this.number = number;
            this.value = dir.resolve("value");
            this.exported = exported;
        }

        @Override
        public LineSpec spec() {
            return spec;
        }

        @Override
        public boolean read() {
            String text = SysfsGpio.read(value);
            return switch (text) {
                case "1" -> true;
                case "0" -> false;
                default -> throw new GpioException("gpio:io", value + " holds '" + text + "', not 0 or 1");
            };
        }

        @Override
        public synchronized void write(boolean active) {
            if (spec.direction() != Direction.OUT) {
                throw new GpioException("gpio:line.input", "line " + spec.address() + " is an input");
            }
            SysfsGpio.write(value, active ? "1" : "0");
        }

        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            synchronized (open) {
                open.remove(this);
            }
            held.remove(number);
            if (exported && unexportOnClose) {
                try {
                    SysfsGpio.write(root.resolve("unexport"), Integer.toString(number));
                } catch (GpioException e) {
                    LOG.warn("gpio {}: {}", spec.address(), e.getMessage());
                }
            }
        }
    }
}
