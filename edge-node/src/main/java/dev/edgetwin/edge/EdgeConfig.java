package dev.edgetwin.edge;

import dev.edgetwin.log.FsyncPolicy;
import dev.edgetwin.node.http.ApiOptions;

import java.nio.file.Path;

/**
 * An edge node's settings (flags of {@link EdgeMain}, DESIGN.md section 8).
 *
 * @param cloudUrl   the cloud's sync endpoint ({@code ws://host:8080/sync/v1}), null to run alone
 * @param token      this node's bearer token for the cloud, may be null
 * @param mqttBroker an external broker ({@code tcp://host:1883}) instead of the embedded one, or null
 * @param api        REST API settings (token file, limits)
 */
public record EdgeConfig(String nodeId, Path dataDir, String bind, int httpPort, int mqttPort, String cloudUrl,
                         String token, String mqttBroker, FsyncPolicy fsync, ApiOptions api) {

    public EdgeConfig withApi(ApiOptions options) {
        return new EdgeConfig(nodeId, dataDir, bind, httpPort, mqttPort, cloudUrl, token, mqttBroker, fsync, options);
    }

    /** Loopback, free ports, no cloud: for tests. */
    public static EdgeConfig local(String nodeId, Path dataDir) {
        return new EdgeConfig(nodeId, dataDir, "127.0.0.1", 0, 0, null, null, null, FsyncPolicy.DEFAULT, ApiOptions.DEFAULT);
    }

    public EdgeConfig withCloud(String url, String token) {
        return new EdgeConfig(nodeId, dataDir, bind, httpPort, mqttPort, url, token, mqttBroker, fsync, api);
    }
}
