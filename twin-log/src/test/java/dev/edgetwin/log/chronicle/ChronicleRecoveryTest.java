package dev.edgetwin.log.chronicle;

import static dev.edgetwin.log.JournalContractTest.drafts;
import static dev.edgetwin.log.JournalContractTest.drain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgetwin.log.FsyncPolicy;
import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.JournalException;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reopen, torn tails, corruption in the middle, fsync policies: against real Chronicle files. */
class ChronicleRecoveryTest {
    private static final JournalOptions OPTIONS = JournalOptions.DEFAULT.withFsync(FsyncPolicy.parse("never"));

    @TempDir
    Path dir;

    /** Writes 3 streams interleaved, 30 entries in all; returns them in append order. */
    private List<JournalEntry> fill(ChronicleJournal j) {
        List<JournalEntry> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            all.addAll(j.append("edge/a", drafts(i * 3L, 1)));
            all.addAll(j.append("edge/b", drafts(i * 3L + 1, 1)));
            all.addAll(j.append("cloud/a", drafts(i * 3L + 2, 1)));
        }
        return all;
    }

    private List<JournalEntry> readAll(ChronicleJournal j) {
        try (JournalCursor c = j.readAll()) {
            return drain(c);
        }
    }

    @Test
    void reopenKeepsEntriesSeqsHashesAndMaxHlc() {
        List<JournalEntry> written;
        long hashA;
        try (ChronicleJournal j = ChronicleJournal.open(dir, OPTIONS)) {
            written = fill(j);
            hashA = j.lastHash("edge/a");
        }
        try (ChronicleJournal j = ChronicleJournal.open(dir, OPTIONS)) {
            assertThat(readAll(j)).containsExactlyElementsOf(written);
            assertThat(j.nextSeq("edge/a")).isEqualTo(10);
            assertThat(j.lastHash("edge/a")).isEqualTo(hashA);
            assertThat(j.maxHlc()).isEqualTo(29);
            assertThat(j.streams()).containsExactlyInAnyOrder("edge/a", "edge/b", "cloud/a");
            try (JournalCursor c = j.read("edge/b", 7)) {
                assertThat(drain(c)).extracting(JournalEntry::seq).containsExactly(7L, 8L, 9L);
            }
            JournalEntry next = j.append("edge/a", drafts(100, 1)).get(0);
            assertThat(next.seq()).isEqualTo(10);
            assertThat(next.prevHash()).isEqualTo(hashA);
            assertThat(j.segmentCount()).isEqualTo(1);
        }
        assertThat(JournalVerifier.verify(dir).ok()).isTrue();
        assertThat(JournalVerifier.verify(dir).entries()).isEqualTo(31);
    }

    @Test
    void garbageOverTheLastEntriesIsCutAndAppendsContinue() throws Exception {
        List<JournalEntry> written;
        try (ChronicleJournal j = ChronicleJournal.open(dir, OPTIONS)) {
            written = fill(j);
        }
        File f = JournalFiles.cycleFile(dir, 0);
        List<Long> offsets = JournalFiles.entryOffsets(f);
        assertThat(offsets).hasSize(30);
        byte[] junk = new byte[300]; // from the middle of entry 28 over entry 29 and beyond
        new Random(3).nextBytes(junk);
        JournalFiles.write(f, offsets.get(28) + 20, junk);
        assertThat(JournalVerifier.verify(dir).tornTail()).isTrue();

        try (ChronicleJournal j = ChronicleJournal.open(dir, OPTIONS)) {
            assertThat(j.segmentCount()).isEqualTo(2);
            assertThat(readAll(j)).containsExactlyElementsOf(written.subList(0, 28));
            assertThat(j.nextSeq("edge/b")).isEqualTo(9); // entry 28 was edge/b@9
            assertThat(j.nextSeq("cloud/a")).isEqualTo(9);
            List<JournalEntry> more = j.append("edge/b", drafts(500, 2));
            assertThat(more.get(0).seq()).isEqualTo(9);
            assertThat(more.get(0).prevHash()).isEqualTo(written.get(25).hash());
            try (JournalCursor c = j.read("edge/b", 7)) {
                assertThat(drain(c)).extracting(JournalEntry::seq).containsExactly(7L, 8L, 9L, 10L);
            }
        }
        try (ChronicleJournal j = ChronicleJournal.open(dir, OPTIONS)) { // the cut is stable across reopen
            assertThat(j.segmentCount()).isEqualTo(2);
            List<JournalEntry> all = readAll(j);
            assertThat(all).hasSize(30);
            // resuming after any entry crosses from the sealed segment into the new one, skipping the cut tail
            for (int at = 0; at < all.size(); at++) {
                try (JournalCursor c = j.readAllAfter(all.get(at).stream(), all.get(at).seq())) {
                    assertThat(drain(c)).containsExactlyElementsOf(all.subList(at + 1, all.size()));
                }
            }
            assertThat(j.nextSeq("edge/b")).isEqualTo(11);
        }
        assertThat(JournalVerifier.verify(dir).ok()).isTrue();
    }

    @Test
    void junkAfterTheLastEntryIsCut() throws Exception {
        List<JournalEntry> written;
        try (ChronicleJournal j = ChronicleJournal.open(dir, OPTIONS)) {
            written = fill(j);
        }
        File f = JournalFiles.cycleFile(dir, 0);
        long last = JournalFiles.entryOffsets(f).get(29);
        long end = CycleFileScan.align(last + JournalFiles.entryLength(f, last));
        byte[] junk = new byte[64];
        Arrays.fill(junk, (byte) 0x7F);
        JournalFiles.write(f, end, junk);
        try (ChronicleJournal j = ChronicleJournal.open(dir, OPTIONS)) {
            assertThat(readAll(j)).containsExactlyElementsOf(written);
            assertThat(j.segmentCount()).isEqualTo(2);
            assertThat(j.append("edge/a", drafts(99, 1)).get(0).seq()).isEqualTo(10);
            assertThat(readAll(j)).hasSize(31);
        }
    }

    @Test
    void halfWrittenEntryOfAKilledWriterIsNeverSeenAndIsCut() throws Exception {
        List<JournalEntry> written;
        try (ChronicleJournal j = ChronicleJournal.open(dir, OPTIONS)) {
            written = fill(j);
        }
        // what a writer killed inside writingDocument() leaves: a header still marked
        // "not complete", followed by (part of) a perfectly valid entry
        File f = JournalFiles.cycleFile(dir, 0);
        long last = JournalFiles.entryOffsets(f).get(29);
        long end = CycleFileScan.align(last + JournalFiles.entryLength(f, last));
        byte[] entry = drafts(0, 1).stream().map(d -> dev.edgetwin.log.EntryCodec.encode("edge/a", 10, 77, "node-a", 0, "",
                written.get(27).hash(), d.payload())).findFirst().orElseThrow();
        JournalFiles.write(f, end, new byte[]{0, 0, 0, (byte) 0x80});
        JournalFiles.write(f, end + 4, entry);
        try (ChronicleJournal j = ChronicleJournal.open(dir, OPTIONS)) {
            assertThat(readAll(j)).containsExactlyElementsOf(written);
            assertThat(j.nextSeq("edge/a")).isEqualTo(10);
            assertThat(j.maxHlc()).isEqualTo(29);
            assertThat(j.append("edge/a", drafts(99, 1)).get(0).hlc()).isEqualTo(99);
        }
    }

    @Test
    void truncatedTailIsCut() throws Exception {
        List<JournalEntry> written;
        try (ChronicleJournal j = ChronicleJournal.open(dir, OPTIONS)) {
            written = fill(j);
        }
        File f = JournalFiles.cycleFile(dir, 0);
        long last = JournalFiles.entryOffsets(f).get(29);
        JournalFiles.truncate(f, last + 30); // the file ends inside the last entry
        try (ChronicleJournal j = ChronicleJournal.open(dir, OPTIONS)) {
            assertThat(readAll(j)).containsExactlyElementsOf(written.subList(0, 29));
            assertThat(j.nextSeq("cloud/a")).isEqualTo(9);
            assertThat(j.append("cloud/a", drafts(99, 1)).get(0).seq()).isEqualTo(9);
        }
    }

    @Test
    void garbageInTheMiddleFailsOpenAndVerifyNamesThePosition() throws Exception {
        try (ChronicleJournal j = ChronicleJournal.open(dir, OPTIONS)) {
            fill(j);
        }
        File f = JournalFiles.cycleFile(dir, 0);
        long tenth = JournalFiles.entryOffsets(f).get(10);
        JournalFiles.write(f, tenth + 40, new byte[]{1, 2, 3, 4, 5, 6, 7, 8});
        assertThatThrownBy(() -> ChronicleJournal.open(dir, OPTIONS))
                .isInstanceOfSatisfying(JournalException.class, e -> {
                    assertThat(e.code()).isEqualTo("journal:corrupt");
                    assertThat(e.getMessage()).contains("edge/a@3").contains("valid entry follows");
                });
        JournalVerifier.Report r = JournalVerifier.verify(dir);
        assertThat(r.ok()).isFalse();
        assertThat(r.tornTail()).isFalse();
        assertThat(r.entries()).isEqualTo(10);
        assertThat(r.firstProblem()).contains("segment 0").contains("edge/a@3").contains("journal:");
        assertThat(JournalFiles.entryOffsets(f)).hasSize(30); // nothing was cut
    }

    @Test
    void damagedHeaderInTheMiddleFailsOpen() throws Exception {
        try (ChronicleJournal j = ChronicleJournal.open(dir, OPTIONS)) {
            fill(j);
        }
        File f = JournalFiles.cycleFile(dir, 0);
        long tenth = JournalFiles.entryOffsets(f).get(10);
        JournalFiles.write(f, tenth - 4, new byte[]{(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        assertThatThrownBy(() -> ChronicleJournal.open(dir, OPTIONS))
                .hasFieldOrPropertyWithValue("code", "journal:corrupt");
        assertThat(JournalVerifier.verify(dir).firstProblem()).contains("edge/a@3");
    }

    @Test
    void fsyncPolicies() {
        try (ChronicleJournal j = ChronicleJournal.open(dir.resolve("always"), JournalOptions.DEFAULT.withFsync(FsyncPolicy.parse("always")))) {
            long before = j.fsyncCount();
            j.append("edge/a", drafts(0, 2));
            j.append("edge/a", drafts(2, 1));
            assertThat(j.fsyncCount()).isEqualTo(before + 2);
        }
        try (ChronicleJournal j = ChronicleJournal.open(dir.resolve("interval"), JournalOptions.DEFAULT.withFsync(FsyncPolicy.parse("interval:20")))) {
            j.append("edge/a", drafts(0, 1));
            org.awaitility.Awaitility.await().until(() -> j.fsyncCount() >= 1);
        }
        try (ChronicleJournal j = ChronicleJournal.open(dir.resolve("never"), OPTIONS)) {
            j.append("edge/a", drafts(0, 1));
            assertThat(j.fsyncCount()).isZero();
            j.sync();
            assertThat(j.fsyncCount()).isEqualTo(1);
        }
    }

    @Test
    void closedJournalRefusesWork() {
        ChronicleJournal j = ChronicleJournal.open(dir, OPTIONS);
        j.close();
        assertThatThrownBy(() -> j.append("edge/a", drafts(0, 1))).hasFieldOrPropertyWithValue("code", "journal:closed");
        assertThatThrownBy(j::readAll).hasFieldOrPropertyWithValue("code", "journal:closed");
    }
}
