package dev.edgetwin.edge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A brand-new edge that never met a cloud serves its REST API: local registrations bound to itself. */
class EdgeRestApiTest {
    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("content-type", method.equals("PATCH") ? "application/merge-patch+json" : "application/json");
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void registersLocallyAndRefusesDevicesOfOtherNodes() throws Exception {
        try (EdgeNode edge = EdgeNode.start(EdgeConfig.local("edge-a", dir))) {
            int port = edge.httpPort();
            HttpResponse<String> put = send(port, "PUT", "/api/v1/devices/lamp-1", "{\"twin\":{\"powerstatus\":{\"desired\":{\"value\":\"OFF\"}}}}");
            assertThat(put.statusCode()).isEqualTo(201);
            assertThat(put.body()).contains("\"node\":\"edge-a\"");
            assertThat(send(port, "PATCH", "/api/v1/devices/lamp-1/desired", "{\"powerstatus\":\"ON\"}").statusCode()).isEqualTo(200);
            assertThat(edge.core().store().journal().nextSeq("edge/edge-a")).isEqualTo(3);
            HttpResponse<String> foreign = send(port, "PUT", "/api/v1/devices/lamp-2", "{\"node\":\"edge-b\"}");
            assertThat(foreign.statusCode()).isEqualTo(403);
            assertThat(foreign.headers().firstValue("content-type")).contains("application/problem+json");
            assertThat(foreign.body()).contains("\"code\":\"twin:node.foreign\"");
            assertThat(send(port, "GET", "/api/v1/nodes", null).statusCode()).isEqualTo(404);
        }
    }
}
