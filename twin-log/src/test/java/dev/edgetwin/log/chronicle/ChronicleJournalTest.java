package dev.edgetwin.log.chronicle;

import dev.edgetwin.log.Journal;
import dev.edgetwin.log.JournalContractTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The shared journal contract against real Chronicle queues in temp dirs. */
class ChronicleJournalTest extends JournalContractTest {
    @TempDir
    Path tmp;

    @Override
    protected Journal createJournal() {
        try {
            return ChronicleJournal.open(Files.createTempDirectory(tmp, "journal"),
                    JournalOptions.DEFAULT.withFsync(dev.edgetwin.log.FsyncPolicy.parse("never")));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
