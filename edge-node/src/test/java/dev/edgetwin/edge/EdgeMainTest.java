package dev.edgetwin.edge;

import dev.edgetwin.log.ProjectionOptions;
import dev.edgetwin.log.chronicle.ChronicleJournal;
import dev.edgetwin.log.chronicle.JournalOptions;
import dev.edgetwin.node.NodeFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The edge's sync, retention and projection flags become settings, and bad values name their flag. */
class EdgeMainTest {
    @Test
    void syncAndRetentionFlagsBecomeSettings() {
        EdgeConfig c = EdgeMain.parse("--node-id", "edge-a", "--cloud", "wss://cloud:8443/sync/v1", "--token", "t0ken-a",
                "--cloud-ca", "/etc/edgetwin/ca.pem", "--reconnect-min-ms", "100", "--reconnect-max-ms", "5000",
                "--sync-window-entries", "512", "--sync-heartbeat-ms", "1000", "--sync-idle-timeout-ms", "4000",
                "--retention", "7d", "--journal-max-bytes", "1073741824", "--journal-min-free-bytes", "0", "--journal-roll", "hourly");
        assertThat(c.cloudUrl()).isEqualTo("wss://cloud:8443/sync/v1");
        assertThat(c.cloudCa()).isEqualTo(Path.of("/etc/edgetwin/ca.pem"));
        assertThat(c.sync().windowEntries()).isEqualTo(512);
        assertThat(c.sync().heartbeatMs()).isEqualTo(1000);
        assertThat(c.reconnectMinMs()).isEqualTo(100);
        assertThat(c.retention().maxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(c.retention().maxBytes()).isEqualTo(1L << 30);
        assertThat(c.retention().minFreeBytes()).isZero();
        assertThat(c.journalRoll()).isEqualTo("hourly");
        EdgeConfig d = EdgeMain.parse("--node-id", "edge-b");
        assertThat(d.cloudUrl()).isNull();
        assertThat(d.retention().maxAge()).isZero();
        assertThat(d.retention().minFreeBytes()).isEqualTo(256L << 20);
        assertThat(d.projection()).isEqualTo(ProjectionOptions.DEFAULT);
    }

    @Test
    void projectionFlagsReachTheStore(@TempDir Path dir) {
        EdgeConfig c = EdgeMain.parse("--node-id", "edge-a", "--data-dir", dir.toString(), "--http-port", "0", "--mqtt-port", "0",
                "--twin-cache", "500", "--projection-commit-events", "1", "--projection-commit-twins", "64");
        assertThat(c.projection()).isEqualTo(new ProjectionOptions(500, 1, 64));
        try (EdgeNode node = EdgeNode.start(c)) {
            assertThat(node.core().store().projection().options()).isEqualTo(new ProjectionOptions(500, 1, 64));
            node.core().store().rebuildProjection();
            assertThat(node.core().store().projection().options()).isEqualTo(new ProjectionOptions(500, 1, 64));
        }
    }

    @Test
    void journalWarmAheadReachesTheJournal(@TempDir Path dir) {
        assertThat(EdgeMain.parse("--node-id", "edge-b").journalWarmAhead()).isEqualTo(JournalOptions.DEFAULT_WARM_AHEAD_BYTES);
        EdgeConfig off = EdgeMain.parse("--node-id", "edge-a", "--data-dir", dir.toString(), "--http-port", "0", "--mqtt-port", "0",
                "--journal-warm-ahead", "0");
        try (EdgeNode node = EdgeNode.start(off)) {
            assertThat(((ChronicleJournal) node.core().store().journal()).options().warmAheadBytes()).isZero();
        }
        try (EdgeNode node = EdgeNode.start(off.withJournalWarmAhead(4L << 20))) {
            assertThat(((ChronicleJournal) node.core().store().journal()).options().warmAheadBytes()).isEqualTo(4L << 20);
        }
        assertThatThrownBy(() -> EdgeMain.parse("--node-id", "edge-a", "--journal-warm-ahead", "-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--journal-warm-ahead");
    }

    @Test
    void badValuesNameTheirFlag() {
        assertThatThrownBy(() -> EdgeMain.parse("--node-id", "edge-a", "--retention", "soon")).hasMessageContaining("--retention");
        assertThatThrownBy(() -> EdgeMain.parse("--node-id", "edge-a", "--journal-roll", "yearly")).hasMessageContaining("daily");
        assertThatThrownBy(() -> EdgeMain.parse("--node-id", "edge-a", "--sync-max-batch-bytes", "10")).hasMessageContaining("--sync-");
        assertThatThrownBy(() -> EdgeMain.parse("--node-id", "edge-a", "--reconnect-min-ms", "900", "--reconnect-max-ms", "100"))
                .hasMessageContaining("--reconnect-min-ms");
        assertThatThrownBy(() -> EdgeNode.start(EdgeMain.parse("--node-id", "edge-a", "--data-dir", "target/never",
                "--cloud", "http://cloud/sync/v1"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--cloud");
        assertThatThrownBy(() -> EdgeMain.parse("--node-id", "edge-a", "--twin-cache", "-1"))
                .hasMessage("--twin-cache must be >= 0, got -1");
        assertThatThrownBy(() -> EdgeMain.parse("--node-id", "edge-a", "--projection-commit-events", "0"))
                .hasMessage("--projection-commit-events must be >= 1, got 0");
        assertThatThrownBy(() -> EdgeMain.parse("--node-id", "edge-a", "--projection-commit-twins", "0"))
                .hasMessage("--projection-commit-twins must be >= 1, got 0");
        assertThat(NodeFlags.duration("--x", "PT1H")).isEqualTo(Duration.ofHours(1));
        assertThat(NodeFlags.duration("--x", "500ms")).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void theWebSocketPortFlagIsForTheEmbeddedBroker() {
        assertThat(EdgeMain.parse("--node-id", "edge-a").mqtt().wsPort()).as("off by default").isEqualTo(-1);
        assertThat(EdgeMain.parse("--node-id", "edge-a", "--mqtt-ws-port", "9001").mqtt().wsPort()).isEqualTo(9001);
        assertThat(EdgeMain.parse("--node-id", "edge-a", "--mqtt-ws-port", "0").mqtt().wsPort()).as("a free port").isZero();
        assertThatThrownBy(() -> EdgeMain.parse("--node-id", "edge-a", "--mqtt-ws-port", "70000"))
                .hasMessageContaining("--mqtt-ws-port must be 0..65535");
        assertThatThrownBy(() -> EdgeMain.parse("--node-id", "edge-a", "--mqtt-ws-port", "9001", "--mqtt-broker", "tcp://b:1883"))
                .hasMessageContaining("--mqtt-ws-port is for the embedded broker");
    }

    @Test
    void anAclFileBecomesTheBrokersAclOrAnErrorNamingItsLine(@TempDir Path dir) throws Exception {
        Path acl = Files.writeString(dir.resolve("acl"), "user mapper-a\ntopic readwrite $hw/events/device/default/lamp-1/#\n");
        EdgeConfig config = EdgeMain.parse("--node-id", "edge-a", "--mqtt-acl", acl.toString());
        assertThat(config.mqtt().acl().grants("mapper-a", "m").mayPublish("$hw/events/device/default/lamp-1/twin/update")).isTrue();
        assertThatThrownBy(() -> EdgeMain.parse("--node-id", "edge-a", "--mqtt-acl", acl.toString(), "--mqtt-broker", "tcp://b:1883"))
                .hasMessageContaining("--mqtt-acl is for the embedded broker");
        Path bad = Files.writeString(dir.resolve("bad"), "user a\ntopic read a/#/b\n");
        assertThatThrownBy(() -> EdgeMain.parse("--node-id", "edge-a", "--mqtt-acl", bad.toString()))
                .hasMessageContaining(bad + " line 2: 'a/#/b' is not a topic filter");
        assertThatThrownBy(() -> EdgeMain.parse("--node-id", "edge-a", "--mqtt-acl", dir.resolve("none").toString()))
                .hasMessageContaining("cannot read MQTT ACL file");
    }
}
