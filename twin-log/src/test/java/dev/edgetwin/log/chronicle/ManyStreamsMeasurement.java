package dev.edgetwin.log.chronicle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgetwin.log.EntryDraft;
import dev.edgetwin.log.FsyncPolicy;
import dev.edgetwin.log.JournalCursor;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resource use of one journal holding 2,000 streams (the cloud-node case): heap, open file
 * descriptors, files on disk, index size, and open time. Prints one line with the numbers;
 * asserts only correctness (speed and size are reported, not asserted).
 * Run: {@code ./mvnw -pl twin-log test -Dtest=ManyStreamsMeasurement -Dgroups=slow}
 */
@Tag("slow")
class ManyStreamsMeasurement {
    private static final Logger LOG = LoggerFactory.getLogger(ManyStreamsMeasurement.class);
    private static final int STREAMS = 2_000;
    private static final int PER_STREAM = 500;

    @TempDir
    Path dir;

    @Test
    void twoThousandStreams() throws Exception {
        long fdBefore = openFds();
        long heapBefore = usedHeap();
        byte[] payload = new byte[100];
        long t0 = System.nanoTime();
        try (ChronicleJournal j = ChronicleJournal.open(dir, JournalOptions.DEFAULT.withFsync(FsyncPolicy.DEFAULT))) {
            for (int round = 0; round < PER_STREAM / 10; round++) {
                for (int s = 0; s < STREAMS; s++) {
                    List<EntryDraft> batch = new ArrayList<>(10);
                    for (int k = 0; k < 10; k++) batch.add(new EntryDraft(round * 10L + k + 1, "cloud", 0, null, payload));
                    j.append("edge/e" + s, batch);
                }
            }
            long appendNs = System.nanoTime() - t0;
            long total = (long) STREAMS * PER_STREAM;
            report("after append", j, fdBefore, heapBefore, total, appendNs);
        }
        long t1 = System.nanoTime();
        try (ChronicleJournal j = ChronicleJournal.open(dir)) {
            long openMs = (System.nanoTime() - t1) / 1_000_000;
            assertThat(j.streams()).hasSize(STREAMS);
            assertThat(j.nextSeq("edge/e1999")).isEqualTo(PER_STREAM);
            try (JournalCursor c = j.read("edge/e1234", 250)) {
                assertThat(c.next().seq()).isEqualTo(250);
            }
            LOG.info("MEASURE reopen+verify of {} entries: {} ms", (long) STREAMS * PER_STREAM, openMs);
            report("after reopen", j, fdBefore, heapBefore, (long) STREAMS * PER_STREAM, 0);
        }
    }

    private void report(String when, ChronicleJournal j, long fdBefore, long heapBefore, long entries, long appendNs) throws IOException {
        long files;
        long bytes;
        try (Stream<Path> s = Files.walk(dir)) {
            List<File> l = s.map(Path::toFile).filter(File::isFile).toList();
            files = l.size();
            bytes = l.stream().mapToLong(File::length).sum();
        }
        String du = duKiB(dir);
        LOG.info("MEASURE {}: {} streams, {} entries, heap used +{} MB, index {} MB, fds +{}, files {}, apparent size {} MB, du {} KiB{}",
                when, STREAMS, entries, (usedHeap() - heapBefore) >> 20, j.indexBytes() >> 20, openFds() - fdBefore, files,
                bytes >> 20, du, appendNs > 0 ? String.format(", append %.0f k entries/s", entries / (appendNs / 1e9) / 1e3) : "");
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) System.gc();
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    private static String duKiB(Path p) {
        try {
            Process pr = new ProcessBuilder("du", "-sk", p.toString()).redirectErrorStream(true).start();
            String out = new String(pr.getInputStream().readAllBytes()).trim();
            pr.waitFor();
            return out.split("\\s+")[0];
        } catch (Exception e) {
            return "?";
        }
    }
}
