package dev.edgetwin.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The few calls of a node's REST API (DESIGN.md section 8) the demo makes, with the JDK's HTTP client. */
final class CloudApi {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    private final String base;

    /** A reply: its status and JSON body (a twin document, or a problem document on an error). */
    record Reply(int status, JsonNode body) {
    }

    CloudApi(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    String base() {
        return base;
    }

    /** {@code GET /api/v1/devices/{name}}: the twin document, or empty on 404. */
    Optional<JsonNode> device(String name) throws IOException, InterruptedException {
        Reply r = send(HttpRequest.newBuilder(uri("/api/v1/devices/" + name)).GET());
        if (r.status() == 404) return Optional.empty();
        if (r.status() != 200) throw new IOException("GET /api/v1/devices/" + name + ": " + describe(r));
        return Optional.of(r.body());
    }

    /** {@code PUT /api/v1/devices/{name}}: 201 (new) or 200 (replaced); another status is an {@link IOException}. */
    Reply put(String name, JsonNode registration) throws IOException, InterruptedException {
        Reply r = send(HttpRequest.newBuilder(uri("/api/v1/devices/" + name)).header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(registration))));
        if (r.status() != 200 && r.status() != 201) throw new IOException("PUT /api/v1/devices/" + name + ": " + describe(r));
        return r;
    }

    /** {@code GET path}: true on a 200 (for {@code /healthz}); false when nothing answers. */
    boolean ok(String path) throws InterruptedException {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            body = JSON.getNodeFactory().textNode(r.body());
        }
        return new Reply(r.statusCode(), body);
    }

    private static String describe(Reply r) {
        JsonNode b = r.body();
        String code = b.path("code").asText("");
        String detail = b.path("detail").asText(b.path("title").asText(b.toString()));
        return r.status() + (code.isEmpty() ? "" : " " + code) + " " + detail;
    }
}
