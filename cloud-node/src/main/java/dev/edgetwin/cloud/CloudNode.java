package dev.edgetwin.cloud;

import dev.edgetwin.cloud.kube.KubeBridge;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.node.NodeCore;
import dev.edgetwin.node.NodeMain;
import dev.edgetwin.node.http.PeerLinks;
import dev.edgetwin.node.http.RestApi;
import dev.edgetwin.node.http.StoreNodeDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running cloud node: the fleet twin store, the sync server for edges, the fleet REST API and, with
 * {@code --kube}, the Kubernetes Device CRD bridge.
 */
public final class CloudNode implements NodeMain.Running, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CloudNode.class);

    private final CloudConfig config;
    private final NodeCore core;
    private volatile KubeBridge kube;

    private CloudNode(CloudConfig config, NodeCore core) {
        this.config = config;
        this.core = core;
    }

    /** Opens the store and starts the HTTP server (REST API and {@code /sync/v1}); returns once it listens. */
    public static CloudNode start(CloudConfig config) {
        NodeCore core = NodeCore.open(config.nodeId(), config.dataDir(), StoreOptions.cloud(), config.fsync());
        try {
            CloudNode node = new CloudNode(config, core);
            // PeerLinks.NONE until the sync server is wired: it supplies connection state and peer positions
            RestApi.mount(core, config.api(), new StoreNodeDirectory(core.store(), PeerLinks.NONE));
            if (config.kube()) {
                node.kube = KubeBridge.start(core, KubeBridge.client(config.kubeSettings(), core.vertx()), config.kubeSettings());
                core.onClose(node.kube);
            }
            int http = core.listen(config.bind(), config.httpPort(), "cloud " + config.nodeId() + " http");
            LOG.info("cloud {} ready: http={}:{} data={}", config.nodeId(), config.bind(), http, config.dataDir());
            return node;
        } catch (RuntimeException e) {
            core.close();
            throw e;
        }
    }

    public CloudConfig config() {
        return config;
    }

    public NodeCore core() {
        return core;
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
