package dev.edgetwin.bench.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.edgetwin.bench.EventCounter;
import dev.edgetwin.bench.Workload;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/** The raw baseline really appends the entry bytes, one document each, and cleans up after itself. */
class RawChronicleAppendBenchmarkTest {
    @TempDir
    Path base;

    @Test
    void appendsEveryEntryVerbatim() throws Exception {
        System.setProperty("edgetwin.bench.dir", base.toString());
        try {
            RawChronicleAppendBenchmark bench = new RawChronicleAppendBenchmark();
            bench.batch = 16;
            bench.prepare();
            bench.openQueue();
            EventCounter counter = new EventCounter();
            for (int i = 0; i < 4; i++) bench.append(counter);
            assertThat(counter.events).isEqualTo(64);

            Path queueDir;
            try (Stream<Path> dirs = Files.list(base)) {
                queueDir = dirs.filter(p -> p.getFileName().toString().startsWith("raw-chronicle-")).findFirst().orElseThrow();
            }
            List<byte[]> read = new ArrayList<>();
            try (SingleChronicleQueue q = SingleChronicleQueueBuilder.binary(queueDir.toFile()).build();
                 ExcerptTailer t = q.createTailer()) {
                while (true) {
                    try (DocumentContext dc = t.readingDocument()) {
                        if (!dc.isPresent()) break;
                        read.add(dc.wire().bytes().toByteArray());
                    }
                }
            }
            assertThat(read).hasSize(64);
            for (int i = 0; i < 64; i++) assertThat(read.get(i)).isEqualTo(bench.entries[i]);

            bench.closeQueue();
            assertThat(queueDir).doesNotExist();
        } finally {
            System.clearProperty("edgetwin.bench.dir");
        }
    }

    @Test
    void sampleEntriesHaveTheSizeOfV1Entries() {
        byte[][] entries = SampleEntries.of(Workload.standard().updates(1_000));
        for (byte[] e : entries) {
            assertThat(e.length).isBetween(100, 150);
            // totalLength field (offset 6) agrees with the array, as in FORMAT.md v1
            int total = ((e[6] & 0xff) << 24) | ((e[7] & 0xff) << 16) | ((e[8] & 0xff) << 8) | (e[9] & 0xff);
            assertThat(total).isEqualTo(e.length);
        }
    }
}
