package dev.edgetwin.log.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;

/** Options every twinctl command takes (a picocli mixin): the data directory and how progress is shown. */
final class CommonOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:EDGETWIN_DATA_DIR}",
            description = "The node's data directory (journal/ and projection/). Default: $EDGETWIN_DATA_DIR.")
    Path dataDir;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "Progress of long replays on stderr: auto (a bar on a terminal, plain lines otherwise), "
                    + "bar, lines or none. Default: ${DEFAULT-VALUE}.")
    Progress.Mode progress;

    @Option(names = "--progress-interval", paramLabel = "SECONDS", defaultValue = "5",
            description = "Seconds between plain progress lines. Default: ${DEFAULT-VALUE}.")
    int progressIntervalSeconds;

    DataDir dataDir() {
        return DataDir.of(dataDir);
    }

    Progress progress(String label, long total, String unit) {
        return Progress.start(err(), progress, Duration.ofSeconds(Math.max(1, progressIntervalSeconds)), label, total, unit);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /**
     * Flushes stdout and fails with {@code twinctl:output.failed} (exit 6) when it could not be
     * written — a reader that went away ({@code | head}) or a full disk — so a long command stops
     * instead of working for nobody, and an incomplete output never ends with exit 0.
     */
    void checkOutput() {
        PrintWriter out = out();
        if (out.checkError()) { // flushes, then tells whether any write failed
            throw new TwinctlException("twinctl:output.failed", ExitCode.OUTPUT, "standard output could not be written; the output is incomplete");
        }
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
