package dev.edgetwin.gpio.chardev;

import java.nio.ByteBuffer;

/**
 * The libc calls the v2 backend makes, and nothing else: {@link JnaSyscalls} is the real one, tests
 * use a fake chip. Each call either succeeds or throws {@link ErrnoException} with the errno; none
 * retries on {@code EINTR}. Thread-safe (the calls are; a fd is only as shared as its user makes it).
 */
interface Syscalls {
    /** {@code open(path, O_RDWR | O_CLOEXEC)}: the new fd. */
    int open(String path);

    /**
     * {@code ioctl(fd, request, struct)}: the whole of {@code struct} (position 0 to its capacity) is
     * handed to the kernel, and what the kernel wrote back is in it afterwards.
     */
    void ioctl(int fd, int request, ByteBuffer struct);

    /** {@code read(fd, into, capacity)}: fills {@code into} from index 0; the number of bytes read (0 at end of file). */
    int read(int fd, ByteBuffer into);

    /** {@code poll} for {@code POLLIN} on one fd: true when it is readable (or in error: a read then says which). */
    boolean poll(int fd, int timeoutMillis);

    /** {@code close(fd)}. */
    void close(int fd);

    /** {@code strerror(errno)}, e.g. {@code Device or resource busy}. */
    String strerror(int errno);
}
