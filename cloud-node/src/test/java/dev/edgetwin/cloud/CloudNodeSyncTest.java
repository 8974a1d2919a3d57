package dev.edgetwin.cloud;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.edgetwin.edge.EdgeMain;
import dev.edgetwin.edge.EdgeNode;
import dev.edgetwin.log.Result;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;
import dev.edgetwin.sync.ReplicationStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** CloudNode and EdgeNode wired by their flags: tokens, sync, node status. */
class CloudNodeSyncTest {
    @TempDir
    Path dir;

    @Test
    void anEdgeWithItsTokenSyncsAndTheCloudReportsIt() throws Exception {
        Files.writeString(dir.resolve("tokens"), "edge-a secret-aaaa\n");
        try (CloudNode cloud = CloudNode.start(CloudMain.parse("--node-id", "cloud", "--data-dir", dir.resolve("cloud").toString(),
                "--http-port", "0", "--token-file", dir.resolve("tokens").toString()));
             EdgeNode edge = EdgeNode.start(EdgeMain.parse("--node-id", "edge-a", "--data-dir", dir.resolve("a").toString(), "--http-port", "0",
                     "--mqtt-port", "0", "--cloud", "ws://127.0.0.1:" + cloud.httpPort() + "/sync/v1", "--token", "secret-aaaa"))) {
            DeviceId lamp = DeviceId.of("lamp-1");
            Result r = cloud.core().writer().submit(TwinStore.Request.of(new TwinCommand.RegisterDevice(lamp, "edge-a", "lamp", Map.of(),
                    Map.of("power", PropertyDef.ANY), Map.of("power", JsonNodeFactory.instance.textNode("ON"))))).join();
            assertThat(r).isInstanceOf(Result.Applied.class);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(edge.core().store().get(lamp)).isPresent();
                ReplicationStatus s = cloud.nodes().node("edge-a").orElseThrow();
                assertThat(s.connected()).isTrue();
                assertThat(s.down().lag()).isZero();
            });
            assertThat(edge.sync().status().connected()).isTrue();
            assertThat(edge.sync().context()).as("the sync client runs on the MQTT side's loop").isSameAs(edge.mqtt().context());
        }
    }

    @Test
    void aBadTokenFileOrHalfATlsPairIsAFlagError() throws Exception {
        Files.writeString(dir.resolve("tokens"), "edge-a\n");
        assertThatThrownBy(() -> CloudNode.start(CloudMain.parse("--node-id", "cloud", "--data-dir", dir.resolve("c").toString(),
                "--token-file", dir.resolve("tokens").toString()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--token-file").hasMessageContaining("line 1");
        assertThatThrownBy(() -> CloudMain.parse("--node-id", "cloud", "--tls-cert", "cert.pem")).hasMessageContaining("--tls-key");
        assertThat(Files.exists(dir.resolve("c"))).as("nothing opened").isFalse();
    }
}
