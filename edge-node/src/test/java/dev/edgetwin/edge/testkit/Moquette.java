package dev.edgetwin.edge.testkit;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Properties;

/**
 * Moquette, an MQTT broker independent of EdgeTwin, embedded in the test JVM: the "existing
 * broker" of external-broker mode. Sessions live in memory as long as the broker runs.
 */
public final class Moquette implements AutoCloseable {
    private final int port;
    private final Path dataDir;
    private Server server;
    private int tlsPort = -1;
    private Path keyStore;

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

    /**
     * Starts on a free loopback port and also on a second one for MQTT over TLS, serving the PEM
     * certificate {@code cert} with the PKCS#8 PEM private key {@code key} (put in a PKCS#12 key
     * store, which is what Moquette reads).
     */
    public static Moquette startTls(Path cert, Path key) {
        Moquette m = new Moquette(freePort());
        m.tlsPort = freePort();
        m.keyStore = m.dataDir.resolve("tls.p12");
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            Certificate certificate;
            try (InputStream in = Files.newInputStream(cert)) {
                certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            String pem = Files.readString(key).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey privateKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            store.setKeyEntry("broker", privateKey, PASSWORD.toCharArray(), new Certificate[]{certificate});
            try (OutputStream out = Files.newOutputStream(m.keyStore)) {
                store.store(out, PASSWORD.toCharArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the test key store: " + e, e);
        }
        m.restart();
        return m;
    }

    private static final String PASSWORD = "test-only";

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
        if (tlsPort > 0) {
            p.setProperty("ssl_port", Integer.toString(tlsPort));
            p.setProperty("jks_path", keyStore.toString());
            p.setProperty("key_store_type", "pkcs12");
            p.setProperty("key_store_password", PASSWORD);
            p.setProperty("key_manager_password", PASSWORD);
        }
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

    /** {@code ssl://localhost:<port>} of a broker started with {@link #startTls} (the test certificate names localhost). */
    public String tlsUrl() {
        if (tlsPort < 0) throw new IllegalStateException("started without TLS");
        return "ssl://localhost:" + tlsPort;
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
