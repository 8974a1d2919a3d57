package dev.edgetwin.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Scratch directories for benchmark state. They live under {@code -Dedgetwin.bench.dir}
 * (default {@code java.io.tmpdir}) so a run can be pointed at the disk under test; a
 * tmpfs would hide every fsync.
 */
public final class TempDirs {
    private TempDirs() {
    }

    /** A new empty directory named {@code prefix…}. */
    public static Path create(String prefix) {
        try {
            Path base = Path.of(System.getProperty("edgetwin.bench.dir", System.getProperty("java.io.tmpdir")));
            Files.createDirectories(base);
            return Files.createTempDirectory(base, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code dir} and everything under it; a null or missing dir is fine. */
    public static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
