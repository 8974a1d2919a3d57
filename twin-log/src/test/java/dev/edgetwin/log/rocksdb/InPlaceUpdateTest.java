package dev.edgetwin.log.rocksdb;

import dev.edgetwin.log.EntryDraft;
import dev.edgetwin.log.InMemoryJournal;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.ListFilter;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.Hlc;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.TwinEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code devices} family is updated in place in the memtable (see {@link RocksStore}): a
 * twin written again does not add a version, the result is the projection a rebuild gives, and
 * queries running beside the writer see whole twins only.
 */
class InPlaceUpdateTest {
    private static final long BASE = Hlc.pack(1_700_000_000_000L, 0);
    private static final String STREAM = "edge/edge-a";

    @Test
    void aTwinWrittenAgainReplacesItsEntryInsteadOfAddingOne(@TempDir Path dir, @TempDir Path other) {
        InMemoryJournal journal = new InMemoryJournal();
        List<DeviceId> devices = devices(4);
        try (RocksProjection p = RocksProjection.open(dir, new InMemoryJournal(), 10)) {
            p.apply(register(journal, devices));
            for (int i = 0; i < 500; i++) {
                DeviceId id = devices.get(i % devices.size());
                // the same length every time: each version fits where the last one was
                p.apply(report(journal, id, String.format("%05d", i)));
            }
            RocksStore store = p.store();
            // each twin's registration, then its first (longer) reported version: 504 entries if every write added one
            assertThat(store.property(store.devices, "rocksdb.num-entries-active-mem-table")).isLessThanOrEqualTo(2L * devices.size());
            assertThat(store.property(store.history, "rocksdb.num-entries-active-mem-table")).isEqualTo(504);
            assertThat(p.get(devices.get(3)).orElseThrow().reported("temperature").orElseThrow().asText()).isEqualTo("00499");
            String live = p.digest();
            try (RocksProjection rebuilt = RocksProjection.open(other, journal, 10)) {
                assertThat(rebuilt.digest()).isEqualTo(live);
            }
        }
        try (RocksProjection reopened = RocksProjection.open(dir, journal, 10)) {
            assertThat(reopened.get(devices.get(0)).orElseThrow().reported("temperature").orElseThrow().asText()).isEqualTo("00496");
        }
    }

    @Test
    void listingBesideTheWriterSeesOnlyWholeTwins(@TempDir Path dir) throws Exception {
        InMemoryJournal journal = new InMemoryJournal();
        List<DeviceId> devices = devices(20);
        // cache size 0: a listed twin not in the last batch is read from RocksDB, while the writer replaces it
        try (RocksProjection p = RocksProjection.open(dir, new InMemoryJournal(), 0)) {
            p.apply(register(journal, devices));
            AtomicBoolean writing = new AtomicBoolean(true);
            CompletableFuture<Integer> lister = CompletableFuture.supplyAsync(() -> {
                int twins = 0;
                while (writing.get()) {
                    for (ListFilter filter : List.of(ListFilter.ALL, ListFilter.node("edge-a"))) {
                        List<DeviceTwin> page = p.list(filter, null, 100).items();
                        assertThat(page).hasSize(devices.size());
                        for (DeviceTwin t : page) {
                            t.reported("temperature").ifPresent(v -> assertThat(v.asText()).isEqualTo(value(v.asText().length())));
                        }
                        twins += page.size();
                    }
                }
                return twins;
            });
            Random rnd = new Random(3);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            // versions of random lengths: longer ones are added, shorter or equal ones replace in place
            for (int i = 0; i < 20_000 && System.nanoTime() < until && !lister.isDone(); i++) {
                List<JournalEntry> batch = new ArrayList<>();
                for (int k = 0; k < 3; k++) {
                    batch.addAll(report(journal, devices.get(rnd.nextInt(devices.size())), value(1 + rnd.nextInt(200))));
                }
                p.apply(batch);
            }
            writing.set(false);
            assertThat(lister.get(10, TimeUnit.SECONDS)).isPositive();
        }
    }

    /** A text of {@code length} whose every character follows from its length: a torn value cannot pass for one. */
    private static String value(int length) {
        return String.valueOf((char) ('a' + length % 26)).repeat(length);
    }

    private static List<DeviceId> devices(int n) {
        List<DeviceId> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(DeviceId.of("sensor-" + i));
        return out;
    }

    private static List<JournalEntry> register(InMemoryJournal journal, List<DeviceId> devices) {
        List<JournalEntry> out = new ArrayList<>();
        for (DeviceId id : devices) {
            out.addAll(append(journal, new TwinEvent.DeviceRegistered(id, "edge-a", "thermometer", Map.of(), Map.of())));
        }
        return out;
    }

    private static List<JournalEntry> report(InMemoryJournal journal, DeviceId id, String text) {
        return append(journal, new TwinEvent.ReportedSet(id, "temperature", JsonValues.text(text)));
    }

    private static List<JournalEntry> append(InMemoryJournal journal, TwinEvent event) {
        long hlc = BASE + journal.nextSeq(STREAM);
        return journal.append(STREAM, List.of(new EntryDraft(hlc, "edge-a", Hlc.millis(hlc), "", EventCodec.encode(event))));
    }
}
