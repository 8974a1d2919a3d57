package dev.edgetwin.log.rocksdb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.EntryDraft;
import dev.edgetwin.log.InMemoryJournal;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.ProjectionException;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceState;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.Envelope;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.EventRecord;
import dev.edgetwin.log.model.Hlc;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinEvent;
import dev.edgetwin.log.model.TwinState;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterTry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The projection's write batches: however the entries are cut into {@code apply} calls —
 * one batch, random batches with entries delivered again, a rebuild — the RocksDB content is
 * byte-identical (same digest) and every twin equals the pure model's ({@link TwinState}).
 */
class ProjectionBatchingTest {
    private static final List<DeviceId> DEVICES = List.of(DeviceId.of("lamp-1"), DeviceId.of("lamp-2"),
            new DeviceId("plant", "pump-1"), new DeviceId("plant", "pump-10"));
    private static final List<String> PROPERTIES = List.of("power", "level", "mode", "temperature");
    private static final List<String> ORIGINS = List.of("cloud", "edge-a", "edge-b");
    private static final long BASE = Hlc.pack(1_700_000_000_000L, 0);

    private final List<Path> dirs = new ArrayList<>();

    @Property(tries = 25)
    void everyBatchingGivesTheSameBytesAndTheModelsTwins(@ForAll long seed) throws IOException {
        Random rnd = new Random(seed);
        InMemoryJournal journal = journal(rnd, 40 + rnd.nextInt(400));
        List<JournalEntry> written = new ArrayList<>();
        for (String stream : journal.streams()) {
            try (var c = journal.read(stream, 0)) {
                for (JournalEntry e = c.next(); e != null; e = c.next()) written.add(e);
            }
        }
        List<JournalEntry> all = interleave(written, rnd);

        String oneBatch;
        try (RocksProjection p = RocksProjection.open(dir(), new InMemoryJournal(), 100)) {
            p.apply(all);
            oneBatch = p.digest();
            TwinState model = TwinState.empty().applyAll(all.stream().map(ProjectionBatchingTest::record).toList());
            for (DeviceId id : DEVICES) {
                DeviceTwin expected = model.get(id).orElse(DeviceTwin.empty(id));
                assertThat(p.raw(id)).isEqualTo(expected);
                if (expected.exists()) assertThat(p.get(id).orElseThrow().documentJson()).isEqualTo(expected.documentJson());
            }
        }
        // a tiny cache forces twins out of memory and back from RocksDB between batches (and a commit at each);
        // a large one lets twins wait in memory over several batches, committed every few events or twins
        boolean tinyCache = rnd.nextBoolean();
        try (RocksProjection p = RocksProjection.open(dir(), new InMemoryJournal(), tinyCache ? rnd.nextInt(3) : 1_000,
                1 + rnd.nextInt(120), 1 + rnd.nextInt(5))) {
            int i = 0;
            while (i < all.size()) {
                int from = Math.max(0, i - rnd.nextInt(4)); // some entries again: below the checkpoint, skipped
                int to = Math.min(all.size(), i + 1 + rnd.nextInt(50));
                p.apply(all.subList(from, to));
                i = to;
                for (DeviceId id : DEVICES) {
                    DeviceTwin expected = TwinState.empty().applyAll(all.subList(0, i).stream().map(ProjectionBatchingTest::record).toList())
                            .get(id).orElse(DeviceTwin.empty(id));
                    assertThat(p.raw(id)).isEqualTo(expected);
                }
            }
            assertThat(p.digest()).isEqualTo(oneBatch);
        }
        try (RocksProjection p = RocksProjection.rebuild(dir(), journal, 100)) {
            assertThat(p.digest()).isEqualTo(oneBatch);
            for (String stream : journal.streams()) assertThat(p.checkpoint(stream)).isEqualTo(journal.nextSeq(stream));
        }
    }

    @Test
    void aGapIsRefusedAndChangesNothing(@TempDir Path dir) {
        InMemoryJournal journal = journal(new Random(7), 60);
        List<JournalEntry> entries = new ArrayList<>();
        try (var c = journal.read("edge/edge-a", 0)) {
            for (JournalEntry e = c.next(); e != null; e = c.next()) entries.add(e);
        }
        try (RocksProjection p = RocksProjection.open(dir, new InMemoryJournal(), 100)) {
            p.apply(entries.subList(0, 2));
            String before = p.digest();
            assertThatThrownBy(() -> p.apply(List.of(entries.get(2), entries.get(4))))
                    .isInstanceOfSatisfying(ProjectionException.class, e -> assertThat(e.code()).isEqualTo("projection:gap"));
            assertThat(p.digest()).isEqualTo(before);
            assertThat(p.checkpoint("edge/edge-a")).isEqualTo(2);
            assertThat(p.apply(entries.subList(0, 2))).isEmpty(); // all below the checkpoint: nothing applied
            assertThat(p.digest()).isEqualTo(before);
        }
    }

    private static EventRecord record(JournalEntry e) {
        return new EventRecord(new Envelope(e.stream(), e.seq(), e.hlc(), e.origin(), e.wallTime(), e.clientToken()),
                EventCodec.decode(e.payload()));
    }

    /** Random events of every kind on a few devices, written by three origins to their streams. */
    private static InMemoryJournal journal(Random rnd, int events) {
        InMemoryJournal journal = new InMemoryJournal();
        for (int i = 0; i < events; i++) {
            String origin = ORIGINS.get(rnd.nextInt(ORIGINS.size()));
            String stream = origin.equals("cloud") ? "cloud/edge-a" : "edge/" + origin;
            long hlc = BASE + rnd.nextInt(events * 2);
            TwinEvent event = event(rnd, DEVICES.get(rnd.nextInt(DEVICES.size())));
            journal.append(stream, List.of(new EntryDraft(hlc, origin, Hlc.millis(hlc), rnd.nextBoolean() ? "" : "t" + i,
                    EventCodec.encode(event))));
        }
        return journal;
    }

    private static TwinEvent event(Random rnd, DeviceId id) {
        String p = PROPERTIES.get(rnd.nextInt(PROPERTIES.size()));
        return switch (rnd.nextInt(10)) {
            case 0 -> new TwinEvent.DeviceRegistered(id, "edge-" + (char) ('a' + rnd.nextInt(2)), "model-" + rnd.nextInt(2),
                    Map.of("serial", JsonValues.text("s" + rnd.nextInt(9))),
                    Map.of("power", new PropertyDef("string", false), "temperature", new PropertyDef("float", true)));
            case 1 -> new TwinEvent.DeviceRemoved(id);
            case 2, 3 -> new TwinEvent.DesiredSet(id, p, value(rnd));
            case 4 -> new TwinEvent.DesiredCleared(id, p);
            case 5 -> new TwinEvent.ReportedCleared(id, p);
            case 6 -> new TwinEvent.DeviceStateChanged(id, DeviceState.values()[rnd.nextInt(DeviceState.values().length)]);
            default -> new TwinEvent.ReportedSet(id, p, value(rnd));
        };
    }

    private static JsonNode value(Random rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> JsonValues.text(rnd.nextBoolean() ? "ON" : "OFF");
            case 1 -> JsonValues.parse(Long.toString(rnd.nextLong()));
            case 2 -> JsonValues.parse((rnd.nextInt(4000) - 2000) / 10 + "." + rnd.nextInt(100)); // e.g. 21.5, 3.10 → 3.1
            case 3 -> JsonValues.parse(rnd.nextBoolean() ? "true" : "null");
            case 4 -> JsonValues.parse("{\"b\":[1,2.50],\"a\":\"x\"}");
            default -> JsonValues.parse("1e-" + (1 + rnd.nextInt(30)));
        };
    }

    private Path dir() throws IOException {
        Path d = Files.createTempDirectory("projection-batching-");
        dirs.add(d);
        return d;
    }

    @AfterTry
    void deleteDirs() throws IOException {
        for (Path d : dirs) {
            try (Stream<Path> files = Files.walk(d)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
            }
        }
        dirs.clear();
    }

    /** An interleaving of the streams as replication or catch-up may deliver them: each stream stays in seq order. */
    private static List<JournalEntry> interleave(List<JournalEntry> entries, Random rnd) {
        Map<String, List<JournalEntry>> byStream = new TreeMap<>();
        for (JournalEntry e : entries) byStream.computeIfAbsent(e.stream(), k -> new ArrayList<>()).add(e);
        List<Iterator<JournalEntry>> its = new ArrayList<>();
        byStream.values().forEach(l -> its.add(l.iterator()));
        List<JournalEntry> out = new ArrayList<>(entries.size());
        while (!its.isEmpty()) {
            int k = rnd.nextInt(its.size());
            out.add(its.get(k).next());
            if (!its.get(k).hasNext()) its.remove(k);
        }
        return out;
    }
}
