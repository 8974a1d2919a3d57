package dev.edgetwin.gpio.chardev;

import dev.edgetwin.gpio.Direction;
import dev.edgetwin.gpio.GpioBackend;
import dev.edgetwin.gpio.GpioException;
import dev.edgetwin.gpio.GpioLine;
import dev.edgetwin.gpio.LineSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.edgetwin.gpio.chardev.ErrnoException.EACCES;
import static dev.edgetwin.gpio.chardev.ErrnoException.EBUSY;
import static dev.edgetwin.gpio.chardev.ErrnoException.EINVAL;
import static dev.edgetwin.gpio.chardev.ErrnoException.ENODEV;
import static dev.edgetwin.gpio.chardev.ErrnoException.ENOENT;
import static dev.edgetwin.gpio.chardev.ErrnoException.ENXIO;
import static dev.edgetwin.gpio.chardev.ErrnoException.EPERM;

/**
 * The Linux GPIO character device through its <b>v2 uAPI</b> ({@code GPIO_V2_GET_LINE_IOCTL}, kernel
 * 5.10+), made with plain libc calls ({@link Syscalls}; see the module README for why not a library).
 * Each line is one request of one line: the chip is opened, the line requested with its direction,
 * active-low and (outputs) initial value in the same ioctl, so there is no glitch, and the chip fd is
 * closed again; the line fd the kernel returns is the line until {@link GpioLine#close()}.
 *
 * <p>Values are logical: the kernel applies {@code GPIO_V2_LINE_FLAG_ACTIVE_LOW} to values and to
 * edges. Inputs are requested with both edges; one daemon thread per input waits in {@code poll}
 * (timeout {@link #POLL_MILLIS}, so that a close is seen) and hands each event to the listener.
 * The kernel refuses a line held by anyone, this mapper included ({@code EBUSY}).
 */
public final class ChardevV2Gpio implements GpioBackend {
    private static final Logger LOG = LoggerFactory.getLogger(ChardevV2Gpio.class);
    /** How long an event thread waits in one poll; bounds how long a close waits for it. */
    static final int POLL_MILLIS = 100;
    /** Events taken with one read (the kernel's buffer holds 16 per line by default). */
    static final int EVENTS_PER_READ = 16;

    private final Path devDir;
    private final Syscalls sys;
    private final List<V2Line> open = new ArrayList<>();

    /** The real thing: {@code devDir} (normally {@code /dev}) and libc through JNA. */
    public ChardevV2Gpio(Path devDir) {
        this(devDir, new JnaSyscalls());
    }

    ChardevV2Gpio(Path devDir, Syscalls sys) {
        this.devDir = devDir;
        this.sys = sys;
    }

    @Override
    public String name() {
        return "chardev";
    }

    @Override
    public boolean edgeEvents() {
        return true;
    }

    @Override
    public GpioLine open(LineSpec spec, LineListener listener) {
        Path file = devDir.resolve("gpiochip" + ChipName.number(spec.chip()));
        int chipFd;
        try {
            chipFd = sys.open(file.toString());
        } catch (ErrnoException e) {
            throw switch (e.errno()) {
                case ENOENT, ENODEV, ENXIO -> new GpioException("gpio:chip.missing", file + " does not exist: no GPIO character device here"
                        + " (not a Linux board, or a kernel without CONFIG_GPIO_CDEV); use backend sysfs, or sim for a demo", e);
                default -> failure(spec, "cannot open " + file, e);
            };
        }
        int lineFd;
        try {
            ByteBuffer request = request(spec);
            sys.ioctl(chipFd, V2Structs.GET_LINE_IOCTL, request);
            lineFd = V2Structs.requestFd(request);
        } catch (ErrnoException e) {
            throw failure(spec, "cannot request line " + spec.line() + " of " + file, e);
        } finally {
            closeQuietly(chipFd, spec);
        }
        V2Line line = new V2Line(spec, lineFd);
        synchronized (open) {
            open.add(line);
        }
        if (spec.direction() == Direction.IN) line.startEvents(listener);
        LOG.info("gpio {} ({}) is {} line {} (uAPI v2), {}{}", spec.address(), spec.consumer(), file, spec.line(),
                spec.direction().name().toLowerCase(), spec.activeLow() ? " active-low" : "");
        return line;
    }

    /** The line request for a spec: no bias flags (the board's default stays), no kernel debounce (the mapper debounces). */
    static ByteBuffer request(LineSpec spec) {
        long flags = spec.activeLow() ? V2Structs.FLAG_ACTIVE_LOW : 0;
        if (spec.direction() == Direction.OUT) {
            return V2Structs.lineRequest(spec.line(), spec.consumer(), flags | V2Structs.FLAG_OUTPUT,
                    List.of(V2Structs.Attribute.outputValue(spec.initial())));
        }
        return V2Structs.lineRequest(spec.line(), spec.consumer(),
                flags | V2Structs.FLAG_INPUT | V2Structs.FLAG_EDGE_RISING | V2Structs.FLAG_EDGE_FALLING, List.of());
    }

    /** An errno as a coded error: permission, busy, or {@code gpio:io} with the C library's text. */
    GpioException failure(LineSpec spec, String what, ErrnoException e) {
        String text = sys.strerror(e.errno()) + " (errno " + e.errno() + " from " + e.call() + ")";
        return switch (e.errno()) {
            case EACCES, EPERM -> new GpioException("gpio:permission", what + ": " + text
                    + "; run as a member of the gpio group", e);
            case EBUSY -> new GpioException("gpio:line.busy", "line " + spec.address() + " is already in use: " + what + ": " + text
                    + " (see who holds it: gpioinfo)", e);
            case EINVAL -> new GpioException("gpio:io", what + ": " + text
                    + " (the chip may have no such line, or the kernel refuses these flags)", e);
            default -> new GpioException("gpio:io", what + ": " + text, e);
        };
    }

    private void closeQuietly(int fd, LineSpec spec) {
        try {
            sys.close(fd);
        } catch (ErrnoException e) {
            LOG.warn("gpio {}: {}", spec.address(), e.getMessage());
        }
    }

    @Override
    public void close() {
        List<V2Line> lines;
        synchronized (open) {
            lines = new ArrayList<>(open);
        }
        lines.forEach(V2Line::close);
    }

    /** Lines still open (tests). */
    int openLines() {
        synchronized (open) {
            return open.size();
        }
    }

    private final class V2Line implements GpioLine {
        private final LineSpec spec;
        private final int fd;
        private volatile boolean closed;
        private Thread events;

        V2Line(LineSpec spec, int fd) {
            this.spec = spec;
            this.fd = fd;
        }

        @Override
        public LineSpec spec() {
            return spec;
        }

        @Override
        public synchronized boolean read() {
            ensureOpen();
            ByteBuffer values = V2Structs.lineValues(0, 1);
            try {
                sys.ioctl(fd, V2Structs.GET_VALUES_IOCTL, values);
            } catch (ErrnoException e) {
                throw failure(spec, "cannot read line " + spec.address(), e);
            }
            return (V2Structs.valueBits(values) & 1) != 0;
        }

        @Override
        public synchronized void write(boolean active) {
            if (spec.direction() != Direction.OUT) {
                throw new GpioException("gpio:line.input", "line " + spec.address() + " is an input");
            }
            ensureOpen();
            try {
                sys.ioctl(fd, V2Structs.SET_VALUES_IOCTL, V2Structs.lineValues(active ? 1 : 0, 1));
            } catch (ErrnoException e) {
                throw failure(spec, "cannot set line " + spec.address(), e);
            }
        }

        private void ensureOpen() {
            if (closed) throw new GpioException("gpio:io", "line " + spec.address() + " is closed");
        }

        void startEvents(LineListener listener) {
            events = new Thread(() -> readEvents(listener), "gpio-events-" + spec.address());
            events.setDaemon(true);
            events.start();
        }

        /** Until the line is closed: wait for events, hand each edge to the listener. */
        private void readEvents(LineListener listener) {
            ByteBuffer buffer = V2Structs.buffer(EVENTS_PER_READ * V2Structs.LINE_EVENT_SIZE);
            while (!closed) {
                try {
                    if (!sys.poll(fd, POLL_MILLIS) || closed) continue;
                    int n = sys.read(fd, buffer);
                    if (n == 0) {
                        LOG.warn("gpio {}: the line's event fd reached its end; no more edges", spec.address());
                        return;
                    }
                    for (int i = 0; i < n / V2Structs.LINE_EVENT_SIZE; i++) {
                        listener.changed(V2Structs.event(buffer, i).active());
                    }
                } catch (ErrnoException e) {
                    if (e.errno() == ErrnoException.EINTR || e.errno() == ErrnoException.EAGAIN) continue;
                    if (!closed) LOG.warn("gpio {}: no more edges: {}", spec.address(), failure(spec, "waiting for edges", e).getMessage());
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("gpio {}: no more edges: {}", spec.address(), e.toString());
                    return;
                }
            }
        }

        /** Stops the event thread (within one poll timeout), then releases the line by closing its fd. */
        @Override
        public void close() {
            synchronized (this) {
                if (closed) return;
                closed = true;
            }
            Thread t = events;
            if (t != null && t != Thread.currentThread()) {
                try {
                    t.join(10L * POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (t.isAlive()) LOG.warn("gpio {}: the event thread did not stop; closing the line anyway", spec.address());
            }
            closeQuietly(fd, spec);
            synchronized (open) {
                open.remove(this);
            }
        }
    }
}
