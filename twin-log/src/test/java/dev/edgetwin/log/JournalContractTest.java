package dev.edgetwin.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Journal} must have. Subclasses supply fresh journals; the
 * Chronicle journal and the in-memory fake both run it.
 */
public abstract class JournalContractTest {
    private final List<Journal> opened = new ArrayList<>();

    /** A new, empty journal; each call returns an independent one. */
    protected abstract Journal createJournal();

    protected Journal newJournal() {
        Journal j = createJournal();
        opened.add(j);
        return j;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(Journal::close);
    }

    public static EntryDraft draft(long hlc, String text) {
        return new EntryDraft(hlc, "node-a", 1_700_000_000_000L + hlc, "tok-" + hlc, text.getBytes(StandardCharsets.UTF_8));
    }

    public static List<EntryDraft> drafts(long fromHlc, int n) {
        List<EntryDraft> l = new ArrayList<>();
        for (int i = 0; i < n; i++) l.add(draft(fromHlc + i, "event " + (fromHlc + i)));
        return l;
    }

    public static List<JournalEntry> drain(JournalCursor c) {
        List<JournalEntry> l = new ArrayList<>();
        for (JournalEntry e = c.next(); e != null; e = c.next()) l.add(e);
        return l;
    }

    protected static List<byte[]> bytesOf(List<JournalEntry> entries) {
        return entries.stream().map(JournalEntry::bytes).toList();
    }

    @Test
    void emptyJournal() {
        Journal j = newJournal();
        assertThat(j.nextSeq("edge/a")).isZero();
        assertThat(j.lastHash("edge/a")).isZero();
        assertThat(j.streams()).isEmpty();
        assertThat(j.maxHlc()).isZero();
        try (JournalCursor c = j.readAll()) {
            assertThat(c.next()).isNull();
        }
    }

    @Test
    void appendAssignsDenseSeqsAndChainsHashes() {
        Journal j = newJournal();
        List<JournalEntry> first = j.append("edge/a", drafts(10, 3));
        List<JournalEntry> second = j.append("edge/a", drafts(13, 2));
        assertThat(first).extracting(JournalEntry::seq).containsExactly(0L, 1L, 2L);
        assertThat(second).extracting(JournalEntry::seq).containsExactly(3L, 4L);
        assertThat(first.get(0).prevHash()).isZero();
        List<JournalEntry> all = new ArrayList<>(first);
        all.addAll(second);
        for (int i = 1; i < all.size(); i++) assertThat(all.get(i).prevHash()).isEqualTo(all.get(i - 1).hash());
        assertThat(j.nextSeq("edge/a")).isEqualTo(5);
        assertThat(j.lastHash("edge/a")).isEqualTo(all.get(4).hash());
        assertThat(j.maxHlc()).isEqualTo(14);
        assertThat(j.streams()).containsExactly("edge/a");
        JournalEntry e = all.get(2);
        assertThat(EntryCodec.decode(e.bytes())).isEqualTo(e);
        assertThat(new String(e.payload(), StandardCharsets.UTF_8)).isEqualTo("event 12");
        assertThat(e.clientToken()).isEqualTo("tok-12");
        assertThat(j.append("edge/a", List.of())).isEmpty();
    }

    @Test
    void readSeeksToAnySeqAndReadAllKeepsAppendOrder() {
        Journal j = newJournal();
        Random r = new Random(7);
        List<JournalEntry> written = new ArrayList<>();
        String[] streams = {"edge/a", "edge/b", "cloud/a"};
        for (int i = 0; i < 200; i++) {
            written.addAll(j.append(streams[r.nextInt(3)], drafts(i * 10L, 1 + r.nextInt(3))));
        }
        try (JournalCursor all = j.readAll()) {
            assertThat(drain(all)).containsExactlyElementsOf(written);
        }
        for (String s : streams) {
            List<JournalEntry> mine = written.stream().filter(e -> e.stream().equals(s)).toList();
            assertThat(j.nextSeq(s)).isEqualTo(mine.size());
            for (int k = 0; k < 20; k++) {
                int from = r.nextInt(mine.size() + 1);
                try (JournalCursor c = j.read(s, from)) {
                    assertThat(drain(c)).containsExactlyElementsOf(mine.subList(from, mine.size()));
                }
            }
        }
        assertThat(j.streams()).containsExactlyInAnyOrder(streams);
    }

    @Test
    void readAllAfterAnEntryContinuesInAppendOrderAndTails() {
        Journal j = newJournal();
        Random r = new Random(11);
        List<JournalEntry> written = new ArrayList<>();
        String[] streams = {"edge/a", "edge/b", "cloud/a"};
        for (int i = 0; i < 100; i++) {
            written.addAll(j.append(streams[r.nextInt(3)], drafts(i * 10L, 1 + r.nextInt(3))));
        }
        for (int k = 0; k < 30; k++) {
            int at = r.nextInt(written.size());
            JournalEntry e = written.get(at);
            try (JournalCursor c = j.readAllAfter(e.stream(), e.seq())) {
                assertThat(drain(c)).containsExactlyElementsOf(written.subList(at + 1, written.size()));
            }
        }
        JournalEntry last = written.get(written.size() - 1);
        try (JournalCursor c = j.readAllAfter(last.stream(), last.seq())) {
            assertThat(c.next()).isNull();
            List<JournalEntry> more = j.append("edge/new", drafts(5000, 2));
            assertThat(drain(c)).containsExactlyElementsOf(more);
        }
    }

    @Test
    void readAllAfterAnEntryNotHeldIsRefused() {
        Journal j = newJournal();
        j.append("edge/a", drafts(0, 3));
        for (Runnable bad : List.<Runnable>of(() -> j.readAllAfter("edge/a", 3), () -> j.readAllAfter("edge/a", -1),
                () -> j.readAllAfter("edge/nope", 0))) {
            assertThatThrownBy(bad::run).isInstanceOfSatisfying(JournalException.class,
                    e -> assertThat(e.code()).isEqualTo("journal:position.notfound"));
        }
    }

    @Test
    void readBeyondTheEndWaitsForNewEntries() {
        Journal j = newJournal();
        j.append("edge/a", drafts(0, 2));
        try (JournalCursor c = j.read("edge/a", 3); JournalCursor other = j.read("edge/new", 0)) {
            assertThat(c.next()).isNull();
            assertThat(other.next()).isNull();
            j.append("edge/a", drafts(2, 2));
            j.append("edge/new", drafts(100, 1));
            assertThat(c.next().seq()).isEqualTo(3);
            assertThat(c.next()).isNull();
            assertThat(other.next().hlc()).isEqualTo(100);
        }
    }

    @Test
    void cursorTailsAppendsFromAnotherThread() throws Exception {
        Journal j = newJournal();
        int total = 500;
        List<JournalEntry> seen = new CopyOnWriteArrayList<>();
        List<JournalEntry> seenAll = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try (JournalCursor c = j.read("edge/a", 0); JournalCursor all = j.readAll()) {
                while (!stop.get()) {
                    JournalEntry e = c.next();
                    JournalEntry a = all.next();
                    if (e != null) seen.add(e);
                    if (a != null) seenAll.add(a);
                    if (e == null && a == null) Thread.onSpinWait();
                }
            }
        }, "tail-reader");
        reader.start();
        List<JournalEntry> written = new ArrayList<>();
        for (int i = 0; i < total / 5; i++) {
            written.addAll(j.append("edge/a", drafts(i * 5L, 5)));
            j.append("edge/b", drafts(i, 1));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == total && seenAll.size() == total + total / 5);
        stop.set(true);
        reader.join();
        assertThat(seen).containsExactlyElementsOf(written);
    }

    @Test
    void replicaAppendIsVerbatim() {
        Journal source = newJournal();
        Journal replica = newJournal();
        List<JournalEntry> written = source.append("edge/a", drafts(1, 10));
        List<JournalEntry> first = replica.appendReplica("edge/a", bytesOf(written.subList(0, 4)));
        List<JournalEntry> rest = replica.appendReplica("edge/a", bytesOf(written.subList(4, 10)));
        assertThat(first).containsExactlyElementsOf(written.subList(0, 4));
        assertThat(rest).containsExactlyElementsOf(written.subList(4, 10));
        assertThat(replica.nextSeq("edge/a")).isEqualTo(10);
        assertThat(replica.lastHash("edge/a")).isEqualTo(source.lastHash("edge/a"));
        assertThat(replica.maxHlc()).isEqualTo(10);
        try (JournalCursor c = replica.read("edge/a", 0)) {
            List<JournalEntry> read = drain(c);
            for (int i = 0; i < 10; i++) assertThat(read.get(i).bytes()).containsExactly(written.get(i).bytes());
        }
        // the replica continues the chain with local appends to another stream and more replica entries
        replica.append("cloud/a", drafts(50, 1));
        replica.appendReplica("edge/a", bytesOf(source.append("edge/a", drafts(11, 1))));
        assertThat(replica.nextSeq("edge/a")).isEqualTo(11);
    }

    @Test
    void replicaRejectionsCarryCodesAndAppendNothing() {
        Journal source = newJournal();
        Journal replica = newJournal();
        List<JournalEntry> w = source.append("edge/a", drafts(1, 6));
        replica.appendReplica("edge/a", bytesOf(w.subList(0, 2)));
        long hash = replica.lastHash("edge/a");

        byte[] badCrc = w.get(3).bytes().clone();
        badCrc[badCrc.length - 6] ^= 1;
        byte[] forged = EntryCodec.encode("edge/a", 3, 4, "node-a", 0, "", 12345L, new byte[]{1});
        JournalEntry other = newJournal().append("edge/b", drafts(1, 3)).get(2);

        assertRejected(replica, "journal:gap", List.of(w.get(3).bytes()));
        assertRejected(replica, "journal:duplicate", List.of(w.get(1).bytes()));
        assertRejected(replica, "journal:crc", List.of(w.get(2).bytes(), badCrc));
        assertRejected(replica, "journal:format", List.of(w.get(2).bytes(), new byte[]{1, 2, 3}));
        assertRejected(replica, "journal:chain", List.of(w.get(2).bytes(), forged));
        assertRejected(replica, "journal:gap", List.of(w.get(2).bytes(), w.get(4).bytes()));
        assertRejected(replica, "journal:stream.mismatch", List.of(w.get(2).bytes(), other.bytes()));
        assertThatThrownBy(() -> replica.appendReplica("edge/b", List.of(w.get(2).bytes())))
                .hasFieldOrPropertyWithValue("code", "journal:stream.mismatch");

        assertThat(replica.nextSeq("edge/a")).isEqualTo(2);
        assertThat(replica.lastHash("edge/a")).isEqualTo(hash);
        assertThat(replica.streams()).containsExactly("edge/a");
        try (JournalCursor c = replica.readAll()) {
            assertThat(drain(c)).hasSize(2);
        }
        replica.appendReplica("edge/a", bytesOf(w.subList(2, 6)));
        assertThat(replica.nextSeq("edge/a")).isEqualTo(6);
    }

    private static void assertRejected(Journal j, String code, List<byte[]> batch) {
        assertThatThrownBy(() -> j.appendReplica("edge/a", batch))
                .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void decodedReplicaEntriesAreAppendedVerbatimAfterTheSameChecks() {
        Journal source = newJournal();
        Journal replica = newJournal();
        List<JournalEntry> w = source.append("edge/a", drafts(1, 8));
        List<JournalEntry> decoded = w.stream().map(e -> EntryCodec.decode(e.bytes().clone())).toList();
        assertThat(replica.appendReplicaEntries("edge/a", decoded.subList(0, 2))).containsExactlyElementsOf(w.subList(0, 2));
        long hash = replica.lastHash("edge/a");

        byte[] badCrc = w.get(3).bytes().clone();
        badCrc[badCrc.length - 6] ^= 1;
        JournalEntry crcView = new JournalEntry("edge/a", 3, 4, "node-a", 0, "", w.get(3).prevHash(), w.get(3).hash(), new byte[0], badCrc);
        JournalEntry forged = EntryCodec.decode(EntryCodec.encode("edge/a", 2, 3, "node-a", 0, "", 12345L, new byte[]{1}));
        JournalEntry other = EntryCodec.decode(newJournal().append("edge/b", drafts(1, 3)).get(2).bytes());
        JournalEntry e2 = decoded.get(2);
        // a decoded view that does not match its bytes: the index would disagree with the journal
        JournalEntry lyingHash = new JournalEntry(e2.stream(), e2.seq(), e2.hlc(), e2.origin(), e2.wallTime(), e2.clientToken(),
                e2.prevHash(), e2.hash() + 1, e2.payload(), e2.bytes());
        JournalEntry lyingStream = new JournalEntry("edge/a", 2, e2.hlc(), "node-a", 0, "", e2.prevHash(), e2.hash(), e2.payload(),
                EntryCodec.encode("edge/x", 2, e2.hlc(), "node-a", 0, "", e2.prevHash(), e2.payload()));

        assertRejectedDecoded(replica, "journal:gap", List.of(decoded.get(3)));
        assertRejectedDecoded(replica, "journal:duplicate", List.of(decoded.get(1)));
        assertRejectedDecoded(replica, "journal:crc", List.of(decoded.get(2), crcView));
        assertRejectedDecoded(replica, "journal:chain", List.of(forged));
        assertRejectedDecoded(replica, "journal:gap", List.of(decoded.get(2), decoded.get(4)));
        assertRejectedDecoded(replica, "journal:stream.mismatch", List.of(decoded.get(2), other));
        assertRejectedDecoded(replica, "journal:format", List.of(lyingHash));
        assertRejectedDecoded(replica, "journal:stream.mismatch", List.of(lyingStream));

        assertThat(replica.nextSeq("edge/a")).isEqualTo(2);
        assertThat(replica.lastHash("edge/a")).isEqualTo(hash);
        try (JournalCursor c = replica.readAll()) {
            assertThat(drain(c)).hasSize(2);
        }
        replica.appendReplicaEntries("edge/a", decoded.subList(2, 8));
        assertThat(replica.nextSeq("edge/a")).isEqualTo(8);
        assertThat(replica.lastHash("edge/a")).isEqualTo(source.lastHash("edge/a"));
        try (JournalCursor c = replica.read("edge/a", 0)) {
            List<JournalEntry> read = drain(c);
            for (int i = 0; i < 8; i++) assertThat(read.get(i).bytes()).containsExactly(w.get(i).bytes());
        }
    }

    private static void assertRejectedDecoded(Journal j, String code, List<JournalEntry> batch) {
        assertThatThrownBy(() -> j.appendReplicaEntries("edge/a", batch))
                .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void invalidLocalBatchAppendsNothing() {
        Journal j = newJournal();
        j.append("edge/a", drafts(0, 1));
        List<EntryDraft> batch = new ArrayList<>(drafts(1, 2));
        batch.add(new EntryDraft(3, "", 0, null, new byte[0]));
        assertThatThrownBy(() -> j.append("edge/a", batch)).hasFieldOrPropertyWithValue("code", "journal:entry.invalid");
        assertThatThrownBy(() -> j.append("", drafts(0, 1))).hasFieldOrPropertyWithValue("code", "journal:entry.invalid");
        assertThatThrownBy(() -> j.append("edge/a", List.of(new EntryDraft(1, "n", 0, null, new byte[2 << 20]))))
                .hasFieldOrPropertyWithValue("code", "journal:entry.too_large");
        assertThat(j.nextSeq("edge/a")).isEqualTo(1);
        try (JournalCursor c = j.readAll()) {
            assertThat(drain(c)).hasSize(1);
        }
    }

    @Test
    void readAllAfterSkipsEntriesSupersededByASnapshotAndRefusesTheirPositions() {
        Journal source = newJournal();
        List<JournalEntry> a = source.append("edge/a", drafts(1, 10));
        Journal replica = newJournal();
        List<JournalEntry> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            replica.appendReplica("edge/a", bytesOf(a.subList(i, i + 1)));
            mine.addAll(replica.append("cloud/a", drafts(100 + i, 1)));
        }
        // the replica jumps to seq 6: edge/a 0..2 stay where they were appended, superseded
        replica.installSnapshot(new JournalSnapshot("edge/a", 6, a.get(5).hash(), List.of(a.get(2), a.get(5))));
        replica.appendReplica("edge/a", bytesOf(a.subList(6, 10)));
        mine.addAll(replica.append("cloud/a", drafts(200, 1)));

        List<JournalEntry> expected = new ArrayList<>(mine.subList(1, 3));
        expected.addAll(a.subList(6, 10));
        expected.add(mine.get(3));
        try (JournalCursor c = replica.readAllAfter("cloud/a", 0)) {
            assertThat(drain(c)).containsExactlyElementsOf(expected);
        }
        try (JournalCursor c = replica.readAllAfter("edge/a", 6)) {
            assertThat(drain(c)).containsExactly(a.get(7), a.get(8), a.get(9), mine.get(3));
        }
        for (long below : new long[]{0, 2, 5}) {
            assertThatThrownBy(() -> replica.readAllAfter("edge/a", below)).isInstanceOfSatisfying(JournalException.class,
                    e -> assertThat(e.code()).isEqualTo("journal:trimmed"));
        }
        assertThatThrownBy(() -> replica.readAllAfter("edge/a", 10)).isInstanceOfSatisfying(JournalException.class,
                e -> assertThat(e.code()).isEqualTo("journal:position.notfound"));
    }

    @Test
    void anInstalledSnapshotStartsTheReplicaAtItsBase() {
        Journal source = newJournal();
        List<JournalEntry> all = source.append("edge/a", drafts(1, 10));
        Journal replica = newJournal();
        replica.appendReplica("edge/a", bytesOf(all.subList(0, 3)));
        JournalSnapshot snap = new JournalSnapshot("edge/a", 6, all.get(5).hash(), List.of(all.get(1), all.get(4)));
        replica.installSnapshot(snap);
        assertThat(replica.firstSeq("edge/a")).isEqualTo(6);
        assertThat(replica.nextSeq("edge/a")).isEqualTo(6);
        assertThat(replica.lastHash("edge/a")).isEqualTo(all.get(5).hash());
        assertThat(replica.baseHash("edge/a")).isEqualTo(all.get(5).hash());
        assertThat(replica.snapshot("edge/a")).contains(snap);
        assertThat(replica.streams()).contains("edge/a");
        assertThatThrownBy(() -> replica.installSnapshot(snap)).isInstanceOfSatisfying(JournalException.class,
                e -> assertThat(e.code()).isEqualTo("journal:snapshot.stale"));
        assertThatThrownBy(() -> replica.appendReplica("edge/a", bytesOf(all.subList(5, 7)))).isInstanceOfSatisfying(JournalException.class,
                e -> assertThat(e.code()).isEqualTo("journal:duplicate"));
        replica.appendReplica("edge/a", bytesOf(all.subList(6, 10)));
        try (JournalCursor c = replica.read("edge/a", 6)) {
            assertThat(drain(c)).containsExactlyElementsOf(all.subList(6, 10));
        }
        assertThatThrownBy(() -> {
            try (JournalCursor c = replica.read("edge/a", 2)) {
                c.next();
            }
        }).isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo("journal:trimmed"));
        try (JournalCursor c = replica.readAll()) {
            assertThat(drain(c)).containsExactlyElementsOf(all.subList(6, 10));
        }
    }
}
