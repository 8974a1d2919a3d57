package dev.edgetwin.cloud;

import dev.edgetwin.cloud.kube.KubeMock;
import dev.edgetwin.cloud.kube.KubeSettings;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.node.EnvDefaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@code twin-cloud --kube}: its flags, and a cloud node that runs the bridge from a kubeconfig and stops it cleanly. */
class CloudNodeKubeTest {
    @TempDir
    Path dir;

    static CloudMain parse(Map<String, String> env, String... args) {
        CloudMain main = new CloudMain();
        new CommandLine(main).setDefaultValueProvider(new EnvDefaults(env)).parseArgs(args);
        return main;
    }

    @Test
    void kubeFlagsAndTheirVariables() {
        CloudMain main = parse(Map.of("EDGETWIN_KUBE_RESYNC", "0"), "--node-id", "cloud", "--kube", "--kube-namespace", "plant-a",
                "--kube-status-interval", "250ms", "--kubeconfig", "/etc/kube.yaml");
        KubeSettings s = main.kubeFlags.settings();
        assertThat(main.kube).isTrue();
        assertThat(s.namespace()).isEqualTo("plant-a");
        assertThat(s.statusInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.resync()).isEqualTo(Duration.ZERO);
        assertThat(s.kubeconfig()).isEqualTo(Path.of("/etc/kube.yaml"));

        KubeSettings defaults = parse(Map.of(), "--node-id", "cloud").kubeFlags.settings();
        assertThat(defaults.namespace()).isNull();
        assertThat(defaults.watches("anything")).isTrue();
        assertThat(defaults.statusInterval()).isEqualTo(KubeSettings.DEFAULT_STATUS_INTERVAL);
        assertThat(defaults.resync()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void badKubeFlagsAreRefusedNamingTheFlag() {
        assertThatThrownBy(() -> parse(Map.of(), "--kube-status-interval", "5x").kubeFlags.settings())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--kube-status-interval");
        assertThatThrownBy(() -> parse(Map.of(), "--kube-status-interval", "0").kubeFlags.settings())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--kube-status-interval");
        assertThatThrownBy(() -> parse(Map.of(), "--kube-namespace", "Plant_A").kubeFlags.settings())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--kube-namespace");
        assertThatThrownBy(() -> CloudNode.start(CloudConfig.local("cloud", dir.resolve("c"))
                .withKube(KubeSettings.defaults().withKubeconfig(dir.resolve("missing")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--kubeconfig");
    }

    @Test
    void cloudNodeWithKubeRegistersDevicesFromAKubeconfigClusterAndStopsCleanly() throws Exception {
        try (KubeMock kube = new KubeMock()) {
            kube.apply("kubeedge/device-lamp.yaml", "default");
            CloudNode node = CloudNode.start(CloudConfig.local("cloud", dir.resolve("cloud"))
                    .withKube(KubeSettings.defaults().withKubeconfig(kube.kubeconfig(dir))));
            try {
                assertThat(node.kube()).isNotNull();
                await().atMost(Duration.ofSeconds(30)).until(() -> node.core().store().get(DeviceId.of("lamp-1")).isPresent());
                assertThat(node.core().store().get(DeviceId.of("lamp-1")).orElseThrow().node()).isEqualTo("edge-a");
                // the bridge's meters are in the node's registry, scraped at /metrics
                await().atMost(Duration.ofSeconds(30)).until(() -> node.core().metrics().scrape()
                        .contains("edgetwin_kube_twin_commands_total{command=\"register\",result=\"applied\"} 1.0"));
            } finally {
                node.stop();
            }
            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).noneMatch(n -> n.startsWith("kube-"));
        }
    }
}
