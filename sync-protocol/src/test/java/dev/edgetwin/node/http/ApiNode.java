package dev.edgetwin.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.node.NodeCore;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A node core with the REST API mounted, listening on a free loopback port, and a plain
 * {@code java.net.http} client for it: what the tests talk to over real HTTP.
 */
final class ApiNode implements AutoCloseable {
    final NodeCore core;
    final RestApi api;
    final int port;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    String token;

    private ApiNode(NodeCore core, RestApi api) {
        this.core = core;
        this.api = api;
        this.port = core.listen("127.0.0.1", 0, "test api");
    }

    static ApiNode cloud(Path dir, ApiOptions options) {
        return cloud(dir, options, PeerLinks.NONE);
    }

    static ApiNode cloud(Path dir, ApiOptions options, PeerLinks links) {
        NodeCore core = NodeCore.open("cloud", dir, StoreOptions.cloud());
        return start(core, options, new StoreNodeDirectory(core.store(), links));
    }

    static ApiNode edge(Path dir, String nodeId, ApiOptions options) {
        return start(NodeCore.open(nodeId, dir, StoreOptions.edge()), options, null);
    }

    private static ApiNode start(NodeCore core, ApiOptions options, NodeDirectory directory) {
        try {
            return new ApiNode(core, RestApi.mount(core, options, directory));
        } catch (RuntimeException e) {
            core.close();
            throw e;
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A response with its body read as text, and as JSON when it is JSON. */
    record Reply(int status, java.net.http.HttpHeaders headers, String body) {
        JsonNode json() {
            return JsonValues.parse(body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String contentType() {
            return header("content-type");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    Reply send(String method, String path, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) b.header("content-type", contentType);
        if (token != null) b.header("authorization", "Bearer " + token);
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply get(String path) {
        return send("GET", path, null, null, Map.of());
    }

    Reply get(String path, Map<String, String> headers) {
        return send("GET", path, null, null, headers);
    }

    Reply put(String path, String json) {
        return send("PUT", path, "application/json", json, Map.of());
    }

    Reply put(String path, String json, Map<String, String> headers) {
        return send("PUT", path, "application/json", json, headers);
    }

    Reply patch(String path, String json) {
        return send("PATCH", path, "application/merge-patch+json", json, Map.of());
    }

    Reply patch(String path, String json, Map<String, String> headers) {
        return send("PATCH", path, "application/merge-patch+json", json, headers);
    }

    Reply delete(String path) {
        return send("DELETE", path, null, null, Map.of());
    }

    /** A lamp registration body on {@code node} with a desired powerstatus. */
    static String lamp(String node, String power) {
        return "{\"node\":\"" + node + "\",\"model\":\"led-light\",\"attributes\":{\"serial\":\"A1\"},"
                + "\"twin\":{\"powerstatus\":{\"type\":\"string\",\"desired\":{\"value\":\"" + power + "\"}}}}";
    }

    @Override
    public void close() {
        core.close();
    }
}
