package dev.edgetwin.log.chronicle;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** mincore(2) on a read-only mapping of a file: which of its pages the kernel has in the page cache. */
final class Residency {
    static final int PAGE = 4096;

    interface C extends Library {
        int open(String path, int flags) throws LastErrorException;

        Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset) throws LastErrorException;

        int mincore(Pointer addr, long length, byte[] vec) throws LastErrorException;

        int munmap(Pointer addr, long length) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        int getpagesize();
    }

    /**
     * A new folder in the build folder, on the checkout's disk: /tmp may be tmpfs, whose pages are
     * never read ahead nor dropped, so what is cached there says nothing. Skips the test elsewhere.
     */
    static Path diskFolder(String prefix) throws IOException {
        assumeTrue(Platform.isLinux() && Native.LONG_SIZE == 8, "64-bit Linux");
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "page-warmer")), prefix);
        assumeTrue(!Files.getFileStore(dir).type().equals("tmpfs"), "a disk-backed build folder");
        return dir;
    }

    /**
     * Asserts that at least 90 % of pages {@code [from, to)} are cached. Not all: cached pages nobody
     * touches may be reclaimed at any moment (the benchmark VM runs DAMON's proactive reclaim, which took
     * the first pages of a freshly cached 64 MiB file within 4 s and 3.5 % of them within 81 s).
     */
    static void assertMostlyCached(boolean[] cached, int from, int to, String what) {
        int n = 0;
        for (int p = from; p < to; p++) if (cached[p]) n++;
        assertTrue(n * 10L >= (to - from) * 9L, what + ": " + n + " of pages " + from + ".." + to + " cached");
    }

    static boolean[] of(File file) {
        C c = Native.load(Platform.C_LIBRARY_NAME, C.class);
        assumeTrue(c.getpagesize() == PAGE, "4 KiB pages");
        long length = file.length();
        int fd = c.open(file.getPath(), 0);
        try {
            Pointer at = c.mmap(null, length, 1 /* PROT_READ */, 1 /* MAP_SHARED */, fd, 0);
            try {
                byte[] vec = new byte[(int) (length / PAGE)];
                c.mincore(at, length, vec);
                boolean[] cached = new boolean[vec.length];
                for (int i = 0; i < vec.length; i++) cached[i] = (vec[i] & 1) != 0;
                return cached;
            } finally {
                c.munmap(at, length);
            }
        } finally {
            c.close(fd);
        }
    }
}

