package dev.edgetwin.log.rocksdb;

import dev.edgetwin.log.EntryDraft;
import dev.edgetwin.log.InMemoryJournal;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.Position;
import dev.edgetwin.log.ProjectionException;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.Hlc;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.TwinEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The projection's key layout ({@link Keys}, layout 2): history keys led by a device tag, the
 * layout recorded in the meta family, an older projection rebuilt on open, and the family
 * options RocksDB is really given.
 */
class ProjectionLayoutTest {
    // names that are prefixes of one another, and two namespaces
    private static final List<DeviceId> DEVICES = List.of(DeviceId.of("lamp-1"), DeviceId.of("lamp-10"),
            DeviceId.of("lamp-100"), new DeviceId("plant", "lamp-1"));
    private static final long BASE = Hlc.pack(1_700_000_000_000L, 0);

    @Test
    void theTagIsPartOfTheStoredLayoutAndNeverChanges() {
        // FNV-1a 32 then MurmurHash3's fmix32, as computed independently (Python) for these keys
        assertThat(Keys.tag("default\0lamp-1".getBytes(StandardCharsets.UTF_8))).isEqualTo(0x636d4ab3);
        assertThat(Keys.tag(new byte[0])).isEqualTo(0xab3e7c0b);
        byte[] prefix = Keys.historyPrefix(Keys.device(DeviceId.of("lamp-1")));
        assertThat(Arrays.copyOf(prefix, 4)).containsExactly(0x63, 0x6d, 0x4a, 0xb3);
        byte[] key = Keys.history(prefix, 42, "edge/edge-a".getBytes(StandardCharsets.UTF_8), 7);
        assertThat(Keys.historyPrefixLength(key)).isEqualTo(prefix.length);
        assertThat(Keys.historyHlc(key, prefix.length)).isEqualTo(42);
        assertThat(Keys.historyStream(key, prefix.length)).isEqualTo("edge/edge-a");
        assertThat(Keys.historySeq(key)).isEqualTo(7);
        assertThat(ProjectionDiff.key("history", key)).startsWith("default/lamp-1 at edge/edge-a:7");
    }

    @Test
    void historyIsEachDevicesOwnEventsInHlcOrder(@TempDir Path dir) {
        InMemoryJournal journal = journal(new Random(11), 400);
        try (RocksProjection p = RocksProjection.open(dir, journal, 100)) {
            for (DeviceId id : DEVICES) {
                List<Position> expected = expectedHistory(journal, id);
                assertThat(expected).isNotEmpty();
                assertThat(p.history(id, 0, Long.MAX_VALUE, 10_000)).isEqualTo(expected);
                long from = expected.get(expected.size() / 3).hlc();
                long to = expected.get(2 * expected.size() / 3).hlc();
                assertThat(p.history(id, from, to, 10_000))
                        .isEqualTo(expected.stream().filter(x -> x.hlc() >= from && x.hlc() <= to).toList());
                assertThat(p.history(id, 0, Long.MAX_VALUE, 3)).isEqualTo(expected.subList(0, 3));
            }
            assertThat(p.history(DeviceId.of("lamp"), 0, Long.MAX_VALUE, 100)).isEmpty();
        }
    }

    @Test
    void aProjectionWithTheOldLayoutIsRebuiltFromTheJournalOnOpen(@TempDir Path dir, @TempDir Path fresh) throws Exception {
        InMemoryJournal journal = journal(new Random(5), 300);
        String expected;
        try (RocksProjection p = RocksProjection.open(fresh, journal, 100)) {
            expected = p.digest();
        }
        RocksProjection.open(dir, journal, 100).close();
        downgradeToLayout1(dir);
        try (RocksStore s = RocksStore.open(dir)) {
            assertThat(s.layout()).isEqualTo(1);
        }
        assertThatThrownBy(() -> RocksProjection.openReadOnly(dir))
                .isInstanceOfSatisfying(ProjectionException.class, e -> assertThat(e.code()).isEqualTo("projection:layout"));

        try (RocksProjection p = RocksProjection.open(dir, journal, 100)) {
            assertThat(p.digest()).isEqualTo(expected);
            for (DeviceId id : DEVICES) assertThat(p.history(id, 0, Long.MAX_VALUE, 10_000)).isEqualTo(expectedHistory(journal, id));
        }
        try (RocksProjection p = RocksProjection.openReadOnly(dir)) {
            assertThat(p.store().layout()).isEqualTo(Keys.LAYOUT);
            assertThat(p.digest()).isEqualTo(expected);
        }
    }

    @Test
    void aProjectionFromBeforeTheMetaFamilyIsRefusedReadOnlyAndRebuiltOnOpen(@TempDir Path dir) throws Exception {
        InMemoryJournal journal = journal(new Random(3), 50);
        // the five families of layout 1, one stale twin key and a checkpoint
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY));
        for (String f : List.of("devices", "checkpoints", "by_node", "by_model", "history")) {
            descriptors.add(new ColumnFamilyDescriptor(f.getBytes(StandardCharsets.UTF_8)));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions o = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
             RocksDB db = RocksDB.open(o, dir.toString(), descriptors, handles)) {
            db.put(handles.get(1), Keys.device(DeviceId.of("gone")), new byte[]{1, 2, 3});
            db.put(handles.get(2), "edge/edge-a".getBytes(StandardCharsets.UTF_8), Keys.longBytes(1));
            handles.forEach(ColumnFamilyHandle::close);
        }
        assertThatThrownBy(() -> RocksProjection.openReadOnly(dir))
                .isInstanceOfSatisfying(ProjectionException.class, e -> {
                    assertThat(e.code()).isEqualTo("projection:layout");
                    assertThat(e.getMessage()).contains("key layout 1").contains("rebuilds it");
                });
        try (RocksProjection p = RocksProjection.open(dir, journal, 100)) {
            assertThat(p.get(DeviceId.of("gone"))).isEmpty();
            for (String stream : journal.streams()) assertThat(p.checkpoint(stream)).isEqualTo(journal.nextSeq(stream));
            assertThat(p.store().layout()).isEqualTo(Keys.LAYOUT);
        }
    }

    @Test
    void anEmptyProjectionIsMarkedWithTheLayoutOnOpen(@TempDir Path dir, @TempDir Path other) {
        try (RocksProjection p = RocksProjection.open(dir, new InMemoryJournal(), 10)) {
            assertThat(p.store().layout()).isEqualTo(Keys.LAYOUT);
            // a read-only view of the running projection (twinctl verify) sees only flushed files: the mark is one of them
            try (RocksProjection view = RocksProjection.openReadOnly(dir);
                 RocksProjection rebuilt = RocksProjection.open(other, new InMemoryJournal(), 10)) {
                assertThat(view.store().layout()).isEqualTo(Keys.LAYOUT);
                assertThat(ProjectionDiff.compare(view, rebuilt, n -> { }).difference()).isEmpty();
            }
        }
        try (RocksProjection p = RocksProjection.openReadOnly(dir)) {
            assertThat(p.store().layout()).isEqualTo(Keys.LAYOUT);
        }
    }

    @Test
    void rocksDbIsGivenHistorysInsertHintAndCompactionTriggerAndDevicesInPlaceUpdates(@TempDir Path dir) throws IOException {
        RocksProjection.open(dir, journal(new Random(1), 20), 10).close();
        Path options;
        try (Stream<Path> files = Files.list(dir)) {
            options = files.filter(f -> f.getFileName().toString().startsWith("OPTIONS-"))
                    .max(Comparator.comparing(Path::toString)).orElseThrow();
        }
        List<String> lines = Files.readAllLines(options);
        assertThat(option(lines, "level0_file_num_compaction_trigger")).containsEntry("history", "8")
                .containsEntry("devices", "2").containsEntry("checkpoints", "2");
        assertThat(option(lines, "memtable_insert_with_hint_prefix_extractor")).containsEntry("history", "rocksdb.FixedPrefix.4")
                .containsEntry("devices", "nullptr").containsEntry("checkpoints", "nullptr").containsEntry("by_node", "nullptr")
                .containsEntry("meta", "nullptr");
        assertThat(option(lines, "inplace_update_support")).containsEntry("devices", "true").containsEntry("history", "false")
                .containsEntry("checkpoints", "false").containsEntry("by_node", "false");
        assertThat(lines).anyMatch(l -> l.trim().equals("allow_concurrent_memtable_write=false"));
    }

    /** One option's value per column family, from the lines of a RocksDB OPTIONS file. */
    private static Map<String, String> option(List<String> lines, String name) {
        Map<String, String> values = new java.util.HashMap<>();
        String family = null;
        for (String line : lines) {
            line = line.trim();
            if (line.startsWith("[CFOptions \"")) family = line.substring(12, line.indexOf('"', 12));
            if (family != null && line.startsWith(name + "=")) values.put(family, line.substring(name.length() + 1));
        }
        return values;
    }

    /** Rewrites the history keys without their tag and removes the layout record: a projection as layout 1 wrote it. */
    private static void downgradeToLayout1(Path dir) throws Exception {
        try (RocksStore s = RocksStore.open(dir); WriteBatch b = new WriteBatch()) {
            try (RocksIterator it = s.iterator(s.history)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    byte[] k = it.key();
                    b.delete(s.history, k);
                    b.put(s.history, Arrays.copyOfRange(k, Keys.TAG, k.length), new byte[0]);
                }
            }
            b.delete(s.meta, Keys.LAYOUT_KEY);
            s.write(b);
        }
    }

    private static List<Position> expectedHistory(InMemoryJournal journal, DeviceId id) {
        List<Position> out = new ArrayList<>();
        for (String stream : journal.streams()) {
            try (var c = journal.read(stream, 0)) {
                for (JournalEntry e = c.next(); e != null; e = c.next()) {
                    if (EventCodec.decode(e.payload()).device().equals(id)) out.add(new Position(e.stream(), e.seq(), e.hlc()));
                }
            }
        }
        out.sort(Comparator.comparingLong(Position::hlc).thenComparing(Position::stream).thenComparingLong(Position::seq));
        return out;
    }

    private static InMemoryJournal journal(Random rnd, int events) {
        InMemoryJournal journal = new InMemoryJournal();
        for (DeviceId id : DEVICES) {
            journal.append("edge/edge-a", List.of(new EntryDraft(BASE, "edge-a", Hlc.millis(BASE), "",
                    EventCodec.encode(new TwinEvent.DeviceRegistered(id, "edge-a", "lamp", Map.of(), Map.of())))));
        }
        for (int i = 0; i < events; i++) {
            String stream = rnd.nextBoolean() ? "edge/edge-a" : "cloud/edge-a";
            long hlc = BASE + 1 + rnd.nextInt(events * 2);
            DeviceId id = DEVICES.get(rnd.nextInt(DEVICES.size()));
            TwinEvent event = stream.startsWith("cloud")
                    ? new TwinEvent.DesiredSet(id, "power", JsonValues.text(rnd.nextBoolean() ? "ON" : "OFF"))
                    : new TwinEvent.ReportedSet(id, "power", JsonValues.text(rnd.nextBoolean() ? "ON" : "OFF"));
            journal.append(stream, List.of(new EntryDraft(hlc, stream.startsWith("cloud") ? "cloud" : "edge-a", Hlc.millis(hlc), "",
                    EventCodec.encode(event))));
        }
        return journal;
    }
}
