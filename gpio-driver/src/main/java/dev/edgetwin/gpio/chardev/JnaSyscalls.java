package dev.edgetwin.gpio.chardev;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import dev.edgetwin.gpio.GpioException;

import java.nio.ByteBuffer;

/**
 * {@link Syscalls} on the C library through JNA (the only class that touches JNA). Structs are copied
 * into native memory for each call and back after it; they are at most 592 bytes.
 */
final class JnaSyscalls implements Syscalls {
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000; // 02000000 on x86, arm and arm64 (asm-generic/fcntl.h)
    private static final short POLLIN = 1;

    /** The libc functions, as {@code man 2} declares them; {@code LastErrorException} carries errno. */
    interface C extends Library {
        int open(String path, int flags) throws LastErrorException;

        int ioctl(int fd, NativeLong request, Pointer arg) throws LastErrorException;

        NativeLong read(int fd, Pointer buf, NativeLong count) throws LastErrorException;

        int poll(Pointer fds, NativeLong nfds, int timeout) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        String strerror(int errnum);
    }

    private final C c;

    JnaSyscalls() {
        if (!Platform.isLinux()) {
            throw new GpioException("gpio:chip.missing", "the GPIO character device is Linux only, this is " + System.getProperty("os.name")
                    + "; use backend sim for a demo");
        }
        if (!(Platform.isIntel() || Platform.isARM())) {
            // V2Structs encodes little-endian structs and asm-generic ioctl numbers: x86 and arm only
            throw new GpioException("gpio:io", "the chardev uAPI v2 backend supports x86 and arm (32 and 64 bit), not "
                    + System.getProperty("os.arch") + "; set chardev.uapi: v1 (diozero), or use backend sysfs");
        }
        try {
            c = Native.load(Platform.C_LIBRARY_NAME, C.class);
        } catch (UnsatisfiedLinkError e) {
            throw new GpioException("gpio:io", "cannot load the C library through JNA: " + e.getMessage(), e);
        }
    }

    @Override
    public int open(String path) {
        try {
            return c.open(path, O_RDWR | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw failed("open " + path, e);
        }
    }

    @Override
    public void ioctl(int fd, int request, ByteBuffer struct) {
        Memory m = copyIn(struct);
        try {
            // unsigned long in glibc and musl: zero-extend on 64-bit; 32-bit NativeLong takes the int's bits as they are
            NativeLong r = Native.LONG_SIZE == 8 ? new NativeLong(Integer.toUnsignedLong(request)) : new NativeLong(request);
            c.ioctl(fd, r, m);
        } catch (LastErrorException e) {
            throw failed("ioctl 0x" + Integer.toHexString(request).toUpperCase(), e);
        }
        copyOut(m, struct, struct.capacity());
    }

    @Override
    public int read(int fd, ByteBuffer into) {
        Memory m = new Memory(into.capacity());
        int n;
        try {
            n = c.read(fd, m, new NativeLong(into.capacity())).intValue();
        } catch (LastErrorException e) {
            throw failed("read", e);
        }
        copyOut(m, into, n);
        return n;
    }

    @Override
    public boolean poll(int fd, int timeoutMillis) {
        Memory pollfd = new Memory(8); // struct pollfd { int fd; short events; short revents; }
        pollfd.setInt(0, fd);
        pollfd.setShort(4, POLLIN);
        pollfd.setShort(6, (short) 0);
        try {
            return c.poll(pollfd, new NativeLong(1), timeoutMillis) > 0 && pollfd.getShort(6) != 0;
        } catch (LastErrorException e) {
            throw failed("poll", e);
        }
    }

    @Override
    public void close(int fd) {
        try {
            c.close(fd);
        } catch (LastErrorException e) {
            throw failed("close", e);
        }
    }

    @Override
    public String strerror(int errno) {
        return c.strerror(errno);
    }

    private ErrnoException failed(String call, LastErrorException e) {
        return new ErrnoException(call, e.getErrorCode(), strerror(e.getErrorCode()));
    }

    private static Memory copyIn(ByteBuffer struct) {
        Memory m = new Memory(struct.capacity());
        byte[] bytes = new byte[struct.capacity()];
        struct.get(0, bytes);
        m.write(0, bytes, 0, bytes.length);
        return m;
    }

    private static void copyOut(Memory m, ByteBuffer into, int length) {
        byte[] bytes = new byte[length];
        m.read(0, bytes, 0, length);
        into.put(0, bytes);
    }
}
