package dev.edgetwin.edge;

import dev.edgetwin.node.NodeFlags;
import dev.edgetwin.node.NodeMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bin/twin-edge}: flags of DESIGN.md section 8, each also an environment variable. */
@Command(name = "twin-edge", mixinStandardHelpOptions = true, sortOptions = false,
        description = "EdgeTwin edge node: MQTT twin topics (KubeEdge-compatible), edge REST API, sync with the cloud.")
public final class EdgeMain implements NodeMain.Command {
    @Mixin
    NodeFlags node;

    @Option(names = "--http-port", defaultValue = "8081", description = "REST API port, 0 = pick a free one (default: ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--mqtt-port", defaultValue = "1883", description = "embedded MQTT broker port, 0 = pick a free one (default: ${DEFAULT-VALUE})")
    int mqttPort;

    @Option(names = "--cloud", description = "the cloud's sync endpoint, e.g. ws://cloud:8080/sync/v1 (none: run alone)")
    String cloud;

    @Option(names = "--token", description = "bearer token of this node for the cloud")
    String token;

    @Option(names = "--mqtt-broker", description = "use this external MQTT broker (tcp://host:1883) instead of the embedded one")
    String mqttBroker;

    @Override
    public NodeMain.Running start() {
        node.validate();
        EdgeConfig config = new EdgeConfig(node.nodeId, node.dataDir, node.bind, NodeFlags.port("--http-port", httpPort),
                NodeFlags.port("--mqtt-port", mqttPort), cloud, token, mqttBroker, node.fsyncPolicy(), node.apiOptions());
        return EdgeNode.start(config);
    }

    public static void main(String[] args) {
        int code = NodeMain.run(new EdgeMain(), args);
        if (code != 0) System.exit(code);
    }
}
