package dev.edgetwin.cloud.kube;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bridge's meters, in the node's registry (scraped at {@code /metrics}):
 * <ul>
 * <li>{@code edgetwin_kube_informer_events_total{resource,action}} — informer notifications
 *     (resource: Device, DeviceModel, DeviceStatus; action: add, update, delete)</li>
 * <li>{@code edgetwin_kube_twin_commands_total{command,result}} — commands the bridge sent to the twin
 *     store (command: register, remove, desired; result: applied, rejected)</li>
 * <li>{@code edgetwin_kube_status_writes_total{result}} — DeviceStatus writes (created, patched, deleted, failed)</li>
 * <li>{@code edgetwin_kube_status_coalesced_total} — twin changes folded into a status write already pending</li>
 * <li>{@code edgetwin_kube_spec_writes_total{result}} — Device writes (updated: desired values written back;
 *     annotated: only the sync annotation; conflict: the Device changed meanwhile; failed)</li>
 * <li>{@code edgetwin_kube_reconciles_total{kind}} — reconciliations by {@link DevicePlan.Kind}</li>
 * </ul>
 */
final class BridgeMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    BridgeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void informerEvent(String resource, String action) {
        count("edgetwin.kube.informer.events", "resource", resource, "action", action);
    }

    void twinCommand(String command, boolean applied) {
        count("edgetwin.kube.twin.commands", "command", command, "result", applied ? "applied" : "rejected");
    }

    void statusWrite(String result) {
        count("edgetwin.kube.status.writes", "result", result);
    }

    void statusCoalesced() {
        count("edgetwin.kube.status.coalesced");
    }

    void specWrite(String result) {
        count("edgetwin.kube.spec.writes", "result", result);
    }

    void reconciled(DevicePlan.Kind kind) {
        count("edgetwin.kube.reconciles", "kind", kind.name().toLowerCase(Locale.ROOT));
    }

    private void count(String name, String... tags) {
        counters.computeIfAbsent(name + String.join(",", tags),
                k -> Counter.builder(name).tags(tags).register(registry)).increment();
    }
}
