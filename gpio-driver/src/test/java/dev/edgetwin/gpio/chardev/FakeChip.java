package dev.edgetwin.gpio.chardev;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * A GPIO chip behind {@link Syscalls}, acting the way the kernel's v2 uAPI does for one chip file:
 * requests are read at the byte offsets of {@code <linux/gpio.h>} written out here (not through
 * {@link V2Structs}), the line fd goes back at offset 588, a line held by anyone is {@code EBUSY},
 * values and edges are logical (active-low applied), closing the line fd releases the line.
 */
final class FakeChip implements Syscalls {
    /** What a line request asked for. */
    record Request(int offset, String consumer, long flags, int numAttrs, int attrId, long attrValue, long attrMask, int numLines) {
    }

    private final String path;
    private final int lines;
    private final Map<Integer, Line> lineFds = new HashMap<>();
    private final List<Integer> chipFds = new ArrayList<>();
    private final List<Integer> closedFds = new ArrayList<>();
    private final List<Request> requests = new ArrayList<>();
    private int nextFd = 10;
    /** When not 0, the next open (or the next ioctl, or the next read) fails with it. */
    volatile int openErrno;
    volatile int ioctlErrno;
    volatile int readErrno;

    private static final class Line {
        final Request request;
        boolean level;                      // electrical
        final Queue<byte[]> events = new ArrayDeque<>();

        Line(Request request) {
            this.request = request;
        }

        boolean activeLow() {
            return (request.flags() & 0x2) != 0;
        }
    }

    FakeChip(String path, int lines) {
        this.path = path;
        this.lines = lines;
    }

    @Override
    public synchronized int open(String file) {
        if (openErrno != 0) throw errno("open", openErrno);
        if (!file.equals(path)) throw errno("open", ErrnoException.ENOENT);
        int fd = nextFd++;
        chipFds.add(fd);
        return fd;
    }

    @Override
    public synchronized void ioctl(int fd, int request, ByteBuffer struct) {
        if (ioctlErrno != 0) {
            int e = ioctlErrno;
            ioctlErrno = 0;
            throw errno("ioctl", e);
        }
        if (chipFds.contains(fd) && request == 0xC250B407 && struct.capacity() == 592) {
            requestLine(struct);
        } else if (lineFds.containsKey(fd) && (request == 0xC010B40E || request == 0xC010B40F) && struct.capacity() == 16) {
            Line line = lineFds.get(fd);
            if (struct.getLong(8) != 1) throw errno("ioctl", ErrnoException.EINVAL);
            if (request == 0xC010B40E) {
                struct.putLong(0, line.level ^ line.activeLow() ? 1 : 0);
            } else {
                if ((line.request.flags() & 0x8) == 0) throw errno("ioctl", ErrnoException.EPERM); // the kernel's answer for an input
                line.level = ((struct.getLong(0) & 1) != 0) ^ line.activeLow();
            }
        } else if (chipFds.contains(fd) || lineFds.containsKey(fd)) {
            throw errno("ioctl", ErrnoException.ENOTTY);
        } else {
            throw errno("ioctl", ErrnoException.EBADF);
        }
    }

    private void requestLine(ByteBuffer b) {
        byte[] consumer = new byte[32];
        b.get(256, consumer);
        int end = 0;
        while (end < 32 && consumer[end] != 0) end++;
        Request r = new Request(b.getInt(0), new String(consumer, 0, end, StandardCharsets.US_ASCII), b.getLong(288),
                b.getInt(296), b.getInt(320), b.getLong(328), b.getLong(336), b.getInt(560));
        requests.add(r);
        if (r.numLines() != 1 || r.offset() >= lines) throw errno("ioctl", ErrnoException.EINVAL);
        if (lineFds.values().stream().anyMatch(l -> l.request.offset() == r.offset())) throw errno("ioctl", ErrnoException.EBUSY);
        Line line = new Line(r);
        if (r.numAttrs() == 1 && r.attrId() == 2 && r.attrMask() == 1) line.level = ((r.attrValue() & 1) != 0) ^ line.activeLow();
        else line.level = line.activeLow(); // inactive
        int fd = nextFd++;
        lineFds.put(fd, line);
        b.putInt(588, fd);
    }

    @Override
    public int read(int fd, ByteBuffer into) {
        synchronized (this) {
            if (readErrno != 0) {
                int e = readErrno;
                readErrno = 0;
                throw errno("read", e);
            }
            Line line = lineFds.get(fd);
            if (line == null) throw errno("read", ErrnoException.EBADF);
            int n = 0;
            while (!line.events.isEmpty() && (n + 1) * 48 <= into.capacity()) {
                into.put(n * 48, line.events.poll());
                n++;
            }
            if (n == 0) throw errno("read", ErrnoException.EAGAIN);
            return n * 48;
        }
    }

    @Override
    public synchronized boolean poll(int fd, int timeoutMillis) {
        Line line = lineFds.get(fd);
        if (line == null) return true; // POLLNVAL: the read says EBADF
        if (line.events.isEmpty() && readErrno == 0) {
            try {
                wait(timeoutMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw errno("poll", ErrnoException.EINTR);
            }
        }
        return !line.events.isEmpty() || readErrno != 0;
    }

    @Override
    public synchronized void close(int fd) {
        if (!chipFds.remove((Integer) fd) && lineFds.remove(fd) == null) throw errno("close", ErrnoException.EBADF);
        closedFds.add(fd);
        notifyAll();
    }

    @Override
    public String strerror(int errno) {
        return switch (errno) {
            case ErrnoException.ENOENT -> "No such file or directory";
            case ErrnoException.EACCES -> "Permission denied";
            case ErrnoException.EPERM -> "Operation not permitted";
            case ErrnoException.EBUSY -> "Device or resource busy";
            case ErrnoException.EINVAL -> "Invalid argument";
            case ErrnoException.EBADF -> "Bad file descriptor";
            default -> "Unknown error " + errno;
        };
    }

    private ErrnoException errno(String call, int errno) {
        return new ErrnoException(call, errno, strerror(errno));
    }

    /** Drives an input line's electrical level, queueing an edge event if it changed and the line asked for edges. */
    synchronized void level(int offset, boolean level) {
        Line line = lineFds.values().stream().filter(l -> l.request.offset() == offset).findFirst()
                .orElseThrow(() -> new AssertionError("line " + offset + " is not requested"));
        if (line.level == level) return;
        line.level = level;
        boolean active = level ^ line.activeLow();
        if ((line.request.flags() & (active ? 0x10 : 0x20)) == 0) return;
        ByteBuffer event = V2Structs.buffer(48);
        event.putLong(0, System.nanoTime());
        event.putInt(8, active ? 1 : 2);
        event.putInt(12, offset);
        byte[] bytes = new byte[48];
        event.get(0, bytes);
        line.events.add(bytes);
        notifyAll();
    }

    /** The electrical level of a requested line. */
    synchronized boolean level(int offset) {
        return lineFds.values().stream().filter(l -> l.request.offset() == offset).findFirst()
                .orElseThrow(() -> new AssertionError("line " + offset + " is not requested")).level;
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    synchronized List<Integer> openFds() {
        List<Integer> fds = new ArrayList<>(chipFds);
        fds.addAll(lineFds.keySet());
        return fds;
    }

    synchronized List<Integer> closedFds() {
        return List.copyOf(closedFds);
    }
}
