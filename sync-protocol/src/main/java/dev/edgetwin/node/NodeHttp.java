package dev.edgetwin.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/** Starts a node's HTTP server (REST API, and on the cloud the sync WebSocket) on a Router. */
public final class NodeHttp {
    private static final Logger LOG = LoggerFactory.getLogger(NodeHttp.class);

    private NodeHttp() {
    }

    /**
     * Listens on {@code host:port} (port 0 picks a free one) and logs the port actually bound as
     * {@code "<what> listening on <host>:<port>"}: scripts and tests read the port from that line.
     */
    public static Future<HttpServer> listen(Vertx vertx, Router router, String host, int port, String what) {
        return listen(vertx, router, options(host, port), what);
    }

    /** The server options every node starts from: {@code host:port}, HTTP compression. */
    public static HttpServerOptions options(String host, int port) {
        return new HttpServerOptions().setHost(host).setPort(port).setCompressionSupported(true);
    }

    /** Serves HTTPS (and {@code wss://}) with a PEM certificate chain and its PEM private key. */
    public static HttpServerOptions tls(HttpServerOptions options, Path certChain, Path privateKey) {
        return options.setSsl(true).setKeyCertOptions(pem(certChain, privateKey));
    }

    /** A server's identity from a PEM certificate chain and its PEM private key (HTTPS here, MQTT over TLS on the edge). */
    public static PemKeyCertOptions pem(Path certChain, Path privateKey) {
        return new PemKeyCertOptions().setCertPath(certChain.toString()).setKeyPath(privateKey.toString());
    }

    /** Listens with the given options; logs the port like {@link #listen(Vertx, Router, String, int, String)}. */
    public static Future<HttpServer> listen(Vertx vertx, Router router, HttpServerOptions options, String what) {
        String host = options.getHost();
        int port = options.getPort();
        return vertx.createHttpServer(options).requestHandler(router).listen()
                .onSuccess(s -> LOG.info("{} listening on {}:{}{}", what, host, s.actualPort(), options.isSsl() ? " (TLS)" : ""))
                .onFailure(e -> LOG.error("{} cannot listen on {}:{}: {}", what, host, port, e.getMessage()));
    }

    /** {@code /healthz}: the process serves requests. */
    public static void health(Router router) {
        router.get("/healthz").handler(ctx -> ctx.response().putHeader("content-type", "text/plain").end("ok\n"));
    }
}
