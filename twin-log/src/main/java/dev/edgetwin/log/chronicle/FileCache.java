package dev.edgetwin.log.chronicle;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;

/**
 * Asks the kernel to cache part of a file ({@code posix_fadvise(POSIX_FADV_WILLNEED)}), through the C
 * library by JNA: the only class of the journal that calls native code directly. 64-bit Linux only
 * (elsewhere {@link #load} fails, and the caller does without).
 *
 * <p>WILLNEED fills the page cache for exactly the range asked, in large batches, and maps nothing:
 * on the measuring VM a 4 KiB page of a sparse file cost 1.5–1.8 µs this way against 5.3–6.6 µs when
 * faulted in one by one through a mapping, where the memory was already the guest's (memory its host
 * must first fault in costs the same either way; benchmarks/RESULTS.md, nineteenth session), and,
 * unlike {@code read}, it starts no read-ahead window of its own.
 */
final class FileCache {
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000; // 02000000 on x86, arm and arm64 (asm-generic/fcntl.h)
    private static final int POSIX_FADV_WILLNEED = 3;

    /** The libc functions as {@code man 2} declares them; {@code LastErrorException} carries errno. */
    interface C extends Library {
        int open(String path, int flags) throws LastErrorException;

        int posix_fadvise(int fd, long offset, long length, int advice); // returns the error number, sets no errno

        int close(int fd) throws LastErrorException;

        String strerror(int errnum);
    }

    private final C c;

    private FileCache(C c) {
        this.c = c;
    }

    /** Loads the C library; an {@link IOException} says why it cannot be used here. */
    static FileCache load() throws IOException {
        if (!Platform.isLinux() || Native.LONG_SIZE != 8) {
            throw new IOException("page warming needs 64-bit Linux (off_t as a Java long), this is "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        }
        try {
            return new FileCache(Native.load(Platform.C_LIBRARY_NAME, C.class));
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("cannot load the C library through JNA: " + e.getMessage(), e);
        }
    }

    /** Opens a file read-only; returns its descriptor. */
    int open(String path) throws IOException {
        try {
            return c.open(path, O_RDONLY | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("cannot open " + path + ": " + c.strerror(e.getErrorCode()), e);
        }
    }

    /** Has the kernel read {@code length} bytes from {@code offset} into its page cache (zero-filled where the file is sparse). */
    void willNeed(int fd, long offset, long length) throws IOException {
        int error = c.posix_fadvise(fd, offset, length, POSIX_FADV_WILLNEED);
        if (error != 0) throw new IOException("posix_fadvise WILLNEED " + length + " bytes at " + offset + ": " + c.strerror(error));
    }

    void close(int fd) {
        try {
            c.close(fd);
        } catch (LastErrorException e) {
            // a read-only descriptor: nothing was written through it, nothing to lose
        }
    }
}
