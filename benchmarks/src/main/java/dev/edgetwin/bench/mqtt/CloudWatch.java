package dev.edgetwin.bench.mqtt;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A client of the cloud's change stream ({@code GET /api/v1/watch}, Server-Sent Events) on a
 * thread of its own: hands every {@code reported.set} event to {@link Listener#reported} with
 * the {@link System#nanoTime()} at which its {@code data:} line was read.
 *
 * <p>A plain HTTP/1.1 request over a blocking socket, the chunked body read on the one thread and
 * each event's top-level fields read with a streaming parser: the measuring side of the
 * end-to-end benchmark shares the machine with both nodes, so it should cost them as little CPU
 * as it can (the JDK's HttpClient hands every chunk through a selector thread and an executor).
 *
 * <p>When the cloud ends the stream (it drops a client that fell too far behind, with an
 * {@code overflow} event) or the connection fails, the watch reconnects with {@code Last-Event-ID}
 * set to the last {@code id:} it read, so the cloud replays what it missed; the listener may then
 * see an event twice. At most {@link #MAX_RESUMES} times, then it gives up ({@link #failure()}).
 */
final class CloudWatch implements AutoCloseable {
    interface Listener {
        /** On the watch thread, in stream order. */
        void reported(long arrivedNanos, String device, String property, JsonNode value);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
    /** Reconnections at most, over the whole run. */
    static final int MAX_RESUMES = 5;

    private final URI uri;
    private final Thread thread;
    private volatile Socket socket;
    private InputStream in;
    private String lastEventId;
    private volatile int resumes;
    private volatile boolean closing;
    private volatile Throwable failure;
    private volatile long events;
    private byte[] chunk = new byte[1 << 16];
    private byte[] line = new byte[1 << 12];
    private int lineLength;

    private CloudWatch(URI uri, Listener listener) {
        this.uri = uri;
        this.thread = new Thread(() -> read(listener), "cloud-watch");
        thread.setDaemon(true);
    }

    /** Opens the stream (returns once the response headers arrived: live events from then on are seen). */
    static CloudWatch open(URI watchUri, Listener listener) throws IOException {
        CloudWatch w = new CloudWatch(watchUri, listener);
        w.connect(null);
        w.thread.start();
        return w;
    }

    /** Sends the request (resuming after {@code lastEventId} unless null) and reads the response's head. */
    private void connect(String lastEventId) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
            s.setTcpNoDelay(true);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            out.write(("GET " + target + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nAccept: text/event-stream\r\n" + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n")
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream stream = new BufferedInputStream(s.getInputStream(), 1 << 16);
            String status = headerLine(stream);
            boolean chunked = false;
            for (String h = headerLine(stream); !h.isEmpty(); h = headerLine(stream)) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
            }
            if (!status.startsWith("HTTP/1.1 200")) {
                throw new IOException("GET " + uri + ": " + status + " " + new String(stream.readNBytes(2_000), StandardCharsets.UTF_8));
            }
            if (!chunked) throw new IOException("GET " + uri + ": the stream is not chunked");
            s.setSoTimeout(0);
            socket = s;
            in = stream;
            lineLength = 0;
            if (closing) s.close();
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static String headerLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) throw new EOFException("the response ended in its headers");
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private void read(Listener listener) {
        while (true) {
            Exception cause;
            try {
                readStream(listener);
                cause = new IOException("the cloud ended the watch stream");
            } catch (IOException | RuntimeException e) {
                cause = e;
            }
            if (closing) return;
            if (resumes >= MAX_RESUMES || lastEventId == null) {
                failure = cause;
                return;
            }
            resumes++;
            System.out.printf("the watch stream stopped (%s); resuming after %s (%d of at most %d)%n", cause.getMessage(), lastEventId,
                    resumes, MAX_RESUMES);
            try {
                socket.close();
                Thread.sleep(200);
                connect(lastEventId);
            } catch (IOException | RuntimeException e) {
                if (!closing) failure = e;
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Reads the chunked body until its last chunk. */
    private void readStream(Listener listener) throws IOException {
        while (true) {
            int size = Integer.parseInt(headerLine(in).split(";", 2)[0].trim(), 16);
            if (size == 0) return;   // the last chunk: the cloud ended the stream
            if (chunk.length < size) chunk = new byte[Math.max(size, chunk.length * 2)];
            if (in.readNBytes(chunk, 0, size) < size) throw new EOFException("the stream ended inside a chunk");
            int from = 0;
            for (int i = 0; i < size; i++) {
                if (chunk[i] != '\n') continue;
                append(chunk, from, i - from);
                line(listener);
                from = i + 1;
            }
            append(chunk, from, size - from);
            if (in.read() != '\r' || in.read() != '\n') throw new IOException("a chunk does not end with CRLF");
        }
    }

    private void append(byte[] b, int from, int length) {
        if (lineLength + length > line.length) line = Arrays.copyOf(line, Math.max(lineLength + length, line.length * 2));
        System.arraycopy(b, from, line, lineLength, length);
        lineLength += length;
    }

    /** A complete line (without its '\n') is in {@code line}. */
    private void line(Listener listener) throws IOException {
        int n = lineLength;
        lineLength = 0;
        if (n > 0 && line[n - 1] == '\r') n--;
        if (n > ID.length && Arrays.equals(line, 0, ID.length, ID, 0, ID.length)) {
            lastEventId = new String(line, ID.length, n - ID.length, StandardCharsets.UTF_8);
            return;
        }
        if (n < DATA.length || !Arrays.equals(line, 0, DATA.length, DATA, 0, DATA.length)) return;
        long now = System.nanoTime();
        events++;
        String type = null;
        String device = null;
        String property = null;
        JsonNode value = null;
        try (JsonParser p = JSON.createParser(line, DATA.length, n - DATA.length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("an event that is not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "type" -> type = p.getValueAsString();
                    case "device" -> device = p.getValueAsString();
                    case "property" -> property = p.getValueAsString();
                    case "value" -> value = p.readValueAsTree();
                    default -> {
                        if (t.isStructStart()) p.skipChildren();
                    }
                }
            }
        }
        if ("reported.set".equals(type)) listener.reported(now, device, property, value);
    }

    /** Events (data lines) read so far. */
    long events() {
        return events;
    }

    /** Times the stream was resumed with {@code Last-Event-ID}. */
    int resumes() {
        return resumes;
    }

    /** Why the stream stopped before {@link #close}, or null. */
    Throwable failure() {
        return failure;
    }

    @Override
    public void close() throws IOException {
        closing = true;
        socket.close();
        thread.interrupt();
    }
}
