package dev.edgetwin.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.EntryDraft;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.TwinEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.edgetwin.node.http.ApiNode.lamp;
import static org.assertj.core.api.Assertions.assertThat;

/** /healthz, /readyz, /metrics, /openapi.yaml and the optional bearer-token auth. */
class OperationsApiTest {
    @TempDir
    Path dir;
    ApiNode node;

    @AfterEach
    void stop() {
        if (node != null) node.close();
    }

    @Test
    void readyOnceTheProjectionHasCaughtUpWithTheJournal() {
        node = ApiNode.edge(dir, "edge-a", ApiOptions.DEFAULT);
        // entries in the journal that the projection has not applied (as after a crash, before replay)
        byte[] registered = EventCodec.encode(new TwinEvent.DeviceRegistered(DeviceId.of("lamp-1"), "edge-a", "m", Map.of(), Map.of()));
        List<JournalEntry> unapplied = node.core.store().journal().append("edge/edge-a",
                List.of(new EntryDraft(node.core.store().clock().now(), "edge-a", System.currentTimeMillis(), null, registered)));
        ApiNode.Reply notReady = node.get("/readyz");
        assertThat(notReady.status()).isEqualTo(503);
        assertThat(notReady.json().get("ready").booleanValue()).isFalse();
        assertThat(notReady.json().at("/lagging/edge~1edge-a").longValue()).isEqualTo(1);
        assertThat(metric(node.get("/metrics").body(), "edgetwin_projection_lag_entries")).isEqualTo(1.0);

        node.core.store().projection().apply(unapplied);
        ApiNode.Reply ready = node.get("/readyz");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("ready").booleanValue()).isTrue();
        assertThat(node.get("/api/v1/devices/lamp-1").status()).isEqualTo(200);
        assertThat(metric(node.get("/metrics").body(), "edgetwin_projection_lag_entries")).isEqualTo(0.0);
        assertThat(node.get("/healthz").body()).isEqualTo("ok\n");
    }

    static double metric(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
        assertThat(m.find()).as("%s in%n%s", series, scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void metricsInPrometheusFormatCountEventsJournalAndRequests() {
        node = ApiNode.cloud(dir, ApiOptions.DEFAULT);
        node.put("/api/v1/devices/lamp-1", lamp("edge-a", "ON"));
        node.patch("/api/v1/devices/lamp-1/desired", "{\"powerstatus\":\"OFF\"}");
        node.get("/api/v1/devices/lamp-1");
        node.get("/api/v1/devices/ghost");
        ApiNode.Reply r = node.get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/plain");
        String text = r.body();
        assertThat(metric(text, "edgetwin_events_applied_total{source=\"local\"}")).isEqualTo(3.0);
        assertThat(metric(text, "edgetwin_events_applied_total{source=\"replica\"}")).isEqualTo(0.0);
        assertThat(metric(text, "edgetwin_journal_entries")).isEqualTo(3.0);
        assertThat(metric(text, "edgetwin_journal_streams")).isEqualTo(1.0);
        assertThat(metric(text, "edgetwin_projection_lag_entries")).isEqualTo(0.0);
        assertThat(metric(text, "edgetwin_watch_sessions")).isEqualTo(0.0);
        assertThat(text).contains("edgetwin_writer_queue_depth");
        // request counts and latency by route template, method and status
        assertThat(metric(text, "edgetwin_http_requests_seconds_count{method=\"GET\",route=\"/api/v1/devices/:name\",status=\"200\"}"))
                .isEqualTo(1.0);
        assertThat(metric(text, "edgetwin_http_requests_seconds_count{method=\"GET\",route=\"/api/v1/devices/:name\",status=\"404\"}"))
                .isEqualTo(1.0);
        assertThat(metric(text, "edgetwin_http_requests_seconds_count{method=\"PUT\",route=\"/api/v1/devices/:name\",status=\"201\"}"))
                .isEqualTo(1.0);
        assertThat(text).contains("edgetwin_http_requests_seconds_sum{method=\"PATCH\",route=\"/api/v1/devices/:name/desired\",status=\"200\"}");
    }

    @Test
    void openApiDocumentIsServed() {
        node = ApiNode.cloud(dir, ApiOptions.DEFAULT);
        ApiNode.Reply r = node.get("/openapi.yaml");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("application/yaml");
        assertThat(r.body()).startsWith("openapi: 3.").contains("/api/v1/watch:");
    }

    @Test
    void withATokenFileTheApiAndMetricsNeedABearerTokenAndHealthStaysOpen() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), "# api tokens\n\nold-token\n  new-token  \n", StandardCharsets.UTF_8);
        node = ApiNode.cloud(dir.resolve("data"), ApiOptions.DEFAULT.withTokenFile(tokens));
        ApiNode.Reply anonymous = node.put("/api/v1/devices/lamp-1", lamp("edge-a", "ON"));
        JsonNode p = ProblemApiTest.problem(anonymous, 401, "http:unauthorized");
        assertThat(anonymous.header("www-authenticate")).startsWith("Bearer");
        assertThat(p.get("detail").textValue()).contains("Bearer");
        assertThat(node.core.store().journal().streams()).isEmpty();
        ProblemApiTest.problem(node.get("/api/v1/devices", Map.of("authorization", "Bearer wrong")), 401, "http:unauthorized");
        ProblemApiTest.problem(node.get("/api/v1/devices", Map.of("authorization", "Basic b2xkLXRva2Vu")), 401, "http:unauthorized");
        ProblemApiTest.problem(node.get("/metrics"), 401, "http:unauthorized");
        ProblemApiTest.problem(node.get("/api/v1/watch"), 401, "http:unauthorized");
        ProblemApiTest.problem(node.get("/api/v1/nodes"), 401, "http:unauthorized");
        assertThat(node.get("/healthz").status()).isEqualTo(200);
        assertThat(node.get("/readyz").status()).isEqualTo(200);
        assertThat(node.get("/openapi.yaml").status()).isEqualTo(200);

        node.token = "old-token";
        assertThat(node.put("/api/v1/devices/lamp-1", lamp("edge-a", "ON")).status()).isEqualTo(201);
        node.token = "new-token";
        assertThat(node.get("/api/v1/devices/lamp-1").status()).isEqualTo(200);
        assertThat(node.get("/metrics").status()).isEqualTo(200);
        assertThat(node.get("/api/v1/devices", Map.of("authorization", "bearer new-token")).status()).isEqualTo(200);
        SseClient watch = SseClient.open(node.http, node.uri("/api/v1/watch"), null, "new-token", true);
        try {
            assertThat(watch.status).isEqualTo(200);
        } finally {
            watch.close();
        }
    }

    @Test
    void anUnusableTokenFileStopsTheStart() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "# nothing\n\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApiNode.cloud(dir.resolve("a"), ApiOptions.DEFAULT.withTokenFile(empty)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds no token");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> ApiNode.cloud(dir.resolve("b"), ApiOptions.DEFAULT.withTokenFile(dir.resolve("missing"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be read");
    }
}
