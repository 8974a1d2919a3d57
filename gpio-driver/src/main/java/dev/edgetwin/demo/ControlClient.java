package dev.edgetwin.demo;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** {@code bin/twin-demo status|stop|start}: asks the demo running from a folder through its {@link ControlServer}. */
final class ControlClient {
    /** A stop or a start waits for the process: a JVM stopping cleanly, or starting on a busy machine. */
    static final Duration TIMEOUT = Duration.ofSeconds(150);
    private final JsonNode state;

    ControlClient(DemoFolder folder) throws DemoException {
        state = StateFile.read(folder.state());
        if (!StateFile.supervisorAlive(state)) {
            throw new DemoException(404, "the demo of " + folder.root() + " is not running (pid " + state.path("pid").asLong() + " is gone)");
        }
    }

    JsonNode status() throws DemoException {
        return send("GET", "/status");
    }

    String act(String name, String action) throws DemoException {
        return send("POST", "/processes/" + name + "/" + action).path("message").asText();
    }

    private JsonNode send(String method, String path) throws DemoException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(state.path("control").asText() + path)).timeout(TIMEOUT)
                .header("authorization", "Bearer " + state.path("controlToken").asText())
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = CloudApi.JSON.readTree(r.body());
            if (r.statusCode() != 200) throw new DemoException(r.statusCode(), body.path("message").asText(r.body()));
            return body;
        } catch (IOException e) {
            throw new DemoException("the demo's control API does not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoException("interrupted");
        }
    }
}
