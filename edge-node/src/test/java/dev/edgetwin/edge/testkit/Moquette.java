package dev.edgetwin.edge.testkit;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Moquette, an MQTT broker independent of EdgeTwin, embedded in the test JVM: the "existing
 * broker" of external-broker mode. Sessions live in memory as long as the broker runs.
 */
public final class Moquette implements AutoCloseable {
    private final int port;
    private final Path dataDir;
    private Server server;

    private Moquette(int port) {
        this.port = port;
        try {
            this.dataDir = Files.createTempDirectory("moquette");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts on a free loopback port. */
    public static Moquette start() {
        Moquette m = new Moquette(freePort());
        m.restart();
        return m;
    }

    /** Starts (again) on the same port. */
    public void restart() {
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", Integer.toString(port));
        p.setProperty("websocket_port", "disabled");
        p.setProperty("allow_anonymous", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false");          // no phoning home from tests
        p.setProperty("data_path", dataDir.toString());       // its id file goes here, not into the working directory
        p.setProperty("netty.mqtt.message_size", Integer.toString(1 << 20));
        server = new Server();
        try {
            server.startServer(new MemoryConfig(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void stop() {
        if (server != null) server.stopServer();
        server = null;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
