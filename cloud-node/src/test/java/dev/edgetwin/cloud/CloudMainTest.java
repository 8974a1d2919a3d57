package dev.edgetwin.cloud;

import dev.edgetwin.log.ProjectionOptions;
import dev.edgetwin.log.chronicle.ChronicleJournal;
import dev.edgetwin.log.chronicle.JournalOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cloud's projection and journal flags reach its store; bad values name their flag. */
class CloudMainTest {
    @Test
    void projectionFlagsReachTheStore(@TempDir Path dir) {
        assertThat(CloudMain.parse("--node-id", "cloud").projection()).isEqualTo(ProjectionOptions.DEFAULT);
        CloudConfig c = CloudMain.parse("--node-id", "cloud", "--data-dir", dir.toString(), "--http-port", "0",
                "--twin-cache", "250000", "--projection-commit-events", "32768", "--projection-commit-twins", "16384");
        try (CloudNode node = CloudNode.start(c)) {
            assertThat(node.core().store().projection().options()).isEqualTo(new ProjectionOptions(250_000, 32_768, 16_384));
        }
    }

    @Test
    void journalWarmAheadReachesTheJournal(@TempDir Path dir) {
        assertThat(CloudMain.parse("--node-id", "cloud").journalWarmAhead()).isEqualTo(JournalOptions.DEFAULT_WARM_AHEAD_BYTES);
        CloudConfig c = CloudMain.parse("--node-id", "cloud", "--data-dir", dir.toString(), "--http-port", "0",
                "--journal-warm-ahead", "1048576");
        try (CloudNode node = CloudNode.start(c)) {
            assertThat(((ChronicleJournal) node.core().store().journal()).options().warmAheadBytes()).isEqualTo(1L << 20);
        }
        assertThatThrownBy(() -> CloudMain.parse("--node-id", "cloud", "--journal-warm-ahead", "-2"))
                .hasMessage("--journal-warm-ahead must be >= 0 (0 = off), got -2");
    }

    @Test
    void badProjectionValuesNameTheirFlag() {
        assertThatThrownBy(() -> CloudMain.parse("--node-id", "cloud", "--twin-cache", "-5")).hasMessage("--twin-cache must be >= 0, got -5");
        assertThatThrownBy(() -> CloudMain.parse("--node-id", "cloud", "--projection-commit-twins", "-1"))
                .hasMessage("--projection-commit-twins must be >= 1, got -1");
    }
}
