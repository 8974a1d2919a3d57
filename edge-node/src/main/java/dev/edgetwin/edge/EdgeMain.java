package dev.edgetwin.edge;

import dev.edgetwin.edge.mqtt.MqttSettings;
import dev.edgetwin.edge.mqtt.broker.Credentials;
import dev.edgetwin.node.NodeFlags;
import dev.edgetwin.node.NodeMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

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

    @Option(names = "--mqtt-users", description = "users file of the embedded broker: name:password or name:sha256:<hex> per line (default: anonymous access)")
    Path mqttUsers;

    @Option(names = "--mqtt-username", description = "user name at the external broker (--mqtt-broker)")
    String mqttUsername;

    @Option(names = "--mqtt-password", description = "password at the external broker (--mqtt-broker)")
    String mqttPassword;

    @Option(names = "--mqtt-config", description = "MQTT limits and options, a properties file (keys in edge-node/MQTT.md)")
    Path mqttConfig;

    @Override
    public NodeMain.Running start() {
        node.validate();
        MqttSettings mqtt = MqttSettings.embedded(node.nodeId, node.bind, NodeFlags.port("--mqtt-port", mqttPort));
        if (mqttConfig != null) mqtt = mqtt.withFile(mqttConfig);
        if (mqttUsers != null) mqtt = mqtt.withUsers(Credentials.load(mqttUsers));
        if (mqttBroker != null && !mqttBroker.isBlank()) {
            mqtt = mqtt.withExternal(MqttSettings.parseExternal(mqttBroker), mqttUsername, mqttPassword);
        }
        EdgeConfig config = new EdgeConfig(node.nodeId, node.dataDir, node.bind, NodeFlags.port("--http-port", httpPort),
                cloud, token, node.fsyncPolicy(), mqtt, node.apiOptions());
        return EdgeNode.start(config);
    }

    public static void main(String[] args) {
        int code = NodeMain.run(new EdgeMain(), args);
        if (code != 0) System.exit(code);
    }
}
