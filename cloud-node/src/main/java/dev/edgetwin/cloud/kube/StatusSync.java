package dev.edgetwin.cloud.kube;

import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.cache.Store;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a device's twin into the KubeEdge {@code DeviceStatus} of the same name and namespace, where
 * current KubeEdge keeps it ({@link StatusDocument} says what goes in). Creates the DeviceStatus when
 * missing — {@code spec: {}} and an ownerReference to its Device, as cloudcore does, so Kubernetes'
 * garbage collector removes it with the Device — and otherwise patches the keys it owns
 * ({@code status.twins}, {@code state}, {@code lastOnlineTime}), leaving others alone. Nothing is
 * written when the informer's copy already holds the same status.
 */
final class StatusSync implements StatusWriter.Sink {
    private static final PatchContext JSON_PATCH = PatchContext.of(PatchType.JSON);

    private final KubernetesClient client;
    private final Store<GenericKubernetesResource> devices;
    private final Store<GenericKubernetesResource> statuses;
    private final TwinStore store;
    private final BridgeMetrics metrics;

    StatusSync(KubernetesClient client, Store<GenericKubernetesResource> devices, Store<GenericKubernetesResource> statuses,
               TwinStore store, BridgeMetrics metrics) {
        this.client = client;
        this.devices = devices;
        this.statuses = statuses;
        this.store = store;
        this.metrics = metrics;
    }

    @Override
    public void write(String key) {
        GenericKubernetesResource resource = devices.getByKey(key);
        if (resource == null) return;   // the Device is gone: its DeviceStatus goes with it
        KubeDevice device = KubeDevice.from(resource);
        DeviceTwin twin = store.projection().raw(device.id());
        if (!twin.exists()) return;
        Map<String, Object> wanted = StatusDocument.of(device, twin);
        GenericKubernetesResource existing = statuses.getByKey(key);
        if (existing != null && StatusDocument.holds(KubeDevice.map(existing.getAdditionalProperties().get("status")), wanted)) {
            return;
        }
        if (existing == null && create(device, wanted)) return;
        try {
            client.genericKubernetesResources(KubeEdgeResources.DEVICE_STATUS).inNamespace(device.id().namespace())
                    .withName(device.id().name()).patch(JSON_PATCH, Serialization.asJson(patch(existing, wanted)));
            metrics.statusWrite("patched");
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND || !create(device, wanted)) throw e;
        }
    }

    /**
     * A JSON patch (RFC 6902) setting each key of {@code wanted} in {@code status} — or the whole
     * {@code status} when the resource has none. Not a merge patch: merge patches of lists are
     * implemented inconsistently (fabric8's mock server appends to them), a JSON patch {@code add}
     * replaces a member's value everywhere.
     */
    static List<Map<String, Object>> patch(GenericKubernetesResource existing, Map<String, Object> wanted) {
        boolean hasStatus = existing != null && existing.getAdditionalProperties().get("status") instanceof Map<?, ?>;
        if (!hasStatus) return List.of(Map.of("op", "add", "path", "/status", "value", wanted));
        List<Map<String, Object>> ops = new ArrayList<>();
        wanted.forEach((k, v) -> ops.add(Map.of("op", "add", "path", "/status/" + k, "value", v)));
        return ops;
    }

    /** Creates the DeviceStatus; false when one exists already (the informer had not seen it yet). */
    private boolean create(KubeDevice device, Map<String, Object> status) {
        GenericKubernetesResource ds = new GenericKubernetesResource();
        ds.setApiVersion(KubeEdgeResources.API_VERSION);
        ds.setKind("DeviceStatus");
        ds.setMetadata(new ObjectMetaBuilder().withName(device.id().name()).withNamespace(device.id().namespace())
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(KubeEdgeResources.API_VERSION)
                        .withKind("Device").withName(device.id().name()).withUid(device.uid())
                        .withController(true).withBlockOwnerDeletion(true).build())
                .build());
        ds.setAdditionalProperty("spec", new LinkedHashMap<>());
        ds.setAdditionalProperty("status", status);
        try {
            client.genericKubernetesResources(KubeEdgeResources.DEVICE_STATUS).inNamespace(device.id().namespace())
                    .resource(ds).create();
            metrics.statusWrite("created");
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) return false;
            throw e;
        }
    }

    /** Deletes the DeviceStatus of a deleted Device (a no-op when the garbage collector was first). */
    void delete(DeviceId id) {
        if (statuses.getByKey(KubeDevice.key(id)) == null) return;
        client.genericKubernetesResources(KubeEdgeResources.DEVICE_STATUS).inNamespace(id.namespace())
                .withName(id.name()).delete();
        metrics.statusWrite("deleted");
    }
}
