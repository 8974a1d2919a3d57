package dev.edgetwin.sync.vertx;

import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;
import dev.edgetwin.node.NodeHttp;
import dev.edgetwin.sync.Tokens;
import dev.edgetwin.sync.wire.SyncProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.edgetwin.sync.vertx.SyncFixture.OPTIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code wss://}: the cloud serves TLS from PEM files; the edge verifies it against a CA file. */
class SyncTlsTest {
    @TempDir
    Path dir;

    static Path resource(String name) throws URISyntaxException {
        return Path.of(SyncTlsTest.class.getResource("/tls/" + name).toURI());
    }

    @Test
    void anEdgeTrustingTheCloudsCertificateSyncsOverWss() throws Exception {
        Path cert = resource("cert.pem");
        Path key = resource("key.pem");
        SyncServer.Options server = new SyncServer.Options(OPTIONS, Tokens.parse(List.of("edge-a token-edge-a")), 64L << 20);
        try (SyncFixture.Cloud cloud = SyncFixture.cloud(dir.resolve("cloud"), server, NodeHttp.tls(NodeHttp.options("127.0.0.1", 0), cert, key))) {
            URI wss = URI.create("wss://localhost:" + cloud.port() + SyncProtocol.PATH);
            SyncFixture.registerOnCloud(cloud, "edge-a", 2);
            try (SyncFixture.Edge untrusting = SyncFixture.edge("edge-a", dir.resolve("u"),
                    SyncClient.Options.of(wss, "token-edge-a", OPTIONS).withReconnect(50, 300))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> untrusting.client().status().lastError() != null);
                assertThat(untrusting.client().status().lastError()).contains("SSL");
                assertThat(untrusting.client().connected()).isFalse();
                assertThat(untrusting.store().journal().nextSeq(SyncProtocol.cloudStream("edge-a"))).isZero();
            }
            try (SyncFixture.Edge a = SyncFixture.edge("edge-a", dir.resolve("a"),
                    SyncClient.Options.of(wss, "token-edge-a", OPTIONS).withReconnect(50, 300).withCa(cert))) {
                SyncFixture.apply(a.core(), new TwinCommand.RegisterDevice(SyncFixture.device("edge-a", 9), "edge-a", "lamp", Map.of(),
                        Map.of("power", PropertyDef.ANY), Map.of()));
                SyncFixture.report(a, SyncFixture.device("edge-a", 9), "power", SyncFixture.JSON.textNode("ON"));
                SyncFixture.awaitConverged(cloud, a);
            }
        }
    }
}
