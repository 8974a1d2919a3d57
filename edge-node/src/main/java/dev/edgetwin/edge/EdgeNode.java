package dev.edgetwin.edge;

import dev.edgetwin.edge.mqtt.MqttTransport;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.chronicle.JournalOptions;
import dev.edgetwin.node.NodeCore;
import dev.edgetwin.node.NodeHttp;
import dev.edgetwin.node.NodeMain;
import dev.edgetwin.node.http.RestApi;
import dev.edgetwin.sync.vertx.EdgeRetention;
import dev.edgetwin.sync.vertx.SyncClient;
import io.vertx.core.http.HttpServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A running edge node: the twin store, the edge REST API, MQTT twin topics and the sync client. */
public final class EdgeNode implements NodeMain.Running, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeNode.class);
    /** Largest snapshot the edge takes from the cloud (PROTOCOL.md §7). */
    static final long MAX_SNAPSHOT_BYTES = 256L << 20;

    private final EdgeConfig config;
    private final NodeCore core;
    private final SyncClient sync;
    private final MqttTransport mqtt;

    private EdgeNode(EdgeConfig config, NodeCore core, SyncClient sync, MqttTransport mqtt) {
        this.config = config;
        this.core = core;
        this.sync = sync;
        this.mqtt = mqtt;
    }

    /** Opens the store and starts every server and the sync client; returns once they listen. */
    public static EdgeNode start(EdgeConfig config) {
        SyncClient.Options syncOptions = config.cloudUrl() == null ? null : syncOptions(config);
        StoreOptions store = StoreOptions.edge().withProjection(config.projection());
        store = store.withJournal(store.journal().withRollCycle(JournalOptions.rollCycleNamed(config.journalRoll()))
                .withWarmAhead(config.journalWarmAhead()));
        NodeCore core = NodeCore.open(config.nodeId(), config.dataDir(), store, config.fsync());
        try {
            // MQTT works from the first start, with or without a cloud (offline autonomy)
            MqttTransport mqtt = MqttTransport.start(core, config.mqtt(), config.dataDir());
            core.onClose(mqtt);
            SyncClient sync = null;
            if (syncOptions != null) {
                // on the MQTT side's loop: a group commit then wakes one loop for its PUBACKs and its data frame
                sync = new SyncClient(core.vertx(), mqtt.context(), core.store(), core.writer(), core.metrics(), syncOptions);
                core.onClose(sync);
            }
            EdgeRetention retention = new EdgeRetention(core.vertx(), core.store(), core.writer(), sync, core.metrics(), config.retention());
            core.onClose(retention);
            retention.start();
            EdgeNode node = new EdgeNode(config, core, sync, mqtt);
            RestApi.mount(core, config.api(), null); // the edge's own devices; no /api/v1/nodes
            HttpServerOptions httpOptions = NodeHttp.options(config.bind(), config.httpPort());
            if (config.tlsCert() != null) NodeHttp.tls(httpOptions, config.tlsCert(), config.tlsKey());
            int http = core.listen(httpOptions, "edge " + config.nodeId() + " http");
            if (sync != null) sync.start();
            String tls = (config.tlsCert() == null ? "" : " http") + (config.mqtt().tlsCert() == null ? "" : " mqtt");
            LOG.info("edge {} ready: http={}:{} mqtt={} data={} cloud={}{}", config.nodeId(), config.bind(), http,
                    config.mqtt().external() == null ? config.mqtt().bind() + ":" + mqtt.port() : config.mqtt().external(),
                    config.dataDir(), config.cloudUrl() == null ? "none (running alone)" : config.cloudUrl(),
                    tls.isEmpty() ? "" : " tls:" + tls);
            return node;
        } catch (RuntimeException e) {
            core.close();
            throw e;
        }
    }

    private static SyncClient.Options syncOptions(EdgeConfig c) {
        URI url;
        try {
            url = new URI(c.cloudUrl());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--cloud: " + e.getMessage(), e);
        }
        try {
            return new SyncClient.Options(url, c.token(), c.cloudCa(), c.sync(), c.reconnectMinMs(), c.reconnectMaxMs(), 10_000,
                    MAX_SNAPSHOT_BYTES);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--cloud: " + e.getMessage(), e);
        }
    }

    public EdgeConfig config() {
        return config;
    }

    public NodeCore core() {
        return core;
    }

    /** The sync client, or null when the edge runs without a cloud. */
    public SyncClient sync() {
        return sync;
    }

    public int httpPort() {
        return core.httpPort();
    }

    /** The embedded broker's port, or -1 in external-broker mode. */
    public int mqttPort() {
        return mqtt.port();
    }

    /**
     * Reads the embedded broker's users and ACL files again and puts them in force (what SIGHUP
     * does to a running edge); waits for it.
     *
     * @return what was done
     * @throws IllegalStateException when nothing was reloaded (no such file, one that cannot be used: the old ones stay)
     */
    public String reloadMqttAccess() {
        try {
            return mqtt.reloadAccess().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the reload did not finish in 30 s", e);
        }
    }

    /** The embedded broker's MQTT-over-WebSocket port ({@code --mqtt-ws-port}), -1 when it has none. */
    public int mqttWebSocketPort() {
        return mqtt.webSocketPort();
    }

    public MqttTransport mqtt() {
        return mqtt;
    }

    @Override
    public void stop() {
        core.close();
    }

    @Override
    public void close() {
        stop();
    }
}
