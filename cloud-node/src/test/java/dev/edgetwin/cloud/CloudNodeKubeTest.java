package dev.edgetwin.cloud;

import dev.edgetwin.cloud.kube.KubeSettings;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.node.EnvDefaults;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
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
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        try (KubernetesClient kubectl = server.createClient()) {
            ResourceDefinitionContext devices = new ResourceDefinitionContext.Builder().withGroup("devices.kubeedge.io")
                    .withVersion("v1beta1").withKind("Device").withPlural("devices").withNamespaced(true).build();
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("kubeedge/device-lamp.yaml")) {
                for (HasMetadata item : kubectl.load(in).items()) {
                    GenericKubernetesResource r = Serialization.unmarshal(Serialization.asJson(item), GenericKubernetesResource.class);
                    kubectl.genericKubernetesResources(devices).inNamespace("default").resource(r).create();
                }
            }
            Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: mock, cluster: {server: "%s"}}]
                    contexts: [{name: mock, context: {cluster: mock, user: u}}]
                    current-context: mock
                    users: [{name: u, user: {token: t}}]
                    """.formatted(kubectl.getMasterUrl().toString()));

            CloudNode node = CloudNode.start(CloudConfig.local("cloud", dir.resolve("cloud"))
                    .withKube(KubeSettings.defaults().withKubeconfig(kubeconfig)));
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
        } finally {
            server.destroy();
        }
    }
}
