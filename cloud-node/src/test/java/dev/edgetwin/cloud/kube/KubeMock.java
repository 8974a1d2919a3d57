package dev.edgetwin.cloud.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * fabric8's mock API server in CRUD mode on 127.0.0.1 (a free port), with KubeEdge's CRDs applied from
 * the classpath, and a client for the test to act as {@code kubectl}.
 */
public final class KubeMock implements AutoCloseable {
    /** The mock server logs every request through java.util.logging: kept to warnings (a strong reference keeps the level). */
    private static final java.util.logging.Logger QUIET = quiet();
    final KubernetesMockServer server;
    final KubernetesClient kubectl;

    public KubeMock() {
        this(false);
    }

    /**
     * With {@code expectations}, a request matching one set through {@code server.expect()} gets its
     * response (e.g. a 403), and every other one is served in CRUD mode as usual.
     */
    KubeMock(boolean expectations) {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                expectations ? new KubernetesMixedDispatcher(responses) : new KubernetesCrudDispatcher(), false);
        try {
            server.init(InetAddress.getByName("127.0.0.1"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        kubectl = server.createClient();
        for (String crd : KubeEdgeResources.CRD_RESOURCES) {
            for (HasMetadata item : kubectl.load(resource(crd)).items()) kubectl.resource(item).create();
        }
    }

    /** A client for a bridge: HTTP on {@code vertx}, as {@link KubeBridge#client} builds it. */
    KubernetesClient bridgeClient(Vertx vertx) {
        return server.createClient(b -> b.withHttpClientFactory(new Vertx5HttpClientFactory(vertx)));
    }

    /** A kubeconfig file that points at this server (plain HTTP, namespace default). */
    public Path kubeconfig(Path dir) throws IOException {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: tester
                    namespace: default
                current-context: mock
                users:
                - name: tester
                  user:
                    token: test-token
                """.formatted(kubectl.getMasterUrl().toString().replaceAll("/$", ""));
        return Files.writeString(dir.resolve("kubeconfig"), yaml);
    }

    private static java.util.logging.Logger quiet() {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
        l.setLevel(java.util.logging.Level.WARNING);
        return l;
    }

    static InputStream resource(String name) {
        InputStream in = KubeMock.class.getClassLoader().getResourceAsStream(name);
        if (in == null) throw new IllegalArgumentException("no classpath resource " + name);
        return in;
    }

    /** Applies a YAML file from the test classpath ({@code kubeedge/…}) into {@code namespace}: what {@code kubectl apply -f} does. */
    public List<GenericKubernetesResource> apply(String name, String namespace) {
        return apply(name, namespace, null);
    }

    /** Applies a YAML file of one object under another name. */
    List<GenericKubernetesResource> apply(String file, String namespace, String rename) {
        List<GenericKubernetesResource> out = new java.util.ArrayList<>();
        for (HasMetadata item : kubectl.load(resource(file)).items()) {
            GenericKubernetesResource r = Serialization.unmarshal(Serialization.asJson(item), GenericKubernetesResource.class);
            if (rename != null) r.getMetadata().setName(rename);
            out.add(ops(r.getKind()).inNamespace(namespace).resource(r).create());
        }
        return out;
    }

    io.fabric8.kubernetes.client.dsl.MixedOperation<GenericKubernetesResource, io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
            io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> ops(String kind) {
        ResourceDefinitionContext ctx = switch (kind) {
            case "Device" -> KubeEdgeResources.DEVICE;
            case "DeviceModel" -> KubeEdgeResources.DEVICE_MODEL;
            case "DeviceStatus" -> KubeEdgeResources.DEVICE_STATUS;
            default -> throw new IllegalArgumentException(kind);
        };
        return kubectl.genericKubernetesResources(ctx);
    }

    GenericKubernetesResource get(String kind, String namespace, String name) {
        return ops(kind).inNamespace(namespace).withName(name).get();
    }

    /** {@code status.twins[propertyName=property].<half>} of a DeviceStatus ({@code reported}, {@code observedDesired}), or null. */
    @SuppressWarnings("unchecked")
    Map<String, Object> statusTwin(String namespace, String name, String property, String half) {
        GenericKubernetesResource s = get("DeviceStatus", namespace, name);
        List<Map<String, Object>> twins = s == null ? null : s.get("status", "twins");
        if (twins == null) return null;
        for (Map<String, Object> t : twins) {
            if (property.equals(t.get("propertyName"))) return (Map<String, Object>) t.get(half);
        }
        return null;
    }

    @Override
    public void close() {
        kubectl.close();
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            // fabric8's mock (8.0.0) can block its own event loop when a client closes a watch while
            // the watch's executor still sends an event (WatchEventsListener.onClosed awaits that executor
            // on the loop for up to a minute); its HttpServer then cannot close within its 10 s. That is
            // the mock's shutdown, after the test has run: its threads end by themselves, each test has
            // its own mock, so the test's outcome stands.
            System.err.println("KubeMock: the mock API server did not close in time (" + e.getMessage()
                    + "); left to end by itself");
        }
    }
}
