package dev.edgetwin.node.http;

import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.EventRecord;
import dev.edgetwin.log.model.TwinEvent;
import io.vertx.ext.web.RoutingContext;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What a watch client asked for: query parameters {@code device} ({@code name} in namespace
 * default, or {@code ns/name}), {@code namespace}, {@code node} and {@code model}, each
 * repeatable. Values of one parameter are alternatives; different parameters must all match.
 *
 * <ul>
 *   <li>{@code node}: events of that node's streams ({@code edge/<node>}, what it wrote, and
 *       {@code cloud/<node>}, what the cloud wrote for it — including the removal that a move
 *       of one of its devices to another node writes).</li>
 *   <li>{@code model}: events of devices registered with that model when the event is sent (a
 *       registration by the model it carries). Removals always pass: a removed device has no
 *       model left to compare, and a client must not miss that one of its devices is gone.</li>
 * </ul>
 */
record WatchFilter(Set<DeviceId> devices, Set<String> namespaces, Set<String> streams, Set<String> models) {

    static WatchFilter parse(RoutingContext ctx) {
        Set<DeviceId> devices = new HashSet<>();
        for (String d : ctx.queryParam("device")) devices.add(DeviceId.parse(d));
        Set<String> streams = new HashSet<>();
        for (String n : ctx.queryParam("node")) {
            streams.add("edge/" + n);
            streams.add("cloud/" + n);
        }
        return new WatchFilter(devices, new HashSet<>(ctx.queryParam("namespace")), streams, new HashSet<>(ctx.queryParam("model")));
    }

    /** Whether the event at {@code stream} passes; {@code twin} (the device's current twin) is asked for only when a model filter needs it. */
    boolean matches(String stream, EventRecord record, Supplier<DeviceTwin> twin) {
        DeviceId id = record.event().device();
        if (!streams.isEmpty() && !streams.contains(stream)) return false;
        if (!devices.isEmpty() && !devices.contains(id)) return false;
        if (!namespaces.isEmpty() && !namespaces.contains(id.namespace())) return false;
        if (models.isEmpty()) return true;
        TwinEvent event = record.event();
        if (event instanceof TwinEvent.DeviceRemoved) return true;
        if (event instanceof TwinEvent.DeviceRegistered r) return models.contains(r.model());
        DeviceTwin t = twin.get();
        return t.exists() && models.contains(t.model());
    }
}
