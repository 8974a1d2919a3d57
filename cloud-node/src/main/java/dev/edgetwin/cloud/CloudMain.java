package dev.edgetwin.cloud;

import dev.edgetwin.cloud.kube.KubeFlags;
import dev.edgetwin.node.NodeFlags;
import dev.edgetwin.node.NodeMain;
import dev.edgetwin.node.SyncFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code bin/twin-cloud}: flags of DESIGN.md section 8, each also an environment variable. */
@Command(name = "twin-cloud", mixinStandardHelpOptions = true, sortOptions = false,
        description = "EdgeTwin cloud node: sync server for edges, fleet REST API, Kubernetes Device bridge.")
public final class CloudMain implements NodeMain.Command {
    @Mixin
    NodeFlags node;

    @Option(names = "--http-port", defaultValue = "8080", description = "REST API and /sync/v1 port, 0 = pick a free one (default: ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--kube", description = "run the Kubernetes Device CRD bridge (in-cluster config or KUBECONFIG)")
    boolean kube;

    @Mixin
    KubeFlags kubeFlags;

    @Option(names = "--token-file", description = "per-edge sync tokens, one '<node-id> <token>' per line (none: any edge is accepted)")
    Path tokenFile;

    @Option(names = "--tls-cert", description = "PEM certificate chain: serve HTTPS and wss:// (with --tls-key)")
    Path tlsCert;

    @Option(names = "--tls-key", description = "PEM private key of --tls-cert")
    Path tlsKey;

    @Mixin
    SyncFlags sync;

    @Override
    public NodeMain.Running start() {
        return CloudNode.start(config());
    }

    /** The settings these flags describe; throws {@link IllegalArgumentException} naming a bad flag. */
    CloudConfig config() {
        node.validate();
        return new CloudConfig(node.nodeId, node.dataDir, node.bind, NodeFlags.port("--http-port", httpPort),
                kube, tokenFile, node.fsyncPolicy(), tlsCert, tlsKey, sync.options(), node.apiOptions(), kubeFlags.settings(),
                node.projectionOptions(), node.journalWarmAhead);
    }

    /** Parses flags (and EDGETWIN_* variables) into settings, for running a cloud inside another program. */
    public static CloudConfig parse(String... args) {
        return NodeMain.parse(new CloudMain(), args).config();
    }

    public static void main(String[] args) {
        int code = NodeMain.run(new CloudMain(), args);
        if (code != 0) System.exit(code);
    }
}
