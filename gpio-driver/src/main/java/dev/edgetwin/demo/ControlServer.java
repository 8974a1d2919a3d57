package dev.edgetwin.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The running demo's control API, on loopback and a free port written to {@code demo.json}, used
 * by {@code bin/twin-demo status|stop|start}. Every request carries {@code demo.json}'s
 * {@code controlToken} as {@code Authorization: Bearer …} (only the demo's owner can read it).
 * <pre>
 * GET  /status                  → demo.json's content
 * POST /processes/{name}/stop   → 200 {"message": …}; 404 unknown process; 409 not running
 * POST /processes/{name}/start  → 200 {"message": …} once it listens again; 409 running; 500 it failed
 * </pre>
 */
final class ControlServer implements AutoCloseable {
    private static final Pattern ACTION = Pattern.compile("^/processes/([a-z0-9-]+)/(stop|start)$");

    /** What the API acts on: the supervisor. */
    interface Target {
        ObjectNode snapshot();

        String stop(String name) throws DemoException;

        String start(String name) throws DemoException;
    }

    private final HttpServer server;
    private final byte[] token;

    ControlServer(Target target, String token) throws IOException {
        this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        // requests wait for processes to stop or start: not on the server's own thread
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "demo-control");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", exchange -> {
            try (exchange) {
                handle(target, exchange);
            }
        });
        server.start();
    }

    String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    private void handle(Target target, HttpExchange exchange) throws IOException {
        String auth = exchange.getRequestHeaders().getFirst("authorization");
        if (auth == null || !MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8), token)) {
            reply(exchange, 401, message("the control token of demo.json is needed"));
            return;
        }
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (path.equals("/status") && method.equals("GET")) {
            reply(exchange, 200, target.snapshot());
            return;
        }
        Matcher m = ACTION.matcher(path);
        if (!m.matches() || !method.equals("POST")) {
            reply(exchange, 404, message("no such request: " + method + " " + path));
            return;
        }
        try {
            String text = m.group(2).equals("stop") ? target.stop(m.group(1)) : target.start(m.group(1));
            reply(exchange, 200, message(text));
        } catch (DemoException e) {
            reply(exchange, e.status, message(e.getMessage()));
        }
    }

    private static ObjectNode message(String text) {
        return CloudApi.JSON.createObjectNode().put("message", text);
    }

    private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = CloudApi.JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
