package dev.edgetwin.log.chronicle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.edgetwin.log.EntryDraft;
import dev.edgetwin.log.FsyncPolicy;
import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's page warmer: how far it reads, what it follows, what it leaves alone. */
class PageWarmerTest {
    private static final long MIB = 1L << 20;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    @Test
    void readsAheadOfTheWritePositionWithinTheFile() throws IOException {
        try (PageWarmer warmer = warmedFromStart(sparse("20261207F.cq4", 40 * MIB), 8 * MIB)) {
            warmer.wrote(7, 20 * MIB + 100); // well past half the distance: woken, reads on from the byte written
            await().atMost(WAIT).until(() -> warmer.warmTo() == 28 * MIB + 100);

            warmer.wrote(7, 38 * MIB); // near the end: stops at the file's length
            await().atMost(WAIT).until(() -> warmer.warmTo() == 40 * MIB);
            assertEquals(8 * MIB + 8 * MIB + 2 * MIB, warmer.warmedBytes(),
                    "each byte read once: 0..8 MiB, 20M+100..28M+100, 38..40 MiB");
        }
    }

    @Test
    void doesNotWakeForEveryWriteWhileFarFromTheEdge() throws IOException {
        try (PageWarmer warmer = warmedFromStart(sparse("20261207F.cq4", 40 * MIB), 8 * MIB)) {
            long wakes = warmer.wakes();
            for (long at = 4096; at <= 3 * MIB; at += 4096) warmer.wrote(7, at); // within the first half of what is warm
            assertEquals(wakes, warmer.wakes());
            warmer.wrote(7, 7 * MIB + 1); // past half (even if an idle tick read on to 11 MiB): woken
            assertEquals(wakes + 1, warmer.wakes());
            await().atMost(WAIT).until(() -> warmer.warmTo() == 15 * MIB + 1);
        }
    }

    @Test
    void followsTheWriterToTheNextCycleFile() throws IOException {
        File first = sparse("20261207F.cq4", 16 * MIB);
        File second = sparse("20261208F.cq4", 16 * MIB);
        try (PageWarmer warmer = new PageWarmer(4 * MIB, "t")) {
            warmer.onAcquired(1, first);
            warmer.wrote(1, 10 * MIB);
            await().atMost(WAIT).until(() -> warmer.warmTo() == 14 * MIB);
            warmer.onAcquired(2, second);
            warmer.wrote(2, 8192);
            await().atMost(WAIT).until(() -> warmer.warmTo() == 8192 + 4 * MIB);
        }
    }

    @Test
    void changesNothingInTheFile() throws IOException {
        File file = tmp.resolve("20261207F.cq4").toFile();
        byte[] content = new byte[3 * (int) MIB];
        new Random(7).nextBytes(content);
        Files.write(file.toPath(), content);
        try (PageWarmer warmer = new PageWarmer(8 * MIB, "t")) {
            warmer.onAcquired(3, file);
            warmer.wrote(3, 0);
            await().atMost(WAIT).until(() -> warmer.warmTo() == 3 * MIB);
        }
        assertArrayEquals(content, Files.readAllBytes(file.toPath()));
        assertEquals(3 * MIB, file.length());
    }

    @Test
    void aFileItCannotReadIsLeftAloneAndTheNextOneWarmed() throws IOException {
        File missing = tmp.resolve("gone.cq4").toFile();
        File good = sparse("20261208F.cq4", 8 * MIB);
        try (PageWarmer warmer = new PageWarmer(MIB, "t")) {
            warmer.onAcquired(1, missing);
            warmer.wrote(1, 0); // logged once; the writer never hears of it
            warmer.wrote(1, 4096);
            warmer.onAcquired(2, good);
            warmer.wrote(2, 0);
            await().atMost(WAIT).until(() -> warmer.warmTo() == MIB);
        }
    }

    @Test
    void theKernelCachesExactlyTheRangeAhead() throws IOException {
        Path dir = Residency.diskFolder("residency-");
        File file = dir.resolve("20261207F.cq4").toFile();
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
            raf.setLength(16 * MIB); // sparse and never read: nothing of it cached
        }
        try (PageWarmer warmer = new PageWarmer(4 * MIB, "t")) {
            warmer.onAcquired(7, file);
            warmer.wrote(7, 2 * MIB);
            await().atMost(WAIT).until(() -> warmer.warmTo() == 6 * MIB);
            boolean[] cached = Residency.of(file);
            assertEquals(16 * MIB / Residency.PAGE, cached.length);
            int page = (int) (MIB / Residency.PAGE);
            for (int p = 0; p < cached.length; p++) {
                if (p < 2 * page || p >= 6 * page) assertFalse(cached[p], "page " + p + " outside 2..6 MiB");
            }
            Residency.assertMostlyCached(cached, 2 * page, 6 * page, "2..6 MiB, ahead of the writer");
        } finally {
            Files.delete(file.toPath());
            Files.delete(dir);
        }
    }

    @Test
    void offStartsNoThreadAndReadsNothing() throws IOException {
        File file = sparse("20261207F.cq4", 8 * MIB);
        int before = Thread.activeCount();
        try (PageWarmer warmer = new PageWarmer(0, "off")) {
            warmer.onAcquired(1, file);
            warmer.wrote(1, 0);
            assertEquals(before, Thread.activeCount());
            assertEquals(0, warmer.warmTo());
            assertEquals(0, warmer.warmedBytes());
        }
        assertThrows(IllegalArgumentException.class, () -> new PageWarmer(-1, "t"));
        assertThrows(IllegalArgumentException.class, () -> JournalOptions.DEFAULT.withWarmAhead(-1));
    }

    @Test
    void aJournalWarmsAheadOfWhatItAppendedAndReadsBackUnchanged() throws IOException {
        JournalOptions options = JournalOptions.DEFAULT.withFsync(FsyncPolicy.parse("never")).withWarmAhead(4 * MIB);
        Path dir = tmp.resolve("journal");
        int entries = 20_000;
        byte[] payload = new byte[200];
        try (ChronicleJournal journal = ChronicleJournal.open(dir, options)) {
            PageWarmer warmer = journal.pageWarmer();
            List<EntryDraft> drafts = new ArrayList<>();
            for (int i = 0; i < entries; i++) {
                Arrays.fill(payload, (byte) i);
                drafts.add(new EntryDraft(1000 + i, "edge-a", 0, "", payload.clone()));
                if (drafts.size() == 500) {
                    journal.append("edge-a", drafts);
                    drafts = new ArrayList<>();
                }
            }
            // the writer reports real offsets in the cycle file: past everything appended, ahead by the distance
            long appended = (long) entries * payload.length;
            await().atMost(WAIT).until(() -> warmer.warmTo() >= appended + 4 * MIB);
            assertTrue(warmer.warmTo() <= 2 * appended + 4 * MIB + MIB, "warm to " + warmer.warmTo());
            try (JournalCursor c = journal.read("edge-a", 0)) {
                int n = 0;
                for (JournalEntry e = c.next(); e != null; e = c.next()) {
                    assertEquals(n, e.seq());
                    n++;
                }
                assertEquals(entries, n);
            }
        }
        try (ChronicleJournal reopened = ChronicleJournal.open(dir, options)) {
            assertEquals(entries, reopened.nextSeq("edge-a"));
        }
    }

    /** A warmer on {@code file} as cycle 7, the writer at offset 0, once it has read the first {@code ahead} bytes. */
    private static PageWarmer warmedFromStart(File file, long ahead) {
        PageWarmer warmer = new PageWarmer(ahead, "t");
        warmer.onAcquired(7, file);
        warmer.wrote(7, 0);
        await().atMost(WAIT).until(() -> warmer.warmTo() == ahead);
        return warmer;
    }

    private File sparse(String name, long length) throws IOException {
        File f = tmp.resolve(name).toFile();
        try (RandomAccessFile raf = new RandomAccessFile(f, "rw")) {
            raf.setLength(length);
        }
        return f;
    }
}
