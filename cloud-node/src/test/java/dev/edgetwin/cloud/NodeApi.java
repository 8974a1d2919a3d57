package dev.edgetwin.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.model.JsonValues;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A node's REST API as a client sees it over real HTTP on 127.0.0.1 (cloud or edge: the same API). */
public final class NodeApi {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final int port;

    public NodeApi(int port) {
        this.port = port;
    }

    /** One request; {@code body} (sent as {@code contentType}) and {@code token} (a bearer token) may be null. */
    public HttpResponse<String> send(String method, String path, String body, String contentType, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("content-type", contentType);
        if (token != null) b.header("authorization", "Bearer " + token);
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET of a JSON resource: its document, or null when the node answers 404. */
    public JsonNode getJson(String path) {
        HttpResponse<String> r = send("GET", path, null, null, null);
        if (r.statusCode() == 404) return null;
        if (r.statusCode() != 200) throw new AssertionError("GET " + path + ": " + r.statusCode() + " " + r.body());
        return JsonValues.parse(r.body());
    }

    /** A JSON merge patch of desired values ({@code PATCH …/desired}); returns the status. */
    public int patchDesired(String device, String mergePatch) {
        return send("PATCH", "/api/v1/devices/" + device + "/desired", mergePatch, "application/merge-patch+json", null).statusCode();
    }

    /** {@code PUT /api/v1/devices/{name}} of a twin document; returns the status. */
    public int put(String device, String document) {
        return send("PUT", "/api/v1/devices/" + device, document, "application/json", null).statusCode();
    }
}
