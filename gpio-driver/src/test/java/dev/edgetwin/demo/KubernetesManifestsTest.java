package dev.edgetwin.demo;

import dev.edgetwin.cloud.CloudConfig;
import dev.edgetwin.cloud.CloudNode;
import dev.edgetwin.cloud.kube.KubeEdgeResources;
import dev.edgetwin.cloud.kube.KubeSettings;
import dev.edgetwin.log.model.DeviceId;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docker/k8s/, checked without a cluster: every manifest parsed by fabric8 into its typed model (not a
 * generic resource), applied with KubeEdge's CRDs (cloud-node/src/main/resources/crds/, the same files)
 * to fabric8's mock API server in CRUD mode; the StatefulSet's image, ports, probes, volumes, tokens and
 * settings agree with the Dockerfile and the cloud's real options; and the ClusterRole allows every call
 * the Kubernetes bridge makes, recorded from a real cloud node running the bridge against the mock server.
 */
class KubernetesManifestsTest {
    static final Path K8S = ComposeFile.ROOT.resolve("docker/k8s");
    static final Path CRDS = ComposeFile.ROOT.resolve("cloud-node/src/main/resources/crds");
    static final String BRIDGE_TOKEN = "bridge-token";
    private static final java.util.logging.Logger QUIET = quiet();

    @TempDir
    Path dir;
    KubernetesMockServer server;
    KubernetesClient kubectl;

    @BeforeEach
    void startApiServer() throws IOException {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        kubectl = server.createClient();
    }

    @AfterEach
    void stopApiServer() {
        kubectl.close();
        server.destroy();
    }

    private static java.util.logging.Logger quiet() {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
        l.setLevel(java.util.logging.Level.WARNING);
        return l;
    }

    /** The YAML files of a folder, in name order (kubectl apply -f DIR), parsed by fabric8. */
    List<HasMetadata> load(Path folder) throws IOException {
        List<HasMetadata> items = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    items.addAll(kubectl.load(in).items());
                }
            }
        }
        return items;
    }

    <T extends HasMetadata> T one(List<HasMetadata> items, Class<T> type, String name) {
        return items.stream().filter(type::isInstance).map(type::cast).filter(i -> i.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    @Test
    void everyManifestIsTypedAndTheApiServerTakesThemWithTheCrds() throws IOException {
        List<HasMetadata> crds = load(CRDS);
        assertThat(crds).hasSize(3).allSatisfy(c -> assertThat(c).isInstanceOf(CustomResourceDefinition.class));
        List<HasMetadata> items = load(K8S);
        assertThat(items).noneMatch(i -> i instanceof GenericKubernetesResource);
        assertThat(items).extracting(i -> i.getClass().getSimpleName()).containsExactlyInAnyOrder("Namespace", "ServiceAccount",
                "ClusterRole", "ClusterRoleBinding", "ConfigMap", "Secret", "Service", "Service", "StatefulSet");
        for (HasMetadata i : crds) kubectl.resource(i).create();
        for (HasMetadata i : items) kubectl.resource(i).create();
        StatefulSet applied = kubectl.apps().statefulSets().inNamespace("edgetwin").withName("edgetwin-cloud").get();
        assertThat(applied.getSpec()).isEqualTo(one(items, StatefulSet.class, "edgetwin-cloud").getSpec());
        assertThat(kubectl.apiextensions().v1().customResourceDefinitions().withName("devices.devices.kubeedge.io").get()).isNotNull();
        assertThat(kubectl.rbac().clusterRoles().withName("edgetwin-cloud-devices").get().getRules()).hasSize(3);
        // the examples are KubeEdge objects the API server now knows
        for (HasMetadata example : load(K8S.resolve("examples"))) {
            GenericKubernetesResource r = (GenericKubernetesResource) example;
            var context = r.getKind().equals("Device") ? KubeEdgeResources.DEVICE : KubeEdgeResources.DEVICE_MODEL;
            kubectl.genericKubernetesResources(context).inNamespace("default").resource(r).create();
        }
        assertThat(kubectl.genericKubernetesResources(KubeEdgeResources.DEVICE).inNamespace("default").withName("lamp-1").get()).isNotNull();
    }

    @Test
    void theStatefulSetRunsTheCloudImageWithItsPortProbesVolumeTokensAndSettings() throws IOException {
        List<HasMetadata> items = load(K8S);
        StatefulSet sts = one(items, StatefulSet.class, "edgetwin-cloud");
        PodSpec pod = sts.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        DockerfileModel docker = DockerfileModel.read();
        ComposeFile compose = new ComposeFile(Map.of());
        int http = Topology.load().cloud().ports().get("http");

        assertThat(sts.getSpec().getReplicas()).as("one writer of the cloud's journal").isEqualTo(1);
        assertThat(c.getImage()).isEqualTo(compose.service("cloud").path("image").asText());
        assertThat(c.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getContainerPort()).isEqualTo(http);
        });
        for (Probe probe : List.of(c.getStartupProbe(), c.getLivenessProbe())) {
            assertThat(probe.getHttpGet().getPath()).isEqualTo("/healthz");
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
        }
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");

        // data: a claim per pod, mounted where the image keeps its data
        String volume = docker.effective("cloud", "VOLUME").args().replaceAll("[\\[\\]\" ]", "");
        assertThat(sts.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(t -> {
            assertThat(t.getMetadata().getName()).isEqualTo("data");
            assertThat(t.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        });
        assertThat(mount(c, "data").getMountPath()).isEqualTo(volume);

        // runs as the image's user, without privileges
        String uid = docker.effective("cloud", "USER").args().split(":")[0];
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(Long.parseLong(uid));
        assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(Long.parseLong(uid));
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(mount(c, "tmp").getMountPath()).as("natives unpack into a writable /tmp").isEqualTo("/tmp");

        // settings: the ConfigMap's variables are real options of bin/twin-cloud, and the node they describe
        ConfigMap config = one(items, ConfigMap.class, c.getEnvFrom().get(0).getConfigMapRef().getName());
        CloudConfig cloud = Launchers.cloud(Launchers.flags(Launchers.Role.CLOUD, config.getData()));
        assertThat(cloud.kube()).as("the Device bridge on").isTrue();
        assertThat(cloud.httpPort()).isEqualTo(http);
        assertThat(cloud.bind()).isEqualTo("0.0.0.0");
        assertThat(cloud.dataDir()).startsWithRaw(Path.of(volume));
        assertThat(cloud.kubeSettings().namespace()).as("every namespace").isNull();

        // tokens: the Secret mounted where --token-file points, lines the cloud accepts
        Path tokenFile = cloud.tokenFile();
        VolumeMount tokens = c.getVolumeMounts().stream().filter(m -> tokenFile.startsWith(m.getMountPath())).findFirst().orElseThrow();
        assertThat(tokens.getReadOnly()).isTrue();
        Volume secretVolume = pod.getVolumes().stream().filter(v -> v.getName().equals(tokens.getName())).findFirst().orElseThrow();
        Secret secret = one(items, Secret.class, secretVolume.getSecret().getSecretName());
        String lines = secret.getStringData().get(tokenFile.getFileName().toString());
        assertThat(lines).isNotNull();
        for (String line : lines.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList()) {
            String[] f = line.trim().split("\\s+");
            assertThat(f).hasSize(2);
            assertThat(f[1].length()).as("the cloud refuses tokens shorter than 8 characters").isGreaterThanOrEqualTo(8);
        }

        // the Services reach the pod's http port; the headless one governs the StatefulSet
        Map<String, String> labels = sts.getSpec().getTemplate().getMetadata().getLabels();
        List<Service> services = items.stream().filter(Service.class::isInstance).map(Service.class::cast).toList();
        assertThat(services).allSatisfy(s -> {
            assertThat(labels).containsAllEntriesOf(s.getSpec().getSelector());
            assertThat(s.getSpec().getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getPort()).isEqualTo(http);
                assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
            });
        });
        assertThat(one(items, Service.class, sts.getSpec().getServiceName()).getSpec().getClusterIP()).isEqualTo("None");
        assertThat(sts.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of("app.kubernetes.io/name", "edgetwin-cloud"));
        assertThat(one(items, ServiceAccount.class, pod.getServiceAccountName())).isNotNull();
        assertThat(items).filteredOn(Namespace.class::isInstance).extracting(i -> i.getMetadata().getName()).containsExactly("edgetwin");
    }

    private static VolumeMount mount(Container c, String name) {
        return c.getVolumeMounts().stream().filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume mount " + name));
    }

    @Test
    void theClusterRoleAllowsEveryCallTheKubeBridgeMakes() throws Exception {
        List<HasMetadata> items = load(K8S);
        ClusterRole role = one(items, ClusterRole.class, "edgetwin-cloud-devices");
        ClusterRoleBinding binding = one(items, ClusterRoleBinding.class, "edgetwin-cloud-devices");
        StatefulSet sts = one(items, StatefulSet.class, "edgetwin-cloud");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo(sts.getSpec().getTemplate().getSpec().getServiceAccountName());
            assertThat(s.getNamespace()).isEqualTo(sts.getMetadata().getNamespace());
        });
        for (PolicyRule rule : role.getRules()) {
            assertThat(rule.getVerbs()).doesNotContain("*");
            assertThat(rule.getResources()).doesNotContain("*");
        }

        Set<String> calls = bridgeCalls();
        // the exercise reached every kind of call: informers, the spec write-back, the status writes
        assertThat(calls).as("the bridge's calls").contains("devices:list", "devices:watch", "devicemodels:list", "devicemodels:watch", "devicestatuses:list",
                "devicestatuses:watch", "devices:update", "devicestatuses:create", "devicestatuses:patch", "devicestatuses:delete");
        for (String call : calls) {
            String[] rv = call.split(":");
            assertThat(role.getRules()).as("a rule allows " + call)
                    .anySatisfy(r -> {
                        assertThat(r.getApiGroups()).contains(KubeEdgeResources.GROUP);
                        assertThat(r.getResources()).contains(rv[0]);
                        assertThat(r.getVerbs()).contains(rv[1]);
                    });
        }
    }

    /**
     * Runs a cloud node with the bridge against the mock server and drives it through what it does:
     * a DeviceModel and a Device become a twin and a DeviceStatus; a desired value changed over REST is
     * written into the Device; a deleted Device removes the twin and its status. Returns the bridge's
     * calls as {@code resource:verb}, told apart from the test's own by the bridge's bearer token.
     */
    private Set<String> bridgeCalls() throws Exception {
        for (HasMetadata crd : load(CRDS)) kubectl.resource(crd).create();
        for (HasMetadata example : load(K8S.resolve("examples"))) {
            GenericKubernetesResource r = (GenericKubernetesResource) example;
            var context = r.getKind().equals("Device") ? KubeEdgeResources.DEVICE : KubeEdgeResources.DEVICE_MODEL;
            kubectl.genericKubernetesResources(context).inNamespace("default").resource(r).create();
        }
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s"}}]
                contexts: [{name: mock, context: {cluster: mock, user: bridge, namespace: default}}]
                current-context: mock
                users: [{name: bridge, user: {token: %s}}]
                """.formatted(kubectl.getMasterUrl().toString().replaceAll("/$", ""), BRIDGE_TOKEN));
        CloudNode node = CloudNode.start(CloudConfig.local("cloud", dir.resolve("cloud"))
                .withKube(KubeSettings.defaults().withKubeconfig(kubeconfig).withStatusInterval(Duration.ofMillis(100))));
        var devices = kubectl.genericKubernetesResources(KubeEdgeResources.DEVICE).inNamespace("default");
        var statuses = kubectl.genericKubernetesResources(KubeEdgeResources.DEVICE_STATUS).inNamespace("default");
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> node.core().store().get(DeviceId.of("lamp-1")).isPresent());
            await().atMost(Duration.ofSeconds(60)).until(() -> statuses.withName("lamp-1").get() != null);
            HttpResponse<String> patched = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + node.httpPort() + "/api/v1/devices/lamp-1/desired"))
                    .header("content-type", "application/merge-patch+json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"powerstatus\":\"ON\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(60)).until(() -> devices.withName("lamp-1").get().toString().contains("value=ON"));
            await().atMost(Duration.ofSeconds(60)).until(() -> String.valueOf(statuses.withName("lamp-1").get()).contains("ON"));
            devices.withName("lamp-1").delete();
            await().atMost(Duration.ofSeconds(60)).until(() -> node.core().store().get(DeviceId.of("lamp-1")).isEmpty());
            await().atMost(Duration.ofSeconds(60)).until(() -> statuses.withName("lamp-1").get() == null);
        } finally {
            node.stop();
        }
        Set<String> calls = new TreeSet<>();
        int n = server.getRequestCount();
        for (int i = 0; i < n; i++) {
            RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
            if (r == null) break;
            if (!("Bearer " + BRIDGE_TOKEN).equals(r.getHeader("Authorization"))) continue;
            String call = call(r.getMethod(), r.getPath());
            if (call != null) calls.add(call);
        }
        return calls;
    }

    /** {@code resource:verb} of a request to the KubeEdge API group, as Kubernetes' RBAC names it; null for another group. */
    static String call(String method, String path) {
        URI uri = URI.create(path);
        String prefix = "/apis/" + KubeEdgeResources.GROUP + "/" + KubeEdgeResources.VERSION + "/";
        if (!uri.getPath().startsWith(prefix)) return null;
        List<String> parts = List.of(uri.getPath().substring(prefix.length()).split("/"));
        if (parts.get(0).equals("namespaces")) parts = parts.subList(2, parts.size());
        String resource = parts.get(0);
        boolean named = parts.size() > 1;
        if (parts.size() > 2) resource = resource + "/" + parts.get(2); // a subresource: devicestatuses/status
        boolean watch = uri.getQuery() != null && uri.getQuery().contains("watch=true");
        String verb = switch (method) {
            case "GET" -> watch ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
        return resource + ":" + verb;
    }
}
