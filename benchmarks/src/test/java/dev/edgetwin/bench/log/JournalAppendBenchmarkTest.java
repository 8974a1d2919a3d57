package dev.edgetwin.bench.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.edgetwin.bench.EventCounter;
import dev.edgetwin.bench.Workload;
import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;

/** The journal benchmark appends, through the real journal, exactly the bytes the raw baseline appends. */
class JournalAppendBenchmarkTest {
    @TempDir
    Path base;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void journalWritesTheRawBaselinesBytes(boolean encodeEvents) throws Exception {
        System.setProperty("edgetwin.bench.dir", base.toString());
        try {
            JournalAppendBenchmark bench = new JournalAppendBenchmark();
            bench.batch = 16;
            bench.fsync = "never";
            bench.encodeEvents = encodeEvents;
            bench.prepare();
            bench.openJournal();
            EventCounter counter = new EventCounter();
            for (int i = 0; i < 4; i++) assertThat(bench.append(counter)).hasSize(16);
            assertThat(counter.events).isEqualTo(64);

            List<byte[]> written = new ArrayList<>();
            try (JournalCursor c = bench.journal.read(TwinEntries.STREAM, 0)) {
                for (JournalEntry e = c.next(); e != null; e = c.next()) written.add(e.bytes());
            }
            byte[][] raw = TwinEntries.encoded(TwinEntries.drafts(Workload.standard().updates(64)));
            assertThat(written).containsExactly(raw);

            bench.closeJournal();
            try (var left = Files.list(base)) {
                assertThat(left).isEmpty();
            }
        } finally {
            System.clearProperty("edgetwin.bench.dir");
        }
    }
}
