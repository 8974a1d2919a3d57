package dev.edgetwin.log.chronicle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import dev.edgetwin.log.FsyncPolicy;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cycle file made before the roll: when it is made, what Chronicle does with it, what is cleaned up. */
class NextCycleFileTest {
    private static final long MIB = 1L << 20;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long MIDNIGHT = Instant.parse("2026-12-08T00:00:00Z").toEpochMilli();

    @TempDir
    Path tmp;

    @Test
    void chronicleWritesTheFilePreparedBeforeTheRoll() throws IOException {
        Path dir = Residency.diskFolder("next-cycle-");
        SetTimeProvider time = new SetTimeProvider(Instant.ofEpochMilli(MIDNIGHT - 60_000));
        NextCycleFile next = new NextCycleFile(RollCycles.FAST_DAILY, 0, time::currentTimeMillis, 0);
        File prepared = dir.resolve("20261208F" + NextCycleFile.READY).toFile();
        File tomorrow = dir.resolve("20261208F.cq4").toFile();
        try (PageWarmer warmer = new PageWarmer(4 * MIB, "t");
             SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir.toFile()).rollCycle(RollCycles.FAST_DAILY)
                     .timeProvider(time).storeFileListener(warmer).build();
             ExcerptAppender appender = queue.createAppender()) {
            warmer.prepareNextCycles(next);
            append(appender, warmer, "a minute before midnight");
            int looked = next.checks();
            await().atMost(WAIT).until(() -> next.checks() > looked + 1);
            assertFalse(prepared.exists(), "a minute ahead is too early");
            assertEquals(0, next.prepared());

            time.currentTimeMillis(MIDNIGHT - 2_000);
            await().atMost(WAIT).until(prepared::exists);
            assertEquals(4 * MIB, prepared.length());
            boolean[] cached = Residency.of(prepared);
            Residency.assertMostlyCached(cached, 0, cached.length, "the prepared file");
            Object inode = Files.getAttribute(prepared.toPath(), "unix:ino");
            assertFalse(tomorrow.exists());

            time.currentTimeMillis(MIDNIGHT + 1_000);
            append(appender, warmer, "a second after midnight");
            assertTrue(tomorrow.exists());
            assertFalse(prepared.exists(), "renamed by Chronicle");
            assertEquals(inode, Files.getAttribute(tomorrow.toPath(), "unix:ino"), "Chronicle writes the prepared file itself");
            assertEquals(1, next.prepared());

            List<String> read = new ArrayList<>();
            try (ExcerptTailer tailer = queue.createTailer()) {
                for (String s = tailer.readText(); s != null; s = tailer.readText()) read.add(s);
            }
            assertEquals(List.of("a minute before midnight", "a second after midnight"), read);
        } finally {
            deleteTree(dir);
        }
    }

    @Test
    void makesTheFileWithinTheLeadOnlyAndOnce() throws IOException {
        FileCache cache = cache();
        AtomicLong now = new AtomicLong(MIDNIGHT - 4_000);
        NextCycleFile next = new NextCycleFile(RollCycles.FAST_DAILY, 0, now::get, 0);
        Files.createFile(tmp.resolve("20261207F.cq4"));
        assertNull(next.prepare(tmp.toFile(), cache, MIB, cache::willNeed), "4 s before the roll: not yet");

        now.set(MIDNIGHT - 2_000);
        File made = next.prepare(tmp.toFile(), cache, MIB, cache::willNeed);
        assertEquals(tmp.resolve("20261208F.precreated").toFile(), made);
        assertEquals(MIB, made.length());
        assertFalse(Files.exists(tmp.resolve("20261208F" + NextCycleFile.MAKING)));
        assertNull(next.prepare(tmp.toFile(), cache, MIB, cache::willNeed), "already there");
        assertEquals(1, next.prepared());
    }

    @Test
    void makesTheCurrentCyclesFileWhenItHasNone() throws IOException {
        FileCache cache = cache();
        NextCycleFile next = new NextCycleFile(RollCycles.FAST_HOURLY, 0, () -> Instant.parse("2026-12-07T10:20:00Z").toEpochMilli(), 0);
        File made = next.prepare(tmp.toFile(), cache, MIB, cache::willNeed);
        assertNotNull(made, "an idle journal after a roll, or a new one: its next append goes to 10:00's file");
        assertEquals("20261207-10F" + NextCycleFile.READY, made.getName());
    }

    @Test
    void removesLeftoversAndLeavesOtherFilesAlone() throws IOException {
        FileCache cache = cache();
        for (String n : List.of("20261201F.precreated", "20261207F.precreating", "20261206F.cq4", "20261207F.cq4",
                "20261208F.precreated", "20261208F.cq4", "notes.precreated", "20261209F.precreated")) {
            Files.createFile(tmp.resolve(n));
        }
        NextCycleFile next = new NextCycleFile(RollCycles.FAST_DAILY, 0, () -> MIDNIGHT - 3_600_000, 0);
        assertNull(next.prepare(tmp.toFile(), cache, MIB, cache::willNeed), "today's file exists, the roll is an hour away");
        List<String> left;
        try (var s = Files.list(tmp)) {
            left = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        // gone: a past cycle's, a half-made one, one whose cycle file Chronicle made itself
        assertEquals(List.of("20261206F.cq4", "20261207F.cq4", "20261208F.cq4", "20261209F.precreated", "notes.precreated"), left);
    }

    @Test
    void aJournalPreparesItsNextCycleFileThroughItsWarmer() throws IOException {
        JournalOptions options = JournalOptions.DEFAULT.withFsync(FsyncPolicy.parse("never")).withWarmAhead(MIB);
        try (ChronicleJournal journal = ChronicleJournal.open(tmp.resolve("journal"), options)) {
            journal.append("edge-a", List.of(new dev.edgetwin.log.EntryDraft(1, "edge-a", 0, "", new byte[10])));
            NextCycleFile next = journal.pageWarmer().nextCycleFile();
            assertNotNull(next);
            await().atMost(WAIT).until(() -> next.checks() > 0); // it looks once the writer has a file
        }
        try (ChronicleJournal off = ChronicleJournal.open(tmp.resolve("off"), options.withWarmAhead(0))) {
            off.append("edge-a", List.of(new dev.edgetwin.log.EntryDraft(1, "edge-a", 0, "", new byte[10])));
            assertEquals(0, off.pageWarmer().nextCycleFile().checks(), "warming off: no thread looks");
        }
    }

    @Test
    void aJournalReopenedWithAnotherRollCycleNamesFilesAsItsQueueDoes() throws IOException {
        Path dir = tmp.resolve("journal");
        JournalOptions daily = JournalOptions.DEFAULT.withFsync(FsyncPolicy.parse("never")).withWarmAhead(MIB);
        try (ChronicleJournal journal = ChronicleJournal.open(dir, daily)) {
            journal.append("edge-a", List.of(new dev.edgetwin.log.EntryDraft(1, "edge-a", 0, "", new byte[10])));
        }
        // Chronicle keeps the roll cycle the queue was made with; a file named by the hourly cycle would never be taken
        try (ChronicleJournal journal = ChronicleJournal.open(dir, daily.withRollCycle(RollCycles.FAST_HOURLY))) {
            assertEquals(RollCycles.FAST_DAILY, journal.pageWarmer().nextCycleFile().roll());
        }
    }

    @Test
    void leftoversInAJournalFolderDisturbNothingAndGo() throws IOException {
        JournalOptions options = JournalOptions.DEFAULT.withFsync(FsyncPolicy.parse("never")).withWarmAhead(MIB);
        Path dir = tmp.resolve("journal");
        try (ChronicleJournal journal = ChronicleJournal.open(dir, options)) {
            journal.append("edge-a", List.of(new dev.edgetwin.log.EntryDraft(1, "edge-a", 0, "", new byte[10])));
        }
        Path segment = dir.resolve("seg-000000");
        // what a node killed while preparing leaves: a half-made file, and one made for a cycle long gone
        Files.write(segment.resolve("20200101F" + NextCycleFile.MAKING), new byte[4096]);
        Files.write(segment.resolve("20200102F" + NextCycleFile.READY), new byte[4096]);
        assertTrue(JournalVerifier.verify(dir).ok(), "the verifier reads cycle files only");
        try (ChronicleJournal journal = ChronicleJournal.open(dir, options)) {
            assertEquals(1, journal.nextSeq("edge-a"));
            assertEquals(0, journal.diskBytes() - diskBytesOfCycleFiles(segment), "the disk budget counts cycle files only");
            journal.append("edge-a", List.of(new dev.edgetwin.log.EntryDraft(2, "edge-a", 0, "", new byte[10])));
            await().atMost(WAIT).until(() -> !Files.exists(segment.resolve("20200101F" + NextCycleFile.MAKING))
                    && !Files.exists(segment.resolve("20200102F" + NextCycleFile.READY)));
            assertEquals(2, journal.nextSeq("edge-a"));
        }
        try (ChronicleJournal reopened = ChronicleJournal.open(dir, options)) {
            assertEquals(2, reopened.nextSeq("edge-a"));
        }
    }

    private static long diskBytesOfCycleFiles(Path segment) throws IOException {
        try (var s = Files.list(segment)) {
            long n = 0;
            for (Path p : s.filter(p -> p.toString().endsWith(".cq4")).toList()) n += Files.size(p);
            return n;
        }
    }

    private static void append(ExcerptAppender appender, PageWarmer warmer, String text) {
        appender.writeText(text);
        warmer.wrote(appender.cycle(), appender.wire().bytes().writePosition());
    }

    private static FileCache cache() throws IOException {
        assumeTrue(Platform.isLinux() && Native.LONG_SIZE == 8, "64-bit Linux");
        return FileCache.load();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) Files.deleteIfExists(p);
        }
    }
}
