package dev.edgetwin.edge;

import dev.edgetwin.sync.vertx.EdgeRetention;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A brand-new edge that never met a cloud serves its REST API: local registrations bound to itself;
 * with a full journal it cannot trim, local writes are refused (507) rather than lost.
 */
class EdgeRestApiTest {
    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

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

    @Test
    void aFullJournalRefusesLocalWritesWith507AndChangesNothing() throws Exception {
        // a free-space floor no disk meets, and no cloud to acknowledge anything: retention may trim nothing
        EdgeRetention.Options full = new EdgeRetention.Options(null, 0, Long.MAX_VALUE / 4, Duration.ofMillis(50));
        try (EdgeNode edge = EdgeNode.start(EdgeConfig.local("edge-a", dir).withRetention(full, "daily"))) {
            int port = edge.httpPort();
            await().atMost(Duration.ofSeconds(30)).until(() -> edge.core().metrics().scrape().contains("edgetwin_retention_storage_full 1.0"));
            HttpResponse<String> put = send(port, "PUT", "/api/v1/devices/lamp-1", "{\"twin\":{\"powerstatus\":{\"desired\":{\"value\":\"OFF\"}}}}");
            assertThat(put.statusCode()).isEqualTo(507);
            assertThat(put.headers().firstValue("content-type")).contains("application/problem+json");
            assertThat(put.body()).contains("\"code\":\"twin:storage.full\"", "\"title\":\"Journal storage full\"");
            assertThat(edge.core().store().journal().nextSeq("edge/edge-a")).isZero();
            assertThat(send(port, "GET", "/api/v1/devices/lamp-1", null).statusCode()).isEqualTo(404);
        }
    }
}
