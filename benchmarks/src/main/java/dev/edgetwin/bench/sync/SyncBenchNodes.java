package dev.edgetwin.bench.sync;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;
import dev.edgetwin.node.NodeCore;
import dev.edgetwin.node.NodeHttp;
import dev.edgetwin.sync.SyncOptions;
import dev.edgetwin.sync.vertx.SyncClient;
import dev.edgetwin.sync.vertx.SyncServer;
import dev.edgetwin.sync.wire.SyncProtocol;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Cloud and edge nodes inside a benchmark JVM (the same wiring as CloudNode and EdgeNode), and the machine facts a result needs. */
final class SyncBenchNodes {
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SyncBenchNodes() {
    }

    record Cloud(NodeCore core, SyncServer server, int port) {
        URI url() {
            return URI.create("ws://127.0.0.1:" + port + SyncProtocol.PATH);
        }
    }

    static Cloud cloud(Path dir, SyncOptions sync) {
        NodeCore core = NodeCore.open("cloud", dir, StoreOptions.cloud());
        SyncServer server = new SyncServer(core.vertx(), core.store(), core.writer(), core.metrics(), new SyncServer.Options(sync, null, 256L << 20));
        server.mount(core.router());
        core.onClose(server);
        int port = core.listen(SyncServer.configure(NodeHttp.options("127.0.0.1", 0), sync), "bench cloud http");
        return new Cloud(core, server, port);
    }

    static NodeCore edge(String id, Path dir) {
        return NodeCore.open(id, dir, StoreOptions.edge());
    }

    static SyncClient connect(NodeCore edge, URI cloud, SyncOptions sync) {
        SyncClient c = new SyncClient(edge.vertx(), edge.store(), edge.writer(), edge.metrics(), SyncClient.Options.of(cloud, null, sync));
        edge.onClose(c);
        c.start();
        return c;
    }

    static DeviceId device(String edge, int i) {
        return DeviceId.of(edge + "-dev-" + i);
    }

    /** Registers {@code devices} devices on the edge itself (edge/<id>), in batches. */
    static void registerDevices(TwinStore store, int devices) {
        List<TwinStore.Request> batch = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            batch.add(TwinStore.Request.of(new TwinCommand.RegisterDevice(device(store.nodeId(), i), store.nodeId(), "sensor", Map.of(),
                    Map.of("level", PropertyDef.ANY, "power", PropertyDef.ANY), Map.of())));
            if (batch.size() == 1000) {
                store.executeAll(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) store.executeAll(batch);
    }

    static TwinStore.Request report(String edge, int device, long value) {
        return TwinStore.Request.of(new TwinCommand.PatchReported(device(edge, device), Map.of("level", JSON.numberNode(value))));
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return String.valueOf(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    static long usedHeapAfterGc() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }

    static long arg(String[] args, String name, long dflt) {
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(name)) return Long.parseLong(args[i + 1].replace("_", ""));
        return dflt;
    }

    static String arg(String[] args, String name, String dflt) {
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(name)) return args[i + 1];
        return dflt;
    }
}
