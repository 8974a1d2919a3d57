package dev.edgetwin.gpio.testing;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptPublishMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Moquette, an MQTT broker independent of EdgeTwin, on 127.0.0.1 (in memory, no telemetry). It
 * runs in the test JVM: Moquette 0.17 works on the Netty 4.2 that Vert.x 5 brings. {@link #restart()}
 * comes back on the same port, for reconnect tests. {@link #published()} lists what clients
 * published, as the broker saw it: a test can check what a client said whether or not another
 * client was subscribed at that moment (after a restart, subscribers come back in any order).
 */
public final class TestBroker implements AutoCloseable {
    /** One PUBLISH the broker received. */
    public record Published(String clientId, String topic, String payload) {
    }

    private final List<Published> published = new CopyOnWriteArrayList<>();
    private final AbstractInterceptHandler recorder = new AbstractInterceptHandler() {
        @Override
        public String getID() {
            return "test-broker-recorder";
        }

        @Override
        public void onPublish(InterceptPublishMessage msg) {
            published.add(new Published(msg.getClientID(), msg.getTopicName(), msg.getPayload().toString(StandardCharsets.UTF_8)));
            super.onPublish(msg);   // releases the payload
        }

        @Override
        public void onSessionLoopError(Throwable error) {
        }
    };
    private Server server;
    private int port;

    public static TestBroker start() {
        TestBroker broker = new TestBroker();
        broker.port = broker.launch(0);
        return broker;
    }

    private int launch(int wanted) {
        // Moquette records the bound port when the bind completes, a moment after startServer returns;
        // a bind to the port a stopped instance just released can fail (Moquette only logs it), so a
        // start that has not bound within 2 s is stopped and tried again, for at most 20 s in all
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            server = new Server();
            try {
                server.startServer(new MemoryConfig(properties(wanted)), List.of(recorder));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            long attemptEnd = System.nanoTime() + 2_000_000_000L;
            int bound;
            while ((bound = boundPort()) <= 0 && System.nanoTime() < attemptEnd) Thread.onSpinWait();
            if (bound > 0) return bound;
            server.stopServer();
            server = null;
            if (System.nanoTime() > deadline) throw new IllegalStateException("Moquette did not bind to port " + wanted + " within 20 s");
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting Moquette", e);
            }
        }
    }

    /** The port bound so far (0: none yet). Moquette fills the map it reads while binding, so a read may collide. */
    private int boundPort() {
        try {
            return server.getPort();
        } catch (ConcurrentModificationException e) {
            return 0;
        }
    }

    private static Properties properties(int port) {
        Properties p = new Properties();
        p.setProperty(IConfig.HOST_PROPERTY_NAME, "127.0.0.1");
        p.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(port));
        p.setProperty(IConfig.WEB_SOCKET_PORT_PROPERTY_NAME, "disabled");
        p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
        p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        return p;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Stops the broker: every client loses its connection (wills fire only for clients that did not disconnect). */
    public void stop() {
        if (server != null) {
            server.stopServer();
            server = null;
        }
    }

    /** Starts again on the same port, with no sessions or subscriptions. */
    public void restart() {
        stop();
        int again = launch(port);
        if (again != port) throw new IllegalStateException("came back on " + again + " instead of " + port);
    }

    /** Every PUBLISH received since the first start (restarts included), in the order the broker handled them. */
    public List<Published> published() {
        return List.copyOf(published);
    }

    /** Cuts one client's connection as a network failure would (its will fires). */
    public boolean dropClient(String clientId) {
        return server.disconnectClient(clientId);
    }

    @Override
    public void close() {
        stop();
    }
}
