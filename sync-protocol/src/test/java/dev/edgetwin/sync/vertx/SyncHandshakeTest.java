package dev.edgetwin.sync.vertx;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgetwin.sync.ReplicationStatus;
import dev.edgetwin.sync.Tokens;
import dev.edgetwin.sync.wire.Frame;
import dev.edgetwin.sync.wire.SyncCode;
import dev.edgetwin.sync.wire.SyncProtocol;
import io.vertx.core.http.UpgradeRejectedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.edgetwin.sync.vertx.SyncFixture.CONVERGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** The upgrade checks, the handshake, and what happens to a second connection of the same edge. */
class SyncHandshakeTest {
    static final String TOKEN = "s3cret-token-a";

    @TempDir
    Path dir;
    SyncFixture.Cloud cloud;

    @BeforeEach
    void start() {
        cloud = SyncFixture.cloud(dir.resolve("cloud"), 0, Tokens.parse(List.of("# tokens", "edge-a " + TOKEN, "edge-b other-token-b")));
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    private UpgradeRejectedException refused(String node, String token, String version) {
        try (RawPeer p = new RawPeer()) {
            return catchThrowableOfType(UpgradeRejectedException.class, () -> p.connect(cloud.port(), node, token, version));
        }
    }

    private static String code(UpgradeRejectedException e) throws Exception {
        return new ObjectMapper().readTree(e.getBody().getBytes()).get("code").asText();
    }

    @Test
    void aWrongOrMissingTokenIsRefusedWith401BeforeTheUpgrade() throws Exception {
        for (String token : new String[]{"wrong-token", null, "other-token-b"}) {
            UpgradeRejectedException e = refused("edge-a", token, "1");
            assertThat(e).as("token %s", token).isNotNull();
            assertThat(e.getStatus()).isEqualTo(401);
            assertThat(code(e)).isEqualTo("sync:auth");
            assertThat(e.getHeaders().get("WWW-Authenticate")).startsWith("Bearer");
        }
        UpgradeRejectedException unknownNode = refused("edge-z", TOKEN, "1");
        assertThat(unknownNode.getStatus()).isEqualTo(401);
        assertThat(cloud.store().journal().streams()).isEmpty();
    }

    @Test
    void anUnknownVersionOrBadNodeIdIsRefusedWith400() throws Exception {
        UpgradeRejectedException v2 = refused("edge-a", TOKEN, "2");
        assertThat(v2.getStatus()).isEqualTo(400);
        assertThat(code(v2)).isEqualTo("sync:version");
        assertThat(v2.getHeaders().get(SyncProtocol.VERSION_HEADER)).isEqualTo("1");
        assertThat(code(refused("edge-a", TOKEN, null))).isEqualTo("sync:version");
        UpgradeRejectedException badNode = refused("Edge_A!", TOKEN, "1");
        assertThat(badNode.getStatus()).isEqualTo(400);
        assertThat(code(badNode)).isEqualTo("sync:node.invalid");
    }

    @Test
    void aHelloForAnotherNodeOrVersionIsClosedWithItsCode() throws Exception {
        try (RawPeer p = new RawPeer().connect(cloud.port(), "edge-a", TOKEN, "1")) {
            p.hello("edge-b", 0, 0, 0);
            assertThat(p.awaitClose()).isEqualTo(SyncCode.AUTH.closeStatus());
            assertThat(p.errorCode()).isEqualTo("sync:auth");
            assertThat(p.closeReason()).isEqualTo("sync:auth");
        }
        try (RawPeer p = new RawPeer().connect(cloud.port(), "edge-a", TOKEN, "1")) {
            p.text("{\"type\":\"hello\",\"version\":7,\"node\":\"edge-a\",\"receives\":{\"stream\":\"cloud/edge-a\",\"next\":0,"
                    + "\"hash\":\"0000000000000000\"},\"sends\":{\"stream\":\"edge/edge-a\",\"head\":0},"
                    + "\"credit\":{\"untilSeq\":100,\"untilBytes\":4194304},\"maxBatchBytes\":1048576,\"heartbeatMs\":300}");
            assertThat(p.awaitClose()).isEqualTo(SyncCode.VERSION.closeStatus());
            assertThat(p.errorCode()).isEqualTo("sync:version");
        }
    }

    @Test
    void aSecondConnectionOfTheSameEdgeReplacesTheFirst() throws Exception {
        String up = SyncProtocol.edgeStream("edge-a");
        try (RawPeer first = new RawPeer().connect(cloud.port(), "edge-a", TOKEN, "1");
             RawPeer second = new RawPeer()) {
            first.hello("edge-a", 0, 0, 10);
            Frame.Handshake w1 = first.awaitWelcome();
            var batch = RawPeer.entries(up, "edge-a", 0, 0, 10, 0);
            first.send(RawPeer.batch(up, 0, batch));
            // the second connects while the first's batch may still be in the writer queue
            second.connect(cloud.port(), "edge-a", TOKEN, "1");
            second.hello("edge-a", 0, 0, 10);
            Frame.Handshake w2 = second.awaitWelcome();
            assertThat(first.awaitClose()).isEqualTo(SyncCode.REPLACED.closeStatus());
            assertThat(first.errorCode()).isEqualTo("sync:replaced");
            assertThat(w2.session()).isNotEqualTo(w1.session());
            // the newer connection starts exactly where the journal is: nothing is lost or doubled
            long start = w2.receives().next();
            assertThat(start).isIn(0L, 10L);
            second.send(RawPeer.batch(up, start, RawPeer.entries(up, "edge-a", 0, 0, 15, 0).subList((int) start, 15)));
            second.awaitAck(up, 15);
            assertThat(second.closed()).isFalse();
            assertThat(cloud.store().journal().nextSeq(up)).isEqualTo(15);
            await().atMost(CONVERGE).untilAsserted(() -> {
                ReplicationStatus s = cloud.server().node("edge-a").orElseThrow();
                assertThat(s.connected()).isTrue();
                assertThat(s.session()).isEqualTo(w2.session());
            });
            assertThat(cloud.server().replacedCount()).isEqualTo(1);
            assertThat(cloud.core().metrics().scrape()).contains("edgetwin_sync_closes_total{code=\"sync:replaced\"} 1.0")
                    .as("two welcomes and the error frame").contains("edgetwin_sync_sent_frames_total{type=\"other\"} 3.0");
        }
    }

    @Test
    void noHelloInTimeAndSilenceAfterTheHandshakeAreClosed() throws Exception {
        try (RawPeer quiet = new RawPeer().connect(cloud.port(), "edge-a", TOKEN, "1")) {
            assertThat(quiet.awaitClose()).isEqualTo(SyncCode.HANDSHAKE_TIMEOUT.closeStatus());
        }
        try (RawPeer silent = new RawPeer().connect(cloud.port(), "edge-b", "other-token-b", "1")) {
            silent.hello("edge-b", 0, 0, 0);
            silent.awaitWelcome();
            // never pings: the cloud's idle timeout (1.5 s in the fixture) closes it
            assertThat(silent.awaitClose()).isEqualTo(SyncCode.IDLE.closeStatus());
            assertThat(silent.errorCode()).isEqualTo("sync:idle");
            assertThat(silent.received).anyMatch(f -> f instanceof Frame.Ping);
        }
        assertThat(cloud.server().node("edge-b").orElseThrow().lastError()).isEqualTo("sync:idle");
    }
}
