package dev.edgetwin.log.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A node's data directory as twinctl sees it: {@code journal/} (the Chronicle journal, required)
 * and {@code projection/} (the RocksDB projection, optional for most commands), and whether
 * the node that owns it is running (then nothing may be written, and the journal's tail is a
 * moving target rather than damage).
 */
record DataDir(Path root, Path journal, Path projection, NodeLiveness.Status liveness) {

    /** Checks that {@code root} looks like a node's data directory; {@code twinctl:datadir.invalid} otherwise. */
    static DataDir of(Path root) {
        if (root == null) {
            throw new TwinctlException("twinctl:datadir.missing", ExitCode.USAGE,
                    "no data directory: give --data-dir DIR (or set EDGETWIN_DATA_DIR)");
        }
        if (!Files.isDirectory(root)) {
            throw new TwinctlException("twinctl:datadir.invalid", ExitCode.DATA, root + " is not a directory");
        }
        Path journal = root.resolve("journal");
        if (!Files.isRegularFile(journal.resolve("MANIFEST"))) {
            throw new TwinctlException("twinctl:datadir.invalid", ExitCode.DATA,
                    root + " is not a node's data directory: no journal/MANIFEST");
        }
        Path projection = root.resolve("projection");
        return new DataDir(root, journal, projection, NodeLiveness.probe(projection));
    }

    /** True when the projection exists (RocksDB writes CURRENT when it creates a database). */
    boolean hasProjection() {
        return Files.isRegularFile(projection.resolve("CURRENT"));
    }

    /** True unless the node is known to be stopped: a writer may be appending to the journal's tail. */
    boolean liveTail() {
        return liveness.mayBeRunning();
    }
}
