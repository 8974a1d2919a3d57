package dev.edgetwin.bench.mqtt;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The end-to-end driver's watch client against a scripted SSE server on loopback. */
class CloudWatchTest {

    /** A chunked SSE response: each element one chunk (events may span chunks), then the last chunk. */
    private static void respond(Socket s, List<String> chunks, boolean end) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        for (String c : chunks) {
            byte[] b = c.getBytes(StandardCharsets.UTF_8);
            out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        if (end) out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The request's head, lower-cased header names kept as sent. */
    private static List<String> requestHead(Socket s) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        List<String> head = new ArrayList<>();
        for (String l = r.readLine(); l != null && !l.isEmpty(); l = r.readLine()) head.add(l);
        return head;
    }

    private static String event(String id, String device, long value) {
        return "id: " + id + "\ndata: {\"type\":\"reported.set\",\"device\":\"" + device
                + "\",\"meta\":{\"nested\":[1,{\"a\":2}]},\"property\":\"counter\",\"value\":" + value + "}\n\n";
    }

    @Test
    void readsEventsAcrossChunksAndResumesAfterTheLastIdWhenTheCloudEndsTheStream() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CloudWatch.Listener listener = (now, device, property, value) -> seen.add(device + "/" + property + "=" + value.asLong());
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread cloud = new Thread(() -> {
                try (Socket first = server.accept()) {
                    List<String> head = requestHead(first);
                    assertThat(head.get(0)).isEqualTo("GET /api/v1/watch?node=edge-a HTTP/1.1");
                    assertThat(head).noneMatch(h -> h.startsWith("Last-Event-ID"));
                    String two = event("edge/edge-a:2", "d2", 2);
                    // an event split over two chunks, a bookmark, then the overflow drop
                    respond(first, List.of(event("edge/edge-a:1", "d1", 1) + two.substring(0, 20), two.substring(20),
                            "event: bookmark\nid: edge/edge-a:3\ndata: {\"position\":\"edge/edge-a:3\"}\n\n",
                            "event: overflow\ndata: {}\n\n"), true);
                    try (Socket second = server.accept()) {
                        assertThat(requestHead(second)).contains("Last-Event-ID: edge/edge-a:3");
                        respond(second, List.of(event("edge/edge-a:4", "d4", 4)), false);
                        Thread.sleep(10_000);   // kept open until the watch closes it
                    }
                } catch (Exception e) {
                    seen.add("server: " + e);
                }
            }, "scripted-cloud");
            cloud.setDaemon(true);
            cloud.start();
            try (CloudWatch watch = CloudWatch.open(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/api/v1/watch?node=edge-a"), listener)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (seen.size() < 3 && System.nanoTime() < deadline) Thread.sleep(10);
                assertThat(seen).containsExactly("d1/counter=1", "d2/counter=2", "d4/counter=4");
                assertThat(watch.resumes()).isEqualTo(1);
                assertThat(watch.failure()).isNull();
                assertThat(watch.events()).as("data lines: 2 + bookmark + overflow + 1").isEqualTo(5);
            }
        }
    }
}
