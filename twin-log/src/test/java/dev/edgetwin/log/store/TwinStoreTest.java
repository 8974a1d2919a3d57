package dev.edgetwin.log.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.EntryCodec;
import dev.edgetwin.log.HistoryEntry;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.JournalException;
import dev.edgetwin.log.ListFilter;
import dev.edgetwin.log.Page;
import dev.edgetwin.log.Result;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceState;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.EventRecord;
import dev.edgetwin.log.model.HybridClock;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;
import dev.edgetwin.log.model.TwinError;
import dev.edgetwin.log.model.TwinEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TwinStoreTest {
    static final DeviceId LAMP = DeviceId.of("lamp-1");

    @TempDir
    Path dir;

    /** A wall clock the test moves by hand, so times in history and time travel are exact. */
    final AtomicLong wall = new AtomicLong(1_732_300_000_000L);

    TwinStore open(String node, StoreOptions options) {
        return TwinStore.open(dir.resolve(node), node, options, new HybridClock(wall::get));
    }

    static JsonNode json(String text) {
        return JsonValues.parse(text);
    }

    static TwinCommand.RegisterDevice lamp(DeviceId id, String node, String model) {
        return new TwinCommand.RegisterDevice(id, node, model, Map.of("serial", json("\"A1\"")),
                Map.of("powerstatus", new PropertyDef("string", false)), Map.of("powerstatus", json("\"ON\"")));
    }

    static Result.Applied applied(Result r) {
        assertThat(r).isInstanceOf(Result.Applied.class);
        return (Result.Applied) r;
    }

    static TwinCommand patchReported(DeviceId id, String property, String value) {
        Map<String, JsonNode> m = new HashMap<>();
        m.put(property, value == null ? null : json(value));
        return new TwinCommand.PatchReported(id, m);
    }

    @Test
    void executeAppendsProjectsAndAnswersQueries() {
        try (TwinStore edge = open("edge-a", StoreOptions.edge())) {
            Result.Applied reg = applied(edge.execute(lamp(LAMP, "edge-a", "led-light"), "req-1", null));
            assertThat(reg.entries()).extracting(JournalEntry::seq).containsExactly(0L, 1L);
            assertThat(reg.entries()).allSatisfy(e -> {
                assertThat(e.stream()).isEqualTo("edge/edge-a");
                assertThat(e.clientToken()).isEqualTo("req-1");
            });
            wall.addAndGet(1000);
            applied(edge.execute(patchReported(LAMP, "powerstatus", "\"OFF\""), null, null));

            DeviceTwin twin = edge.get(LAMP).orElseThrow();
            assertThat(twin.desired("powerstatus")).contains(json("\"ON\""));
            assertThat(twin.reported("powerstatus")).contains(json("\"OFF\""));
            assertThat(twin.inSync("powerstatus")).isFalse();
            JsonNode doc = twin.document();
            assertThat(doc.path("node").asText()).isEqualTo("edge-a");
            assertThat(doc.path("twin").path("powerstatus").path("reported").path("origin").asText()).isEqualTo("edge-a");
            assertThat(doc.path("twin").path("powerstatus").path("reported").path("updatedAt").asText())
                    .isEqualTo(Instant.ofEpochMilli(wall.get()).toString());
        }
    }

    @Test
    void rejectionsAreCodedAndChangeNothing() {
        try (TwinStore edge = open("edge-a", StoreOptions.edge())) {
            applied(edge.execute(lamp(LAMP, "edge-a", "led-light"), null, null));
            String digest = edge.projection().digest();
            long next = edge.journal().nextSeq("edge/edge-a");

            assertCode(edge.execute(patchReported(DeviceId.of("ghost"), "p", "1"), null, null), TwinError.DEVICE_NOT_FOUND, 404);
            assertCode(edge.execute(patchReported(LAMP, "bad key!", "1"), null, null), TwinError.PROPERTY_INVALID, 400);
            assertCode(edge.execute(new TwinCommand.PatchDesired(LAMP, Map.of("powerstatus", json("1"))), null, null),
                    TwinError.VALUE_INVALID, 400);
            assertCode(edge.execute(new TwinCommand.PatchDesired(LAMP, Map.of("powerstatus", json("\"OFF\""))), null, "\"stale\""),
                    TwinError.VERSION_MISMATCH, 412);

            assertThat(edge.journal().nextSeq("edge/edge-a")).isEqualTo(next);
            assertThat(edge.projection().digest()).isEqualTo(digest);
        }
    }

    @Test
    void ifMatchWithCurrentEtagSucceeds() {
        try (TwinStore edge = open("edge-a", StoreOptions.edge())) {
            DeviceTwin t = applied(edge.execute(lamp(LAMP, "edge-a", "led-light"), null, null)).twin();
            Result r = edge.execute(new TwinCommand.PatchDesired(LAMP, Map.of("powerstatus", json("\"OFF\""))), null, t.etag());
            assertThat(applied(r).twin().etag()).isNotEqualTo(t.etag());
            assertThat(edge.get(LAMP).orElseThrow().etag()).isEqualTo(applied(r).twin().etag());
        }
    }

    @Test
    void edgeWritesOnlyItsOwnStreamAndCloudWritesPerNodeStreams() {
        try (TwinStore cloud = open("cloud", StoreOptions.cloud())) {
            Result.Applied a = applied(cloud.execute(lamp(LAMP, "edge-a", "led-light"), null, null));
            Result.Applied b = applied(cloud.execute(lamp(DeviceId.of("lamp-2"), "edge-b", "led-light"), null, null));
            assertThat(a.entries().get(0).stream()).isEqualTo("cloud/edge-a");
            assertThat(b.entries().get(0).stream()).isEqualTo("cloud/edge-b");
            assertThatThrownBy(() -> cloud.acceptReplica("cloud/edge-a", List.of()))
                    .isInstanceOfSatisfying(JournalException.class, e -> assertThat(e.code()).isEqualTo("journal:stream.forbidden"));
        }
    }

    @Test
    void replicasConvergeWithTheWriterWhateverTheInterleaving() {
        try (TwinStore cloud = open("cloud", StoreOptions.cloud());
             TwinStore edge = open("edge-a", StoreOptions.edge())) {
            List<JournalEntry> down = new ArrayList<>(applied(cloud.execute(lamp(LAMP, "edge-a", "led-light"), null, null)).entries());
            edge.acceptReplica("cloud/edge-a", bytes(down));
            wall.addAndGet(5);
            List<JournalEntry> up = new ArrayList<>(applied(edge.execute(patchReported(LAMP, "powerstatus", "\"ON\""), null, null)).entries());
            wall.addAndGet(5);
            down = applied(cloud.execute(new TwinCommand.PatchDesired(LAMP, Map.of("powerstatus", json("\"OFF\""))), null, null)).entries();
            up.addAll(applied(edge.execute(new TwinCommand.ChangeState(LAMP, DeviceState.ONLINE), null, null)).entries());
            // partition heals: each side receives the other's entries
            cloud.acceptReplica("edge/edge-a", bytes(up));
            edge.acceptReplica("cloud/edge-a", bytes(down));

            DeviceTwin c = cloud.get(LAMP).orElseThrow();
            DeviceTwin e = edge.get(LAMP).orElseThrow();
            assertThat(c.documentJson()).isEqualTo(e.documentJson());
            assertThat(c.etag()).isEqualTo(e.etag());
            assertThat(c.desired("powerstatus")).contains(json("\"OFF\""));
            assertThat(c.state()).isEqualTo(DeviceState.ONLINE);
            assertThat(edge.journal().read("cloud/edge-a", 0).next().bytes())
                    .isEqualTo(cloud.journal().read("cloud/edge-a", 0).next().bytes());
        }
    }

    @Test
    void replicaGapsAndForgeriesAreRefusedAndChangeNothing() {
        try (TwinStore cloud = open("cloud", StoreOptions.cloud());
             TwinStore edge = open("edge-a", StoreOptions.edge())) {
            List<JournalEntry> down = applied(cloud.execute(lamp(LAMP, "edge-a", "led-light"), null, null)).entries();
            String digest = edge.projection().digest();
            assertThatThrownBy(() -> edge.acceptReplica("cloud/edge-a", bytes(down.subList(1, 2))))
                    .isInstanceOfSatisfying(JournalException.class, ex -> assertThat(ex.code()).isEqualTo("journal:gap"));
            byte[] forged = down.get(0).bytes().clone();
            forged[forged.length - 10] ^= 1;
            assertThatThrownBy(() -> edge.acceptReplica("cloud/edge-a", List.of(forged)))
                    .isInstanceOfSatisfying(JournalException.class, ex -> assertThat(ex.code()).isEqualTo("journal:crc"));
            assertThat(edge.projection().digest()).isEqualTo(digest);
            assertThat(edge.journal().nextSeq("cloud/edge-a")).isZero();
        }
    }

    @Test
    void listFiltersAndPagesInIdOrder() {
        try (TwinStore cloud = open("cloud", StoreOptions.cloud())) {
            for (int i = 0; i < 25; i++) {
                String node = i % 2 == 0 ? "edge-a" : "edge-b";
                String model = i % 3 == 0 ? "sensor" : "led-light";
                applied(cloud.execute(lamp(DeviceId.of(String.format("dev-%02d", i)), node, model), null, null));
            }
            applied(cloud.execute(new TwinCommand.RemoveDevice(DeviceId.of("dev-04")), null, null));

            List<String> all = collect(cloud, ListFilter.ALL, 7);
            assertThat(all).hasSize(24).isSorted().doesNotContain("dev-04");
            assertThat(collect(cloud, ListFilter.node("edge-a"), 5)).hasSize(12).allMatch(n -> Integer.parseInt(n.substring(4)) % 2 == 0);
            assertThat(collect(cloud, new ListFilter(null, "sensor", null, null, null, null), 3))
                    .containsExactly("dev-00", "dev-03", "dev-06", "dev-09", "dev-12", "dev-15", "dev-18", "dev-21", "dev-24");
            assertThat(collect(cloud, new ListFilter("edge-b", "sensor", null, null, null, null), 2))
                    .containsExactly("dev-03", "dev-09", "dev-15", "dev-21");
            assertThat(collect(cloud, new ListFilter(null, null, "powerstatus", json("\"ON\""), null, null), 100)).hasSize(24);
            assertThat(collect(cloud, new ListFilter(null, null, "powerstatus", json("\"OFF\""), null, null), 100)).isEmpty();
            assertThat(collect(cloud, new ListFilter(null, null, null, null, false, null), 100)).hasSize(24);
            assertThatThrownBy(() -> cloud.list(ListFilter.ALL, "%%%", 10)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void reregistrationOnAnotherNodeMovesIndexes() {
        try (TwinStore cloud = open("cloud", StoreOptions.cloud())) {
            applied(cloud.execute(lamp(LAMP, "edge-a", "led-light"), null, null));
            applied(cloud.execute(lamp(LAMP, "edge-b", "led-light"), null, null));
            assertThat(collect(cloud, ListFilter.node("edge-a"), 10)).isEmpty();
            assertThat(collect(cloud, ListFilter.node("edge-b"), 10)).containsExactly("lamp-1");
        }
    }

    static List<String> collect(TwinStore store, ListFilter filter, int pageSize) {
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            Page<DeviceTwin> page = store.list(filter, cursor, pageSize);
            assertThat(page.items().size()).isLessThanOrEqualTo(pageSize);
            page.items().forEach(t -> names.add(t.id().name()));
            cursor = page.nextCursor();
        } while (cursor != null);
        return names;
    }

    @Test
    void historyAndTimeTravel() {
        try (TwinStore edge = open("edge-a", StoreOptions.edge())) {
            Instant t0 = Instant.ofEpochMilli(wall.get());
            applied(edge.execute(lamp(LAMP, "edge-a", "led-light"), null, null));
            Map<Instant, String> docs = new LinkedHashMap<>();
            List<String> values = List.of("\"OFF\"", "\"ON\"", "\"OFF\"", "\"ON\"");
            for (String v : values) {
                wall.addAndGet(1000);
                DeviceTwin t = applied(edge.execute(patchReported(LAMP, "powerstatus", v), null, null)).twin();
                docs.put(Instant.ofEpochMilli(wall.get()), t.documentJson());
            }
            List<HistoryEntry> history = edge.history(LAMP, null, null, 100);
            assertThat(history).hasSize(2 + values.size());
            assertThat(history.get(0).record().event()).isInstanceOf(TwinEvent.DeviceRegistered.class);
            assertThat(history).extracting(h -> h.position().seq()).isSorted();

            List<HistoryEntry> window = edge.history(LAMP, t0.plusMillis(1500), t0.plusMillis(3000), 100);
            assertThat(window).extracting(h -> h.record().envelope().wallTime())
                    .containsExactly(t0.plusMillis(2000).toEpochMilli(), t0.plusMillis(3000).toEpochMilli());

            docs.forEach((at, json) -> assertThat(edge.documentAt(LAMP, at).orElseThrow().documentJson()).isEqualTo(json));
            assertThat(edge.documentAt(LAMP, t0.minusMillis(1))).isEmpty();
            // as of a journal position: entry 3 is the second reported value
            assertThat(edge.documentAt(LAMP, "edge/edge-a", 3).orElseThrow().documentJson())
                    .isEqualTo(docs.values().toArray()[1]);
            assertThatThrownBy(() -> edge.documentAt(LAMP, "edge/edge-a", 99)).hasMessageContaining("twin:position.notfound");
        }
    }

    @Test
    void listenersSeeEveryAppliedEventWithItsPosition() {
        try (TwinStore cloud = open("cloud", StoreOptions.cloud());
             TwinStore edge = open("edge-a", StoreOptions.edge())) {
            List<String> seen = new ArrayList<>();
            edge.addListener((entry, record, after) -> seen.add(entry.stream() + ":" + entry.seq() + " "
                    + EventCodec.kindName(record.event()) + " " + after.exists()));
            edge.acceptReplica("cloud/edge-a", bytes(applied(cloud.execute(lamp(LAMP, "edge-a", "m"), null, null)).entries()));
            applied(edge.execute(patchReported(LAMP, "powerstatus", "\"ON\""), null, null));
            edge.execute(patchReported(DeviceId.of("ghost"), "p", "1"), null, null);
            assertThat(seen).containsExactly("cloud/edge-a:0 DeviceRegistered true", "cloud/edge-a:1 DesiredSet true",
                    "edge/edge-a:0 ReportedSet true");
        }
    }

    @Test
    void listenersAndTheProjectionGetTheRequestsOwnDeviceIdInstance() {
        try (TwinStore edge = open("edge-a", StoreOptions.edge())) {
            List<DeviceId> seen = new ArrayList<>();
            edge.addListener((entry, record, after) -> seen.add(record.event().device()));
            DeviceId lamp = new DeviceId(LAMP.namespace(), LAMP.name());
            DeviceId other = new DeviceId(LAMP.namespace(), LAMP.name());
            applied(edge.execute(lamp(lamp, "edge-a", "m"), null, null));
            List<Result> results = edge.executeAll(List.of(new TwinStore.Request(patchReported(other, "p", "1"), null, null),
                    new TwinStore.Request(patchReported(lamp, "p", "2"), null, null)));
            assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(Result.Applied.class));
            // decoded from the journal, yet the very ids the requests carried (their strings' hashes computed once)
            int n = seen.size();
            assertThat(seen.subList(0, n - 2)).isNotEmpty().allSatisfy(id -> assertThat(id).isSameAs(lamp));   // the registration's
            assertThat(seen.get(n - 2)).isSameAs(other);
            assertThat(seen.get(n - 1)).isSameAs(lamp);
            assertThat(edge.projection().raw(LAMP).reported("p")).contains(JsonValues.parse("2"));
        }
    }

    @Test
    void theEventsListenersAndTheProjectionGetAreTheJournalsOwn() {
        try (TwinStore edge = open("edge-a", StoreOptions.edge())) {
            List<EventRecord> seen = new ArrayList<>();
            List<JournalEntry> entries = new ArrayList<>();
            edge.addListener((entry, record, after) -> {
                entries.add(entry);
                seen.add(record);
            });
            applied(edge.execute(lamp(LAMP, "edge-a", "m"), "t-0", null));
            // values whose parsed form differs from their canonical one: the events carry the canonical form
            com.fasterxml.jackson.databind.node.JsonNodeFactory f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
            List<JsonNode> values = List.of(f.numberNode(42.0), f.numberNode(new java.math.BigDecimal("1.50")),
                    f.numberNode(7L), f.numberNode((short) 3), f.numberNode(new java.math.BigInteger("123456789012345678901234567890")),
                    f.numberNode(new java.math.BigDecimal("1E+3")), f.numberNode(-0.0), f.textNode("ON"),
                    json("{\"b\":2,\"a\":[1,2.50,{\"z\":null}]}"), f.booleanNode(true));
            List<TwinStore.Request> batch = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                Map<String, JsonNode> m = new HashMap<>();
                m.put("p" + i, values.get(i));
                batch.add(new TwinStore.Request(new TwinCommand.PatchReported(LAMP, m), "t-" + (i + 1), null));
                batch.add(new TwinStore.Request(new TwinCommand.PatchDesired(LAMP, m), null, null));
            }
            assertThat(edge.executeAll(batch)).allSatisfy(r -> assertThat(r).isInstanceOf(Result.Applied.class));
            assertThat(seen).hasSize(entries.size()).hasSizeGreaterThan(2 * values.size());
            for (int i = 0; i < seen.size(); i++) {
                assertThat(seen.get(i)).as("entry " + entries.get(i).seq()).isEqualTo(TwinStore.toRecord(entries.get(i)));
            }
            String live = edge.projection().digest();
            edge.rebuildProjection();
            assertThat(edge.projection().digest()).isEqualTo(live);
        }
    }

    @Test
    void reopenRecoversClockAndProjectionAndRebuildIsIdentical() {
        String digest;
        long lastHlc;
        try (TwinStore edge = open("edge-a", StoreOptions.edge())) {
            applied(edge.execute(lamp(LAMP, "edge-a", "led-light"), null, null));
            for (int i = 0; i < 200; i++) applied(edge.execute(patchReported(LAMP, "p" + (i % 7), String.valueOf(i)), null, null));
            digest = edge.projection().digest();
            lastHlc = edge.clock().last();
        }
        wall.set(0); // the wall clock went backwards while the node was down
        try (TwinStore edge = open("edge-a", StoreOptions.edge())) {
            assertThat(edge.projection().digest()).isEqualTo(digest);
            JournalEntry e = applied(edge.execute(patchReported(LAMP, "p0", "1"), null, null)).entries().get(0);
            assertThat(e.hlc()).isGreaterThan(lastHlc);
            String live = edge.projection().digest();
            edge.rebuildProjection();
            assertThat(edge.projection().digest()).isEqualTo(live);
        }
    }

    @Test
    void lostProjectionWritesAreReplayedFromCheckpoints() throws Exception {
        String digest;
        try (TwinStore edge = open("edge-a", StoreOptions.edge())) {
            applied(edge.execute(lamp(LAMP, "edge-a", "led-light"), null, null));
            digest = edge.projection().digest();
        }
        // a node that crashed before its projection reached the disk: the projection is older than the journal
        org.rocksdb.RocksDB.destroyDB(dir.resolve("edge-a/projection").toString(), new org.rocksdb.Options());
        try (TwinStore edge = open("edge-a", StoreOptions.edge())) {
            assertThat(edge.projection().digest()).isEqualTo(digest);
            assertThat(edge.projection().checkpoint("edge/edge-a")).isEqualTo(2);
        }
    }

    @Test
    void batchExecutionDecidesEachCommandOnTheStateBeforeIt() {
        try (TwinStore edge = open("edge-a", StoreOptions.edge())) {
            List<TwinStore.Request> batch = List.of(
                    TwinStore.Request.of(lamp(LAMP, "edge-a", "led-light")),
                    TwinStore.Request.of(patchReported(LAMP, "powerstatus", "\"ON\"")),
                    TwinStore.Request.of(patchReported(DeviceId.of("ghost"), "p", "1")),
                    TwinStore.Request.of(new TwinCommand.RemoveDevice(LAMP)),
                    TwinStore.Request.of(patchReported(LAMP, "powerstatus", "\"OFF\"")));
            List<Result> results = edge.executeAll(batch);
            assertThat(results).hasSize(5);
            assertThat(applied(results.get(1)).entries()).extracting(JournalEntry::seq).containsExactly(2L);
            assertCode(results.get(2), TwinError.DEVICE_NOT_FOUND, 404);
            assertThat(applied(results.get(3)).twin().exists()).isFalse();
            assertCode(results.get(4), TwinError.DEVICE_NOT_FOUND, 404);
            assertThat(edge.journal().nextSeq("edge/edge-a")).isEqualTo(4);
            assertThat(edge.get(LAMP)).isEmpty();
        }
    }

    static void assertCode(Result r, String code, int status) {
        assertThat(r).isInstanceOfSatisfying(Result.Rejected.class, rej -> {
            assertThat(rej.error().code()).isEqualTo(code);
            assertThat(rej.error().status()).isEqualTo(status);
        });
    }

    static List<byte[]> bytes(List<JournalEntry> entries) {
        List<byte[]> out = new ArrayList<>();
        for (JournalEntry e : entries) out.add(EntryCodec.decode(e.bytes()).bytes());
        return out;
    }

}
