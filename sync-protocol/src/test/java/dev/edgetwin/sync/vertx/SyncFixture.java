package dev.edgetwin.sync.vertx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.edgetwin.log.ListFilter;
import dev.edgetwin.log.Result;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;
import dev.edgetwin.node.NodeCore;
import dev.edgetwin.node.NodeHttp;
import dev.edgetwin.sync.SyncOptions;
import dev.edgetwin.sync.Tokens;
import dev.edgetwin.sync.wire.SyncProtocol;

import io.vertx.core.http.HttpServerOptions;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Cloud and edge nodes in this JVM, talking over real WebSockets on loopback. */
final class SyncFixture {
    static final Duration CONVERGE = Duration.ofSeconds(60);
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Fast timers so tests of idle timeouts and reconnects stay short. */
    static final SyncOptions OPTIONS = SyncOptions.DEFAULT.withTimers(300, 1_500, 3_000);

    private SyncFixture() {
    }

    /** A cloud node serving /sync/v1 on a free (or the given) port. */
    record Cloud(NodeCore core, SyncServer server, int port) implements AutoCloseable {
        URI url() {
            return URI.create("ws://127.0.0.1:" + port + SyncProtocol.PATH);
        }

        TwinStore store() {
            return core.store();
        }

        @Override
        public void close() {
            core.close();
        }
    }

    record Edge(NodeCore core, SyncClient client) implements AutoCloseable {
        TwinStore store() {
            return core.store();
        }

        String id() {
            return core.store().nodeId();
        }

        @Override
        public void close() {
            core.close();
        }
    }

    static Cloud cloud(Path dir, int port) {
        return cloud(dir, port, (Tokens) null);
    }

    static Cloud cloud(Path dir, int port, Tokens tokens) {
        return cloud(dir, port, new SyncServer.Options(OPTIONS, tokens, 64L << 20));
    }

    static Cloud cloud(Path dir, int port, SyncServer.Options options) {
        return cloud(dir, options, NodeHttp.options("127.0.0.1", port));
    }

    static Cloud cloud(Path dir, SyncServer.Options options, HttpServerOptions http) {
        NodeCore core = NodeCore.open("cloud", dir, StoreOptions.cloud());
        try {
            SyncServer server = new SyncServer(core.vertx(), core.store(), core.writer(), core.metrics(), options);
            server.mount(core.router());
            core.onClose(server);
            int actual = core.listen(SyncServer.configure(http, options.sync()), "cloud http");
            return new Cloud(core, server, actual);
        } catch (RuntimeException e) {
            core.close();
            throw e;
        }
    }

    static Edge edge(String id, Path dir, URI cloud, String token) {
        return edge(id, dir, SyncClient.Options.of(cloud, token, OPTIONS).withReconnect(50, 500));
    }

    static Edge edge(String id, Path dir, SyncClient.Options options) {
        return edge(id, dir, options, StoreOptions.edge());
    }

    static Edge edge(String id, Path dir, SyncClient.Options options, StoreOptions store) {
        NodeCore core = NodeCore.open(id, dir, store);
        SyncClient client = new SyncClient(core.vertx(), core.store(), core.writer(), core.metrics(), options);
        core.onClose(client);
        client.start();
        return new Edge(core, client);
    }

    static DeviceId device(String edge, int i) {
        return DeviceId.of(edge + "-lamp-" + i);
    }

    /** The cloud registers {@code n} devices on {@code edge} with a desired power value. */
    static void registerOnCloud(Cloud cloud, String edge, int n) {
        for (int i = 0; i < n; i++) {
            Map<String, JsonNode> desired = Map.of("power", JSON.textNode("ON"));
            apply(cloud.core(), new TwinCommand.RegisterDevice(device(edge, i), edge, "lamp", Map.of("serial", JSON.textNode("S" + i)),
                    Map.of("power", PropertyDef.ANY, "level", new PropertyDef("int", false)), desired));
        }
    }

    static Result.Applied apply(NodeCore node, TwinCommand command) {
        Result r = node.writer().submit(TwinStore.Request.of(command)).join();
        assertThat(r).as("%s on %s", command, node.store().nodeId()).isInstanceOf(Result.Applied.class);
        return (Result.Applied) r;
    }

    static void report(Edge edge, DeviceId id, String property, JsonNode value) {
        apply(edge.core(), new TwinCommand.PatchReported(id, Map.of(property, value)));
    }

    static void desireOnEdge(Edge edge, DeviceId id, String property, JsonNode value) {
        apply(edge.core(), new TwinCommand.PatchDesired(id, Map.of(property, value)));
    }

    static void desireOnCloud(Cloud cloud, DeviceId id, String property, JsonNode value) {
        apply(cloud.core(), new TwinCommand.PatchDesired(id, Map.of(property, value)));
    }

    /** Waits until both streams of {@code edge} are fully replicated and the edge's devices have identical twins on both. */
    static void awaitConverged(Cloud cloud, Edge edge) {
        String up = SyncProtocol.edgeStream(edge.id());
        String down = SyncProtocol.cloudStream(edge.id());
        // the journal shows an append before the projection applied it: wait for both
        await().atMost(CONVERGE).untilAsserted(() -> {
            assertThat(cloud.store().journal().nextSeq(up)).as(up).isEqualTo(edge.store().journal().nextSeq(up));
            assertThat(edge.store().journal().nextSeq(down)).as(down).isEqualTo(cloud.store().journal().nextSeq(down));
            assertThat(edge.store().projection().checkpoint(down)).isEqualTo(cloud.store().journal().nextSeq(down));
            assertThat(cloud.store().projection().checkpoint(up)).isEqualTo(edge.store().journal().nextSeq(up));
            assertThat(documents(edge.store(), edge.id())).isEqualTo(documents(cloud.store(), edge.id())).isNotEmpty();
        });
    }

    /** Canonical documents of every existing device bound to {@code node}, by id. */
    static Map<String, String> documents(TwinStore store, String node) {
        Map<String, String> out = new TreeMap<>();
        String cursor = null;
        do {
            var page = store.list(ListFilter.node(node), cursor, 500);
            for (DeviceTwin t : page.items()) out.put(t.id().toString(), t.documentJson());
            cursor = page.nextCursor();
        } while (cursor != null);
        return out;
    }

    static List<String> streams(TwinStore store) {
        return new ArrayList<>(store.journal().streams());
    }
}
