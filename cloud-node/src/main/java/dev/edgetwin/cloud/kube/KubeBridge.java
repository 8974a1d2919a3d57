package dev.edgetwin.cloud.kube;

import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.ListFilter;
import dev.edgetwin.log.Page;
import dev.edgetwin.log.TwinListener;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.EventRecord;
import dev.edgetwin.log.model.TwinEvent;
import dev.edgetwin.node.NodeCore;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The Kubernetes Device CRD bridge of a cloud node ({@code --kube}).
 *
 * <ul>
 * <li><b>Kubernetes → twins.</b> Informers on KubeEdge's {@code Device} and {@code DeviceModel} (one
 *     namespace or all) queue the Device's key on every add, update, delete and resync (and on a
 *     model change, every Device using it); the {@link DeviceReconciler} turns differences into
 *     register, desired and remove commands through the node's {@code TwinWriter}. It compares with
 *     the current twin first, so resyncs and restarts append nothing when nothing changed.</li>
 * <li><b>Twins → Kubernetes.</b> A {@link TwinListener} on the store sees every applied event:
 *     reported values, desired values and state mark the device's {@code DeviceStatus} for a
 *     coalesced, rate-limited write ({@link StatusWriter}); desired values, registrations and
 *     removals not written by the bridge (REST API, edges) queue the Device, whose spec then gets the
 *     twin's desired values (see {@link DevicePlanner} for why that never echoes).</li>
 * </ul>
 *
 * <p>Threads: fabric8's informer threads only queue keys; {@code kube-reconcile} reconciles;
 * {@code kube-status} writes statuses; the listener runs on the node's writer thread and only queues.
 * {@link #close} stops the informers, finishes the running reconciliation, writes the pending
 * statuses and closes the client.
 */
public final class KubeBridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubeBridge.class);
    private static final String MODEL_INDEX = "model";

    private final KubernetesClient client;
    private final KubeSettings settings;
    private final TwinStore store;
    private final BridgeMetrics metrics;
    private final SharedIndexInformer<GenericKubernetesResource> devices;
    private final SharedIndexInformer<GenericKubernetesResource> models;
    private final SharedIndexInformer<GenericKubernetesResource> statuses;
    private final StatusWriter statusWriter;
    private final ReconcileQueue queue;
    private final TwinListener listener = this::onTwinEvent;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    private KubeBridge(NodeCore core, KubernetesClient client, KubeSettings settings) {
        this.client = client;
        this.settings = settings;
        this.store = core.store();
        this.metrics = new BridgeMetrics(core.metrics());
        this.models = informer(KubeEdgeResources.DEVICE_MODEL, 0);
        this.statuses = informer(KubeEdgeResources.DEVICE_STATUS, 0);
        this.devices = informer(KubeEdgeResources.DEVICE, settings.resync().toMillis());
        devices.addIndexers(Map.of(MODEL_INDEX, d -> {
            KubeDevice device = KubeDevice.from(d);
            return device.model().isEmpty() ? List.of() : List.of(device.id().namespace() + "/" + device.model());
        }));
        StatusSync statusSync = new StatusSync(client, devices.getStore(), statuses.getStore(), store, metrics);
        this.statusWriter = new StatusWriter(statusSync, metrics, settings.statusInterval(), settings.maxRetryDelay());
        this.queue = new ReconcileQueue(new DeviceReconciler(client, devices.getStore(), models.getStore(), store,
                core.writer(), statusWriter, statusSync, metrics), settings.maxRetryDelay());
        devices.addEventHandler(handler("Device", this::deviceChanged, this::deviceChanged));
        models.addEventHandler(handler("DeviceModel", this::modelChanged, this::modelChanged));
        statuses.addEventHandler(handler("DeviceStatus", s -> {
        }, this::statusDeleted));
    }

    /**
     * Starts the bridge on {@code core}'s store and writer with {@code client}, which it then owns and
     * closes. Returns at once; {@link #ready()} completes when the informers have listed everything and
     * the first reconciliation is queued. If Kubernetes cannot be reached the informers keep retrying.
     */
    public static KubeBridge start(NodeCore core, KubernetesClient client, KubeSettings settings) {
        KubeBridge bridge = new KubeBridge(core, client, settings);
        bridge.start();
        return bridge;
    }

    /**
     * A client for {@code settings}: the kubeconfig file it names, else fabric8's auto-configuration
     * (in-cluster service account, {@code KUBECONFIG}, {@code ~/.kube/config}); HTTP through Vert.x 5
     * on the node's own {@code vertx} (the client does not close it).
     */
    public static KubernetesClient client(KubeSettings settings, Vertx vertx) {
        KubernetesClientBuilder builder = new KubernetesClientBuilder().withHttpClientFactory(new Vertx5HttpClientFactory(vertx));
        if (settings.kubeconfig() != null) {
            File file = settings.kubeconfig().toFile();
            if (!file.canRead()) throw new IllegalArgumentException("--kubeconfig " + file + " cannot be read");
            builder.withConfig(Config.fromKubeconfig(file));
        }
        return builder.build();
    }

    private void start() {
        store.addListener(listener);
        LOG.info("kube bridge starting: API server {}, {}, status writes at most every {} ms per device, resync {}",
                client.getMasterUrl(), settings.scope(), settings.statusInterval().toMillis(),
                settings.resync().isZero() ? "off" : settings.resync().toSeconds() + " s");
        long started = System.nanoTime();
        models.start()
                .thenCompose(v -> statuses.start())
                .thenCompose(v -> devices.start())
                .whenComplete((v, e) -> {
                    if (e != null) {
                        ready.completeExceptionally(e);
                        return;
                    }
                    queue.execute(() -> synced(started));
                });
    }

    private SharedIndexInformer<GenericKubernetesResource> informer(ResourceDefinitionContext context, long resyncMillis) {
        var resources = client.genericKubernetesResources(context);
        SharedIndexInformer<GenericKubernetesResource> informer = settings.namespace() == null
                ? resources.inAnyNamespace().runnableInformer(resyncMillis)
                : resources.inNamespace(settings.namespace()).runnableInformer(resyncMillis);
        return informer.exceptionHandler((isStarted, t) -> {
            LOG.warn("kube bridge: watching {}.{} failed ({}); retrying{}", context.getPlural(), context.getGroup(),
                    t.toString(), isStarted ? "" : " (are KubeEdge's CRDs installed? see cloud-node/src/main/resources/crds/)");
            return true;
        });
    }

    /** Runs on the reconcile thread once every informer has listed: removes twins of Devices deleted while away. */
    private void synced(long startedNanos) {
        int removed = 0;
        String cursor = null;
        do {
            Page<DeviceTwin> page = store.list(ListFilter.ALL, cursor, 500);
            for (DeviceTwin t : page.items()) {
                String key = KubeDevice.key(t.id());
                if (DevicePlanner.managed(t) && settings.watches(t.id().namespace()) && devices.getStore().getByKey(key) == null) {
                    queue.enqueue(key);
                    removed++;
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        // statuses may lag behind twins that changed while the bridge was away; unchanged ones are not written
        for (String key : devices.getStore().listKeys()) statusWriter.changed(key);
        LOG.info("kube bridge synced in {} ms: {} devices, {} device models, {} device statuses; {} twins of deleted Devices to remove",
                (System.nanoTime() - startedNanos) / 1_000_000, devices.getStore().list().size(), models.getStore().list().size(),
                statuses.getStore().list().size(), removed);
        ready.complete(null);
    }

    private void deviceChanged(GenericKubernetesResource device) {
        queue.enqueue(key(device));
    }

    private void modelChanged(GenericKubernetesResource model) {
        for (GenericKubernetesResource d : devices.getIndexer().byIndex(MODEL_INDEX, key(model))) queue.enqueue(key(d));
    }

    private void statusDeleted(GenericKubernetesResource deviceStatus) {
        // a DeviceStatus deleted by someone else while its Device exists is written again, as cloudcore would
        String key = key(deviceStatus);
        if (devices.getStore().getByKey(key) != null) statusWriter.changed(key);
    }

    /** Counts every notification; {@code changed} gets adds, updates and resyncs, {@code deleted} deletions. */
    private ResourceEventHandler<GenericKubernetesResource> handler(String resource, Consumer<GenericKubernetesResource> changed,
                                                                    Consumer<GenericKubernetesResource> deleted) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource obj) {
                metrics.informerEvent(resource, "add");
                changed.accept(obj);
            }

            @Override
            public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
                metrics.informerEvent(resource, "update");
                changed.accept(newObj);
            }

            @Override
            public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
                metrics.informerEvent(resource, "delete");
                deleted.accept(obj);
            }
        };
    }

    /** On the writer thread, for every applied event: only queues work. */
    private void onTwinEvent(JournalEntry entry, EventRecord record, DeviceTwin after) {
        String key = KubeDevice.key(record.event().device());
        if (!settings.watches(record.event().device().namespace()) || devices.getStore().getByKey(key) == null) return;
        TwinEvent event = record.event();
        boolean desired = event instanceof TwinEvent.DesiredSet || event instanceof TwinEvent.DesiredCleared;
        if (desired || event instanceof TwinEvent.ReportedSet || event instanceof TwinEvent.ReportedCleared
                || event instanceof TwinEvent.DeviceStateChanged) {
            statusWriter.changed(key);
        }
        boolean ours = record.envelope().origin().equals(store.nodeId())
                && record.envelope().clientToken().startsWith(DeviceReconciler.CLIENT_TOKEN_PREFIX);
        if (!ours && (desired || event instanceof TwinEvent.DeviceRegistered || event instanceof TwinEvent.DeviceRemoved)) {
            queue.enqueue(key);
        }
    }

    private static String key(HasMetadata resource) {
        String ns = resource.getMetadata().getNamespace();
        return (ns == null ? "default" : ns) + "/" + resource.getMetadata().getName();
    }

    /** Completes when the informers have synced and the first reconciliation is queued. */
    public CompletableFuture<Void> ready() {
        return ready;
    }

    /** True while a DeviceStatus write of {@code id} is pending (diagnostics, tests). */
    public boolean statusPending(DeviceId id) {
        return statusWriter.pending(KubeDevice.key(id));
    }

    public KubeSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        store.removeListener(listener);
        devices.stop();
        models.stop();
        statuses.stop();
        queue.close();
        statusWriter.close();
        client.close();
        ready.completeExceptionally(new IllegalStateException("kube bridge closed"));
        LOG.info("kube bridge stopped");
    }
}
