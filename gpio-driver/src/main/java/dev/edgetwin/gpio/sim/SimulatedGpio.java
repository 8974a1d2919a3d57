package dev.edgetwin.gpio.sim;

import dev.edgetwin.gpio.Direction;
import dev.edgetwin.gpio.GpioBackend;
import dev.edgetwin.gpio.GpioException;
import dev.edgetwin.gpio.GpioLine;
import dev.edgetwin.gpio.LineSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Simulated GPIO chips for demos and tests. A chip exists as soon as a line of it is requested
 * (any name, e.g. {@code sim0}) and has {@code linesPerChip} lines. Every level change is logged
 * as one line ({@code gpio sim0/17 (default/lamp-1 powerstatus) level 0 -> 1}); inputs are driven
 * from outside with {@link #setLevel} and {@link #press} (the HTTP API of {@link SimHttp}).
 */
public final class SimulatedGpio implements GpioBackend {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedGpio.class);

    private final int linesPerChip;
    private final Map<String, SimLine> lines = new ConcurrentHashMap<>();
    private final ScheduledExecutorService releases = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gpio-sim-press");
        t.setDaemon(true);
        return t;
    });

    public SimulatedGpio(int linesPerChip) {
        if (linesPerChip < 1) throw new IllegalArgumentException("linesPerChip must be >= 1, got " + linesPerChip);
        this.linesPerChip = linesPerChip;
    }

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public boolean edgeEvents() {
        return true;
    }

    @Override
    public GpioLine open(LineSpec spec, LineListener listener) {
        if (spec.line() >= linesPerChip) {
            throw new GpioException("gpio:line.range", "simulated chip " + spec.chip() + " has lines 0.."
                    + (linesPerChip - 1) + ", not " + spec.line());
        }
        SimLine line = new SimLine(spec, listener);
        SimLine held = lines.putIfAbsent(spec.address(), line);
        if (held != null) {
            throw new GpioException("gpio:line.busy", "line " + spec.address() + " is already used by " + held.spec().consumer());
        }
        LOG.info("gpio {} ({}) requested as {}{}, level {}", spec.address(), spec.consumer(),
                spec.direction().name().toLowerCase(), spec.activeLow() ? " active-low" : "", line.level());
        return line;
    }

    /** The line at {@code chip/line}; {@code gpio:line.unknown} when nobody requested it. */
    SimLine line(String chip, int line) {
        SimLine l = lines.get(chip + "/" + line);
        if (l == null) throw new GpioException("gpio:line.unknown", "no simulated line " + chip + "/" + line + " is in use");
        return l;
    }

    /** The electrical level (0 or 1) of a requested line. */
    public int level(String chip, int line) {
        return line(chip, line).level();
    }

    /** Sets the electrical level of an input line, as a button or a door contact would. */
    public void setLevel(String chip, int line, int level) {
        SimLine l = inputLine(chip, line);
        l.drive(level, "external");
    }

    /**
     * Presses an input: drives it to its active level, and back to inactive after {@code holdMillis}
     * (hold it longer than the input's debounce for the press to count).
     */
    public void press(String chip, int line, long holdMillis) {
        SimLine l = inputLine(chip, line);
        int active = l.spec().activeLow() ? 0 : 1;
        l.drive(active, "press");
        releases.schedule(() -> l.drive(1 - active, "release"), holdMillis, TimeUnit.MILLISECONDS);
    }

    private SimLine inputLine(String chip, int line) {
        SimLine l = line(chip, line);
        if (l.spec().direction() != Direction.IN) {
            throw new GpioException("gpio:line.output", "line " + chip + "/" + line
                    + " is an output driven by the mapper; only inputs can be set from outside");
        }
        return l;
    }

    /** Every requested line, by chip then line number: the document {@code GET /gpio} serves. */
    public Map<String, Object> snapshot() {
        Map<String, Map<String, Object>> byChip = new TreeMap<>();
        for (SimLine l : lines.values()) {
            Map<String, Object> chip = byChip.computeIfAbsent(l.spec().chip(), c -> new TreeMap<>(
                    (a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b))));
            chip.put(Integer.toString(l.spec().line()), l.describe());
        }
        Map<String, Object> chips = new LinkedHashMap<>();
        byChip.forEach((name, chipLines) -> chips.put(name, Map.of("lines", chipLines)));
        return Map.of("chips", chips);
    }

    @Override
    public void close() {
        releases.shutdownNow();
        lines.clear();
    }

    /** One requested simulated line; its level is guarded by its own monitor. */
    final class SimLine implements GpioLine {
        private final LineSpec spec;
        private final LineListener listener;
        private int level;
        private long changes;

        SimLine(LineSpec spec, LineListener listener) {
            this.spec = spec;
            this.listener = listener;
            // inputs rest inactive (a released button); outputs start at their initial value
            boolean active = spec.direction() == Direction.OUT && spec.initial();
            this.level = active ^ spec.activeLow() ? 1 : 0;
        }

        @Override
        public LineSpec spec() {
            return spec;
        }

        synchronized int level() {
            return level;
        }

        @Override
        public boolean read() {
            return level() == 1 ^ spec.activeLow();
        }

        @Override
        public void write(boolean active) {
            if (spec.direction() != Direction.OUT) {
                throw new GpioException("gpio:line.input", "line " + spec.address() + " is an input");
            }
            drive(active ^ spec.activeLow() ? 1 : 0, "mapper");
        }

        void drive(int newLevel, String by) {
            if (newLevel != 0 && newLevel != 1) throw new GpioException("gpio:level.invalid", "a level is 0 or 1, not " + newLevel);
            int old;
            synchronized (this) {
                old = level;
                level = newLevel;
                if (old != newLevel) changes++;
            }
            if (old == newLevel) return;
            LOG.info("gpio {} ({}) level {} -> {} ({})", spec.address(), spec.consumer(), old, newLevel, by);
            if (spec.direction() == Direction.IN) listener.changed(newLevel == 1 ^ spec.activeLow());
        }

        synchronized Map<String, Object> describe() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("direction", spec.direction().name().toLowerCase());
            d.put("activeLow", spec.activeLow());
            d.put("level", level);
            d.put("active", level == 1 ^ spec.activeLow());
            d.put("consumer", spec.consumer());
            d.put("changes", changes);
            return d;
        }

        @Override
        public void close() {
            lines.remove(spec.address(), this);
        }
    }
}
