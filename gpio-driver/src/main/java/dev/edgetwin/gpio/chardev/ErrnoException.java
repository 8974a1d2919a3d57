package dev.edgetwin.gpio.chardev;

/** A failed libc call: which call, and its errno (Linux numbers, the same on x86, arm and arm64). */
final class ErrnoException extends RuntimeException {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int ENXIO = 6;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int ENOTTY = 25;

    private final String call;
    private final int errno;

    ErrnoException(String call, int errno, String message) {
        super(call + ": " + message + " (errno " + errno + ")");
        this.call = call;
        this.errno = errno;
    }

    String call() {
        return call;
    }

    int errno() {
        return errno;
    }
}
