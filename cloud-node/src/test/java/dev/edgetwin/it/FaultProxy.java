package dev.edgetwin.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback that misbehaves on command, between an edge and the cloud:
 * {@link #cut()} drops every open connection, {@link Mode#STALL} stops forwarding while
 * keeping connections open (a half-dead network: only timeouts notice), {@link Mode#REFUSE}
 * closes new connections at once (a partition), and {@link #throttle} limits the bandwidth.
 * Plain threads and blocking sockets: a test utility, not a product.
 */
final class FaultProxy implements AutoCloseable {
    enum Mode { PASS, STALL, REFUSE }

    private volatile int target;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile Mode mode = Mode.PASS;
    private volatile long bytesPerSecond;   // 0: unlimited
    private volatile boolean closed;

    FaultProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "proxy-accept-" + server.getLocalPort());
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /** Forwards new connections to {@code port} (the cloud restarted on another free port). */
    void target(int port) {
        this.target = port;
    }

    int port() {
        return server.getLocalPort();
    }

    void mode(Mode m) {
        mode = m;
        if (m == Mode.REFUSE) cut();
    }

    void throttle(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Closes every open connection (both sides see a reset or an end of stream). */
    void cut() {
        for (Socket s : sockets) quietClose(s);
        sockets.clear();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                if (mode == Mode.REFUSE) {
                    quietClose(client);
                    continue;
                }
                Socket upstream;
                try {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                } catch (IOException down) {
                    quietClose(client); // the cloud is down: the client sees its connection closed
                    continue;
                }
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    while (mode == Mode.STALL && !from.isClosed()) Thread.sleep(20);
                    long rate = bytesPerSecond;
                    if (rate > 0) Thread.sleep(Math.max(1, n * 1000L / rate));
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // closed by a cut or by a peer
            } finally {
                quietClose(from);
                quietClose(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void quietClose(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        cut();
    }
}
