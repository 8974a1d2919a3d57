package dev.edgetwin.cloud.kube;

import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.node.NodeCore;
import io.micrometer.core.instrument.Counter;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A cloud node core (store, writer, Vert.x, metrics) with a Kubernetes bridge that tests can stop and start again. */
final class BridgeHarness implements AutoCloseable {
    final NodeCore core;
    final KubeMock kube;
    private KubeSettings settings;
    KubeBridge bridge;

    BridgeHarness(Path dir, KubeMock kube, KubeSettings settings) {
        this.core = NodeCore.open("cloud", dir.resolve("cloud"), StoreOptions.cloud());
        this.kube = kube;
        this.settings = settings;
    }

    static KubeSettings fast() {
        return KubeSettings.defaults().withStatusInterval(Duration.ofMillis(200)).withResync(Duration.ZERO)
                .withMaxRetryDelay(Duration.ofMillis(500));
    }

    BridgeHarness start() throws Exception {
        bridge = KubeBridge.start(core, kube.bridgeClient(core.vertx()), settings);
        bridge.ready().get(60, TimeUnit.SECONDS);
        return this;
    }

    BridgeHarness start(KubeSettings s) throws Exception {
        settings = s;
        return start();
    }

    void stop() {
        if (bridge != null) bridge.close();
        bridge = null;
    }

    /** True while a DeviceStatus write of {@code id} waits for its interval. */
    boolean bridgeStatusPending(DeviceId id) {
        return bridge.statusPending(id);
    }

    DeviceTwin twin(DeviceId id) {
        return core.store().projection().raw(id);
    }

    /** Entries in the cloud's journal, over every stream. */
    long journalSize() {
        long n = 0;
        for (String s : core.store().journal().streams()) n += core.store().journal().nextSeq(s);
        return n;
    }

    double counter(String name, String... tags) {
        Counter c = core.metrics().find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void close() {
        stop();
        core.close();
    }
}
