package dev.edgetwin.bench.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client of the cloud's change stream ({@code GET /api/v1/watch}, Server-Sent Events) on a
 * thread of its own: hands every {@code reported.set} event to {@link Listener#reported} with
 * the {@link System#nanoTime()} at which its {@code data:} line was read.
 */
final class CloudWatch implements AutoCloseable {
    interface Listener {
        /** On the watch thread, in stream order. */
        void reported(long arrivedNanos, String device, String property, JsonNode value);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final InputStream body;
    private final Thread thread;
    private volatile boolean closing;
    private volatile Throwable failure;
    private volatile long events;

    private CloudWatch(InputStream body, Listener listener) {
        this.body = body;
        this.thread = new Thread(() -> read(listener), "cloud-watch");
        thread.setDaemon(true);
    }

    /** Opens the stream (returns once the response headers arrived: live events from then on are seen). */
    static CloudWatch open(URI watchUri, Listener listener) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(watchUri).header("accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            String text = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
            throw new IOException("GET " + watchUri + ": " + r.statusCode() + " " + text);
        }
        CloudWatch w = new CloudWatch(r.body(), listener);
        w.thread.start();
        return w;
    }

    private void read(Listener listener) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("data: ")) continue;
                long now = System.nanoTime();
                JsonNode e = JSON.readTree(line.substring(6));
                events++;
                if ("reported.set".equals(e.path("type").asText())) {
                    listener.reported(now, e.path("device").asText(), e.path("property").asText(), e.path("value"));
                }
            }
            if (!closing) failure = new IOException("the cloud ended the watch stream");
        } catch (IOException | RuntimeException e) {
            if (!closing) failure = e;
        }
    }

    /** Events (data lines) read so far. */
    long events() {
        return events;
    }

    /** Why the stream stopped before {@link #close}, or null. */
    Throwable failure() {
        return failure;
    }

    @Override
    public void close() throws IOException {
        closing = true;
        body.close();
    }
}
