package dev.edgetwin.cloud;

import dev.edgetwin.cloud.kube.KubeBridge;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.node.NodeCore;
import dev.edgetwin.node.NodeHttp;
import dev.edgetwin.node.NodeMain;
import dev.edgetwin.node.ReplicationLinks;
import dev.edgetwin.node.http.RestApi;
import dev.edgetwin.node.http.StoreNodeDirectory;
import dev.edgetwin.sync.ReplicationStatusSource;
import dev.edgetwin.sync.Tokens;
import dev.edgetwin.sync.vertx.SyncServer;
import io.vertx.core.http.HttpServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A running cloud node: the fleet twin store, the sync server for edges, the fleet REST API (its
 * {@code /api/v1/nodes} fed by the sync server's replication status) and, with {@code --kube},
 * the Kubernetes Device CRD bridge.
 */
public final class CloudNode implements NodeMain.Running, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CloudNode.class);
    /** Largest snapshot the cloud takes from an edge whose journal was trimmed (PROTOCOL.md §7). */
    static final long MAX_SNAPSHOT_BYTES = 256L << 20;

    private final CloudConfig config;
    private final NodeCore core;
    private final SyncServer sync;
    private volatile KubeBridge kube;

    private CloudNode(CloudConfig config, NodeCore core, SyncServer sync) {
        this.config = config;
        this.core = core;
        this.sync = sync;
    }

    /** Opens the store and starts the HTTP server (REST API and {@code /sync/v1}); returns once it listens. */
    public static CloudNode start(CloudConfig config) {
        Tokens tokens = config.tokenFile() == null ? null : readTokens(config.tokenFile());
        StoreOptions store = StoreOptions.cloud().withProjection(config.projection());
        store = store.withJournal(store.journal().withWarmAhead(config.journalWarmAhead()));
        NodeCore core = NodeCore.open(config.nodeId(), config.dataDir(), store, config.fsync());
        try {
            SyncServer sync = new SyncServer(core.vertx(), core.store(), core.writer(), core.metrics(),
                    new SyncServer.Options(config.sync(), tokens, MAX_SNAPSHOT_BYTES));
            sync.mount(core.router());
            core.onClose(sync);
            CloudNode node = new CloudNode(config, core, sync);
            RestApi.mount(core, config.api(), new StoreNodeDirectory(core.store(), new ReplicationLinks(sync)));
            if (config.kube()) {
                node.kube = KubeBridge.start(core, KubeBridge.client(config.kubeSettings(), core.vertx()), config.kubeSettings());
                core.onClose(node.kube);
            }
            HttpServerOptions http = SyncServer.configure(NodeHttp.options(config.bind(), config.httpPort()), config.sync());
            if (config.tlsCert() != null) NodeHttp.tls(http, config.tlsCert(), config.tlsKey());
            int port = core.listen(http, "cloud " + config.nodeId() + " http");
            LOG.info("cloud {} ready: http{}={}:{} data={} sync={} ({}){}", config.nodeId(), config.tlsCert() == null ? "" : "s", config.bind(),
                    port, config.dataDir(), "/sync/v1", tokens == null ? "any edge" : tokens.size() + " edge tokens",
                    config.kube() ? " kube bridge on" : "");
            return node;
        } catch (RuntimeException e) {
            core.close();
            throw e;
        }
    }

    private static Tokens readTokens(Path file) {
        try {
            return Tokens.parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("--token-file " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--token-file " + file + ": " + e.getMessage(), e);
        }
    }

    public CloudConfig config() {
        return config;
    }

    public NodeCore core() {
        return core;
    }

    /** Replication status of every edge (what {@code GET /api/v1/nodes} serves). */
    public ReplicationStatusSource nodes() {
        return sync;
    }

    public SyncServer sync() {
        return sync;
    }

    /** The Kubernetes bridge, or null without {@code --kube}. */
    public KubeBridge kube() {
        return kube;
    }

    public int httpPort() {
        return core.httpPort();
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
