package dev.edgetwin.bench.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.edgetwin.bench.EventCounter;
import dev.edgetwin.bench.Workload;
import dev.edgetwin.log.EntryCodec;
import dev.edgetwin.log.EntryDraft;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.model.EventCodec;
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
            assertThat(read).containsExactlyElementsOf(Arrays.asList(bench.entries).subList(0, 64));

            bench.closeQueue();
            assertThat(queueDir).doesNotExist();
        } finally {
            System.clearProperty("edgetwin.bench.dir");
        }
    }

    @Test
    void entriesAreTheJournalsOwnBytes() {
        List<Workload.TwinUpdate> updates = Workload.standard().updates(1_000);
        List<EntryDraft> drafts = TwinEntries.drafts(updates);
        byte[][] entries = TwinEntries.encoded(drafts);
        long prevHash = 0;
        for (int seq = 0; seq < entries.length; seq++) {
            assertThat(entries[seq].length).isBetween(100, 150);
            JournalEntry e = EntryCodec.decode(entries[seq]);
            assertThat(e.stream()).isEqualTo(TwinEntries.STREAM);
            assertThat(e.seq()).isEqualTo(seq);
            assertThat(e.prevHash()).isEqualTo(prevHash);
            assertThat(e.payload()).isEqualTo(drafts.get(seq).payload());
            assertThat(EventCodec.decode(e.payload())).isEqualTo(TwinEntries.event(updates.get(seq)));
            prevHash = e.hash();
        }
    }
}
