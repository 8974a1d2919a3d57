package dev.edgetwin.edge;

import dev.edgetwin.edge.mqtt.MqttSettings;
import dev.edgetwin.log.FsyncPolicy;
import dev.edgetwin.node.http.ApiOptions;

import java.nio.file.Path;

/**
 * An edge node's settings (flags of {@link EdgeMain}, DESIGN.md section 8).
 *
 * @param cloudUrl   the cloud's sync endpoint ({@code ws://host:8080/sync/v1}), null to run alone
 * @param token      this node's bearer token for the cloud, may be null
 * @param mqtt       the MQTT side: embedded broker ({@code --mqtt-port}) or external broker
 *                   ({@code --mqtt-broker}), credentials and limits
 * @param api        REST API settings (token file, limits)
 */
public record EdgeConfig(String nodeId, Path dataDir, String bind, int httpPort, String cloudUrl,
                         String token, FsyncPolicy fsync, MqttSettings mqtt, ApiOptions api) {

    /** Loopback, free ports, no cloud, embedded broker: for tests. */
    public static EdgeConfig local(String nodeId, Path dataDir) {
        return new EdgeConfig(nodeId, dataDir, "127.0.0.1", 0, null, null, FsyncPolicy.DEFAULT,
                MqttSettings.embedded(nodeId, "127.0.0.1", 0), ApiOptions.DEFAULT);
    }

    public EdgeConfig withCloud(String url, String token) {
        return new EdgeConfig(nodeId, dataDir, bind, httpPort, url, token, fsync, mqtt, api);
    }

    public EdgeConfig withFsync(FsyncPolicy policy) {
        return new EdgeConfig(nodeId, dataDir, bind, httpPort, cloudUrl, token, policy, mqtt, api);
    }

    public EdgeConfig withMqtt(MqttSettings settings) {
        return new EdgeConfig(nodeId, dataDir, bind, httpPort, cloudUrl, token, fsync, settings, api);
    }

    public EdgeConfig withApi(ApiOptions options) {
        return new EdgeConfig(nodeId, dataDir, bind, httpPort, cloudUrl, token, fsync, mqtt, options);
    }
}
