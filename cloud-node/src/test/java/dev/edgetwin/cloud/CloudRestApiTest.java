package dev.edgetwin.cloud;

import dev.edgetwin.node.EnvDefaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The cloud node serves the REST API (with the node list), and its flags reach the API's settings. */
class CloudRestApiTest {
    @TempDir
    Path dir;

    static HttpResponse<String> send(int port, String method, String path, String body, String token) {
        return new NodeApi(port).send(method, path, body, "application/json", token);
    }

    @Test
    void servesTheFleetApiWithTheNodeList() throws Exception {
        try (CloudNode cloud = CloudNode.start(CloudConfig.local("cloud", dir))) {
            int port = cloud.httpPort();
            HttpResponse<String> put = send(port, "PUT", "/api/v1/devices/lamp-1",
                    "{\"node\":\"edge-a\",\"model\":\"led-light\",\"twin\":{\"powerstatus\":{\"desired\":{\"value\":\"ON\"}}}}", null);
            assertThat(put.statusCode()).isEqualTo(201);
            assertThat(put.headers().firstValue("etag")).isPresent();
            HttpResponse<String> nodes = send(port, "GET", "/api/v1/nodes", null, null);
            assertThat(nodes.statusCode()).isEqualTo(200);
            assertThat(nodes.body()).contains("\"node\":\"edge-a\"").contains("\"stream\":\"cloud/edge-a\"");
            assertThat(send(port, "GET", "/readyz", null, null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void apiTokenFileComesFromTheFlagOrItsEnvironmentVariable() throws Exception {
        Path tokens = Files.writeString(dir.resolve("api-tokens"), "s3cret\n");
        CloudMain viaEnv = new CloudMain();
        new CommandLine(viaEnv).setDefaultValueProvider(new EnvDefaults(Map.of("EDGETWIN_API_TOKEN_FILE", tokens.toString())))
                .parseArgs("--node-id", "cloud");
        viaEnv.node.validate();
        assertThat(viaEnv.node.apiOptions().tokenFile()).isEqualTo(tokens);
        CloudMain viaFlag = new CloudMain();
        new CommandLine(viaFlag).setDefaultValueProvider(new EnvDefaults(Map.of()))
                .parseArgs("--node-id", "cloud", "--api-token-file", tokens.toString(), "--api-max-body-bytes", "4096");
        assertThat(viaFlag.node.apiOptions().maxBodyBytes()).isEqualTo(4096);

        CloudConfig config = CloudConfig.local("cloud", dir.resolve("data")).withApi(viaFlag.node.apiOptions());
        try (CloudNode cloud = CloudNode.start(config)) {
            int port = cloud.httpPort();
            assertThat(send(port, "GET", "/api/v1/devices", null, null).statusCode()).isEqualTo(401);
            assertThat(send(port, "GET", "/api/v1/devices", null, "s3cret").statusCode()).isEqualTo(200);
            assertThat(send(port, "GET", "/healthz", null, null).statusCode()).isEqualTo(200);
            HttpResponse<String> big = send(port, "PUT", "/api/v1/devices/lamp-1", "{\"node\":\"edge-a\",\"model\":\"" + "m".repeat(5000) + "\"}",
                    "s3cret");
            assertThat(big.statusCode()).isEqualTo(413);
        }
    }
}
