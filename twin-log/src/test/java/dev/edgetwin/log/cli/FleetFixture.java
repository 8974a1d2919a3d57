package dev.edgetwin.log.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.ListFilter;
import dev.edgetwin.log.Result;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceState;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.HybridClock;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two nodes written by the real {@link TwinStore}: a cloud ({@code cloud/edge-a}, {@code cloud/edge-b})
 * and edge {@code edge-a} ({@code edge/edge-a}), replicating to each other through
 * {@link TwinStore#acceptReplica} as the sync protocol would. A hand-moved wall clock (one
 * second per step) makes every time exact. After every step each node's view is recorded:
 * the position it appended last, the time, and every twin document it showed — what
 * {@code twinctl state --at} must reproduce from the journal alone.
 */
final class FleetFixture {
    static final long START = 1_795_428_000_000L; // 2026-11-23T10:00:00Z
    static final DeviceId LAMP1 = DeviceId.of("lamp-1");
    static final DeviceId LAMP2 = DeviceId.of("lamp-2");
    static final DeviceId LAMP9 = DeviceId.of("lamp-9");
    static final DeviceId SENSOR = new DeviceId("factory", "sensor-1");
    static final int RANDOM_BATCHES = 20;

    /** What a node showed after a step: its last appended position, the time, and its documents by device id. */
    record Snapshot(String step, String position, long time, boolean timeExact, Map<String, String> documents) {
    }

    final Path cloudDir;
    final Path edgeDir;
    final List<Snapshot> cloudSnapshots = new ArrayList<>();
    final List<Snapshot> edgeSnapshots = new ArrayList<>();

    private final AtomicLong wall = new AtomicLong(START);
    private TwinStore cloud;
    private TwinStore edge;
    private final Map<TwinStore, String> lastPosition = new HashMap<>();
    private boolean offline;

    private FleetFixture(Path root) {
        this.cloudDir = root.resolve("cloud");
        this.edgeDir = root.resolve("edge-a");
    }

    static FleetFixture build(Path root) {
        FleetFixture f = new FleetFixture(root);
        f.run();
        return f;
    }

    private void run() {
        cloud = TwinStore.open(cloudDir, "cloud", StoreOptions.cloud(), new HybridClock(wall::get));
        edge = TwinStore.open(edgeDir, "edge-a", StoreOptions.edge(), new HybridClock(wall::get));
        try {
            step("register", () -> {
                ok(cloud, register(LAMP1, "led-light", "A1", Map.of("powerstatus", new PropertyDef("string", false)),
                        Map.of("powerstatus", json("\"ON\""))), "req-1");
                ok(cloud, register(LAMP2, "led-light", "A2", Map.of("powerstatus", new PropertyDef("string", false)), Map.of()), null);
                ok(cloud, register(SENSOR, "thermo", "T1", Map.of("temperature", new PropertyDef("float", true)), Map.of()), null);
            });
            step("lamp-1 online, reports OFF", () -> {
                ok(edge, new TwinCommand.ChangeState(LAMP1, DeviceState.ONLINE), null);
                ok(edge, patch(LAMP1, false, "powerstatus", "\"OFF\""), "mqtt-1");
            });
            step("lamp-1 reports ON", () -> ok(edge, patch(LAMP1, false, "powerstatus", "\"ON\""), "mqtt-2"));
            step("desired OFF, lamp-9 on edge-b", () -> {
                ok(cloud, patch(LAMP1, true, "powerstatus", "\"OFF\""), "req-2");
                ok(cloud, new TwinCommand.RegisterDevice(LAMP9, "edge-b", "led-light", Map.of(), Map.of(), Map.of()), null);
            });
            offline = true;
            step("offline: both sides write", () -> {
                ok(edge, patch(SENSOR, false, "temperature", "21.5"), "mqtt-3");
                ok(cloud, patch(LAMP2, true, "powerstatus", "\"OFF\""), null);
            });
            offline = false;
            step("reconnect", () -> { });
            step("remove lamp-2", () -> ok(cloud, new TwinCommand.RemoveDevice(LAMP2), "req-3"));
            step("lamp-1 clears reported", () -> ok(edge, patch(LAMP1, false, "powerstatus", null), null));
            step("lamp-2 back, desired cleared", () -> {
                ok(cloud, register(LAMP2, "led-light", "A2b", Map.of("powerstatus", new PropertyDef("string", false)), Map.of()), null);
                ok(cloud, patch(LAMP1, true, "powerstatus", null), null);
            });
            Random random = new Random(6L);
            for (int b = 0; b < RANDOM_BATCHES; b++) {
                step("random batch " + b, () -> {
                    List<TwinStore.Request> batch = new ArrayList<>();
                    for (int i = 0; i < 10; i++) batch.add(TwinStore.Request.of(randomReport(random)));
                    for (Result r : edge.executeAll(batch)) record(edge, r);
                });
            }
        } finally {
            edge.close();
            cloud.close();
        }
    }

    private TwinCommand randomReport(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> patch(LAMP1, false, "powerstatus", random.nextBoolean() ? "\"ON\"" : "\"OFF\"");
            case 1 -> patch(SENSOR, false, "temperature", Integer.toString(150 + random.nextInt(150)) + ".5");
            case 2 -> patch(LAMP2, false, "brightness", Integer.toString(random.nextInt(101)));
            default -> new TwinCommand.ChangeState(random.nextBoolean() ? LAMP1 : LAMP2,
                    random.nextBoolean() ? DeviceState.ONLINE : DeviceState.OFFLINE);
        };
    }

    /** One step at its own second: the action, a sync unless offline, then both nodes' views recorded. */
    private void step(String name, Runnable action) {
        wall.addAndGet(1000);
        action.run();
        if (!offline) sync();
        snapshot(name, cloud, cloudSnapshots);
        snapshot(name, edge, edgeSnapshots);
    }

    private void snapshot(String name, TwinStore store, List<Snapshot> into) {
        Map<String, String> docs = new TreeMap<>();
        for (DeviceTwin t : store.list(ListFilter.ALL, null, 1000).items()) docs.put(t.id().toString(), t.documentJson());
        into.add(new Snapshot(name, lastPosition.get(store), wall.get(), !offline, docs));
    }

    /** Replicates each side's own streams to the other, as the sync protocol would: the journal's own bytes. */
    private void sync() {
        for (String stream : cloud.journal().streams()) {
            if (stream.equals("cloud/edge-a")) copy(cloud, edge, stream);
        }
        copy(edge, cloud, "edge/edge-a");
    }

    private void copy(TwinStore from, TwinStore to, String stream) {
        long next = to.journal().nextSeq(stream);
        if (next >= from.journal().nextSeq(stream)) return;
        List<byte[]> bytes = new ArrayList<>();
        try (JournalCursor c = from.journal().read(stream, next)) {
            for (JournalEntry e = c.next(); e != null; e = c.next()) bytes.add(e.bytes());
        }
        List<JournalEntry> accepted = to.acceptReplica(stream, bytes);
        JournalEntry last = accepted.get(accepted.size() - 1);
        lastPosition.put(to, last.stream() + ":" + last.seq());
    }

    private void ok(TwinStore store, TwinCommand command, String token) {
        record(store, store.execute(command, token, null));
    }

    private void record(TwinStore store, Result r) {
        if (!(r instanceof Result.Applied a)) throw new AssertionError("fixture command rejected: " + r);
        if (a.entries().isEmpty()) return;
        JournalEntry last = a.entries().get(a.entries().size() - 1);
        lastPosition.put(store, last.stream() + ":" + last.seq());
    }

    static TwinCommand.RegisterDevice register(DeviceId id, String model, String serial, Map<String, PropertyDef> props,
                                               Map<String, JsonNode> desired) {
        return new TwinCommand.RegisterDevice(id, "edge-a", model, Map.of("serial", JsonValues.text(serial)), props, desired);
    }

    static TwinCommand patch(DeviceId id, boolean desired, String property, String json) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        m.put(property, json == null ? null : json(json));
        return desired ? new TwinCommand.PatchDesired(id, m) : new TwinCommand.PatchReported(id, m);
    }

    static JsonNode json(String text) {
        return JsonValues.parse(text);
    }
}
