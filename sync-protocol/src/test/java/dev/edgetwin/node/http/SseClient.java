package dev.edgetwin.node.http;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client for tests: parses the stream as the HTML spec says (id, event,
 * data lines; a blank line dispatches) on its own thread into a list. {@link #open} with
 * {@code startReading=false} leaves the body unread, so the server sees a slow client.
 */
final class SseClient implements AutoCloseable {
    /** One dispatched event: its type ("message" by default), id and data. */
    record Event(String type, String id, String data) {
    }

    final int status;
    final String contentType;
    final List<Event> events = new CopyOnWriteArrayList<>();
    volatile boolean ended;
    private final InputStream body;
    private Thread reader;

    private SseClient(int status, String contentType, InputStream body) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
    }

    static SseClient open(HttpClient http, URI uri, String lastEventId, String token, boolean startReading) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("accept", "text/event-stream");
        if (lastEventId != null) b.header("last-event-id", lastEventId);
        if (token != null) b.header("authorization", "Bearer " + token);
        try {
            HttpResponse<InputStream> r = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream())
                    .get(30, TimeUnit.SECONDS);
            SseClient c = new SseClient(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body());
            if (startReading) c.startReading();
            return c;
        } catch (Exception e) {
            throw new IllegalStateException("cannot open " + uri, e);
        }
    }

    void startReading() {
        reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String type = null;
            String id = null;
            StringBuilder data = null;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                    if (data != null) events.add(new Event(type == null ? "message" : type, id, data.toString()));
                    type = null;
                    id = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    continue; // comment
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    type = line.substring(7);
                }
            }
        } catch (IOException ignored) {
            // the stream was closed: by the server (overflow) or by close()
        } finally {
            ended = true;
        }
    }

    /** The change events (type "message") received so far. */
    List<Event> changes() {
        List<Event> out = new ArrayList<>();
        for (Event e : events) if (e.type().equals("message")) out.add(e);
        return out;
    }

    /** The id a browser's EventSource would send as Last-Event-ID now: the last id seen. */
    String lastId() {
        String id = null;
        for (Event e : events) if (e.id() != null) id = e.id();
        return id;
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        if (reader != null) {
            try {
                reader.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
