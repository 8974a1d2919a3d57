package dev.edgetwin.cloud.kube;

import dev.edgetwin.log.Result;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.TwinWriter;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.cache.Store;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Makes one Device and its twin agree (run by the {@link ReconcileQueue}'s thread): reads both,
 * asks the {@link DevicePlanner}, executes the plan's commands through the node's {@link TwinWriter}
 * (client token {@value #CLIENT_TOKEN_PREFIX}{@code <resourceVersion>}, so the bridge knows its own
 * events), then brings the Device up to date — the twin's desired values when they won, and the
 * {@value KubeDevice#SYNCED_ANNOTATION} annotation — with an optimistic-locked update: when the
 * Device changed meanwhile the update fails with a conflict and the key is reconciled again.
 */
final class DeviceReconciler implements ReconcileQueue.Worker {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceReconciler.class);
    /** Client tokens of the journal entries the bridge writes start with this. */
    static final String CLIENT_TOKEN_PREFIX = "kube:";
    private static final long WRITE_TIMEOUT_SECONDS = 60;

    private final KubernetesClient client;
    private final Store<GenericKubernetesResource> devices;
    private final Store<GenericKubernetesResource> models;
    private final TwinStore store;
    private final TwinWriter writer;
    private final StatusWriter status;
    private final StatusSync statusSync;
    private final BridgeMetrics metrics;
    /** Plans the twin store rejected, so a resync does not log the same rejection again. */
    private final Map<String, DevicePlan> rejected = new HashMap<>();
    /** Devices without a node already logged as such. */
    private final Set<String> unbound = ConcurrentHashMap.newKeySet();

    DeviceReconciler(KubernetesClient client, Store<GenericKubernetesResource> devices, Store<GenericKubernetesResource> models,
                     TwinStore store, TwinWriter writer, StatusWriter status, StatusSync statusSync, BridgeMetrics metrics) {
        this.client = client;
        this.devices = devices;
        this.models = models;
        this.store = store;
        this.writer = writer;
        this.status = status;
        this.statusSync = statusSync;
        this.metrics = metrics;
    }

    @Override
    public void reconcile(String key) throws Exception {
        DeviceId id = DeviceId.parse(key);
        DeviceTwin twin = store.projection().raw(id);
        GenericKubernetesResource resource = devices.getByKey(key);
        if (resource == null) {
            deleted(key, id, twin);
            return;
        }
        KubeDevice device = KubeDevice.from(resource);
        KubeDeviceModel model = model(device);
        DevicePlan plan = DevicePlanner.plan(device, model, twin);
        metrics.reconciled(plan.kind());
        DeviceTwin after = twin;
        if (!plan.commands().isEmpty()) {
            after = execute(key, CLIENT_TOKEN_PREFIX + device.resourceVersion(), plan);
            if (after == null) return;
            status.changed(key);
        }
        logOutcome(device, plan, twin);
        if (!after.exists()) return;
        long hlc = DevicePlanner.desiredHlc(after, DevicePlanner.propertyNames(device, after));
        if (plan.writeBack() != null || hlc != device.syncedHlc()) {
            updateDevice(resource, plan.writeBack(), DevicePlanner.definitions(device, model), hlc);
        }
    }

    /**
     * The Device's model: from the informer's cache, or — when the cache lacks it — read from the API
     * server, since the models' watch may deliver a DeviceModel after the Device applied with it (one
     * {@code kubectl apply} of both); registering without it would register the Device twice. A model
     * that does not exist, or that the bridge may not read one by one (RBAC without {@code get}),
     * counts as none (the model's arrival reconciles the Device again); any other failure is retried.
     */
    private KubeDeviceModel model(KubeDevice device) {
        if (device.model().isEmpty()) return KubeDeviceModel.NONE;
        GenericKubernetesResource m = models.getByKey(device.id().namespace() + "/" + device.model());
        if (m == null) {
            try {
                m = client.genericKubernetesResources(KubeEdgeResources.DEVICE_MODEL).inNamespace(device.id().namespace())
                        .withName(device.model()).get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_FORBIDDEN) throw e;
            }
        }
        return m == null ? KubeDeviceModel.NONE : KubeDeviceModel.from(m);
    }

    private void deleted(String key, DeviceId id, DeviceTwin twin) throws Exception {
        DevicePlan plan = DevicePlanner.deleted(twin);
        metrics.reconciled(plan.kind());
        if (!plan.commands().isEmpty() && execute(key, CLIENT_TOKEN_PREFIX + "deleted", plan) != null) {
            LOG.info("device {} removed: its Device was deleted", key);
        }
        unbound.remove(key);
        status.forget(key);
        statusSync.delete(id);
    }

    /** Executes the plan's commands in order; the twin after them, or null when the store rejected one. */
    private DeviceTwin execute(String key, String token, DevicePlan plan) throws Exception {
        List<CompletableFuture<Result>> results = new ArrayList<>();
        for (TwinCommand c : plan.commands()) results.add(writer.submit(new TwinStore.Request(c, token, null)));
        DeviceTwin after = null;
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i).get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String command = commandName(plan.commands().get(i));
            if (r instanceof Result.Rejected rej) {
                if (rej.error().code().equals(TwinWriter.OVERLOADED)) {
                    throw new IllegalStateException(rej.error().code() + ": " + rej.error().message());
                }
                metrics.twinCommand(command, false);
                synchronized (rejected) {
                    if (!plan.equals(rejected.put(key, plan))) {
                        LOG.warn("device {}: the twin store rejected the {} from Kubernetes: {} {}", key, command,
                                rej.error().code(), rej.error().message());
                    }
                }
                return null;
            }
            metrics.twinCommand(command, true);
            after = ((Result.Applied) r).twin();
        }
        synchronized (rejected) {
            rejected.remove(key);
        }
        return after;
    }

    private static String commandName(TwinCommand c) {
        if (c instanceof TwinCommand.RegisterDevice) return "register";
        if (c instanceof TwinCommand.RemoveDevice) return "remove";
        return "desired";
    }

    private void logOutcome(KubeDevice device, DevicePlan plan, DeviceTwin before) {
        String key = device.key();
        if (device.node().isEmpty()) {
            if (unbound.add(key)) LOG.info("device {} has no spec.nodeName: it is sent to no edge", key);
        } else {
            unbound.remove(key);
        }
        switch (plan.kind()) {
            case REGISTER -> LOG.info("device {} registered on node {} (model {}, {} properties in its spec)", key,
                    device.node(), device.model().isEmpty() ? "-" : device.model(), device.properties().size());
            case REREGISTER -> LOG.info("device {} updated from Kubernetes (node {}, model {})", key, device.node(),
                    device.model().isEmpty() ? "-" : device.model());
            case MOVE -> LOG.info("device {} moved from node {} to node {}", key, before.node(), device.node());
            case REMOVE -> LOG.info("device {} removed: its spec.nodeName is empty", key);
            case DESIRED -> LOG.debug("device {}: desired values from its spec applied", key);
            case WRITE_BACK -> LOG.debug("device {}: desired values written back to its spec", key);
            case NONE -> {
            }
        }
        if (plan.kind() != DevicePlan.Kind.NONE) {
            for (String note : plan.notes()) LOG.warn("device {}: {}", key, note);
        }
    }

    /**
     * Writes the twin's desired values (when {@code desired} is not null) and the sync annotation into
     * the Device, as an update locked on the resourceVersion that was read.
     */
    private void updateDevice(GenericKubernetesResource resource, Map<String, String> desired, Map<String, PropertyDef> defs,
                              long hlc) throws ReconcileQueue.Again {
        GenericKubernetesResource copy = Serialization.clone(resource);
        boolean specChanged = false;
        if (desired != null) {
            Map<String, Object> spec = mutableMap(copy, "spec");
            specChanged = SpecEdit.apply(spec, desired, defs);
        }
        Map<String, String> annotations = copy.getMetadata().getAnnotations() == null
                ? new LinkedHashMap<>() : new LinkedHashMap<>(copy.getMetadata().getAnnotations());
        annotations.put(KubeDevice.SYNCED_ANNOTATION, Long.toString(hlc));
        copy.getMetadata().setAnnotations(annotations);
        try {
            client.genericKubernetesResources(KubeEdgeResources.DEVICE).inNamespace(copy.getMetadata().getNamespace())
                    .resource(copy).update();
            metrics.specWrite(specChanged ? "updated" : "annotated");
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) return;   // deleted meanwhile: its delete event follows
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                // the informer had not caught up with a newer version yet: reconcile against that one
                metrics.specWrite("conflict");
                throw new ReconcileQueue.Again("changed while being written (resourceVersion "
                        + resource.getMetadata().getResourceVersion() + " is stale)", e);
            }
            metrics.specWrite("failed");
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mutableMap(GenericKubernetesResource r, String field) {
        Object o = r.getAdditionalProperties().get(field);
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) m);
            r.setAdditionalProperty(field, copy);
            return copy;
        }
        Map<String, Object> fresh = new LinkedHashMap<>();
        r.setAdditionalProperty(field, fresh);
        return fresh;
    }
}
