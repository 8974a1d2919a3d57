package dev.edgetwin.cloud.kube;

import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.PropertyDef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reconciler on its own, with informer caches the test starts: the Devices' and the
 * DeviceModels' watches are separate, so the Device of one {@code kubectl apply} can arrive first.
 */
class DeviceReconcilerTest extends BridgeTestBase {
    KubernetesClient client;
    SharedIndexInformer<GenericKubernetesResource> devices;
    SharedIndexInformer<GenericKubernetesResource> models;
    SharedIndexInformer<GenericKubernetesResource> statuses;
    StatusWriter status;

    @Override
    KubeMock kubeMock() {
        return new KubeMock(true);
    }

    /** A reconciler over a started Device cache and a DeviceModel cache not started (empty) yet. */
    DeviceReconciler reconciler() throws Exception {
        client = kube.bridgeClient(h.core.vertx());
        devices = informer(KubeEdgeResources.DEVICE);
        models = informer(KubeEdgeResources.DEVICE_MODEL);
        statuses = informer(KubeEdgeResources.DEVICE_STATUS);
        BridgeMetrics metrics = new BridgeMetrics(h.core.metrics());
        StatusSync statusSync = new StatusSync(client, devices.getStore(), statuses.getStore(), h.core.store(), metrics);
        status = new StatusWriter(statusSync, metrics, Duration.ofMillis(200), Duration.ofMillis(500));
        devices.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return new DeviceReconciler(client, devices.getStore(), models.getStore(), h.core.store(), h.core.writer(), status,
                statusSync, metrics);
    }

    SharedIndexInformer<GenericKubernetesResource> informer(ResourceDefinitionContext context) {
        return client.genericKubernetesResources(context).inNamespace("default").runnableInformer(0);
    }

    @AfterEach
    void stopCaches() {
        if (status != null) status.close();
        for (SharedIndexInformer<?> i : new SharedIndexInformer<?>[] {devices, models, statuses}) if (i != null) i.stop();
        if (client != null) client.close();
    }

    @Test
    void aModelTheCacheHasNotSeenYetIsReadFromTheApiServerSoTheDeviceRegistersOnce() throws Exception {
        kube.apply("kubeedge/devicemodel-lamp.yaml", "default");
        kube.apply("kubeedge/device-lamp.yaml", "default");
        DeviceReconciler reconciler = reconciler();
        assertThat(models.getStore().list()).isEmpty();

        reconciler.reconcile("default/lamp-1");

        DeviceTwin t = h.twin(LAMP);
        assertThat(t.model()).isEqualTo("led-light");
        assertThat(t.properties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "powerstatus", new PropertyDef("string", false), "brightness", new PropertyDef("int", false)));
        long size = h.journalSize();

        // the models' watch catches up later (and the Devices' with the annotation written): nothing to register again
        models.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
        String written = device("lamp-1").getMetadata().getResourceVersion();
        await().atMost(WAIT).until(() -> written.equals(devices.getStore().getByKey("default/lamp-1").getMetadata().getResourceVersion()));
        reconciler.reconcile("default/lamp-1");
        assertThat(h.journalSize()).isEqualTo(size);
        assertThat(h.counter("edgetwin.kube.twin.commands", "command", "register", "result", "applied")).isEqualTo(1);
    }

    @Test
    void aModelTheBridgeMayNotReadOneByOneCountsAsNone() throws Exception {
        kube.apply("kubeedge/devicemodel-lamp.yaml", "default");
        kube.apply("kubeedge/device-lamp.yaml", "default");
        // RBAC without "get" on devicemodels: the bridge cannot fill the gap, and registers as before
        kube.server.expect().get().withPath("/apis/devices.kubeedge.io/v1beta1/namespaces/default/devicemodels/led-light")
                .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden").build()).always();

        reconciler().reconcile("default/lamp-1");

        assertThat(h.twin(LAMP).model()).isEqualTo("led-light");
        assertThat(h.twin(LAMP).properties()).containsOnlyKeys("powerstatus");
    }

    @Test
    void aModelThatDoesNotExistCountsAsNone() throws Exception {
        kube.apply("kubeedge/device-lamp.yaml", "default");

        reconciler().reconcile("default/lamp-1");

        // typed by the spec's desired.metadata.type alone, as without a model
        assertThat(h.twin(LAMP).model()).isEqualTo("led-light");
        assertThat(h.twin(LAMP).properties()).containsOnlyKeys("powerstatus");
    }
}
