package dev.edgetwin.edge.kubeedge;

import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.Role;
import dev.edgetwin.log.TwinListener;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.EventRecord;
import dev.edgetwin.log.model.TwinEvent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Hands twin changes that MQTT clients must hear of from the writer thread to the MQTT event
 * loop: value changes of this node's devices (for deltas) — but not the reported values this
 * node writes, whose MQTT updates publish their own deltas — and every registration or removal
 * (for membership). On the writer thread it only filters and queues; the event loop receives
 * batches with one entry per device, holding the latest twin.
 */
final class TwinChangeFeed implements TwinListener {
    /** The latest twin of a device after changes; {@code membership} when one of them registered or removed it. */
    record Change(DeviceTwin after, boolean membership, boolean values) {
    }

    private final String nodeId;
    private final String ownStream;
    private final Executor loop;
    private final Consumer<Map<DeviceId, Change>> sink;
    private final ConcurrentLinkedQueue<Change> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    TwinChangeFeed(String nodeId, Executor loop, Consumer<Map<DeviceId, Change>> sink) {
        this.nodeId = nodeId;
        this.ownStream = Role.edgeStream(nodeId);
        this.loop = loop;
        this.sink = sink;
    }

    @Override
    public void onChange(JournalEntry entry, EventRecord record, DeviceTwin after) {
        TwinEvent e = record.event();
        boolean reported = e instanceof TwinEvent.ReportedSet || e instanceof TwinEvent.ReportedCleared;
        // the node's own reported values come from MQTT twin updates only, which publish their delta
        // themselves (TwinUpdates.finish): handing each to the loop again only to find it announced
        // cost a few % of the loop under ingest
        if (reported && entry.stream().equals(ownStream)) return;
        boolean membership = e instanceof TwinEvent.DeviceRegistered || e instanceof TwinEvent.DeviceRemoved;
        boolean values = reported || e instanceof TwinEvent.DesiredSet || e instanceof TwinEvent.DesiredCleared
                || e instanceof TwinEvent.DeviceRegistered;
        if (!membership && !(values && nodeId.equals(after.node()))) return;
        queue.add(new Change(after, membership, values));
        if (scheduled.compareAndSet(false, true)) loop.execute(this::drain);
    }

    private void drain() {
        scheduled.set(false);
        Map<DeviceId, Change> batch = new LinkedHashMap<>();
        for (Change c = queue.poll(); c != null; c = queue.poll()) {
            Change earlier = batch.get(c.after().id());
            batch.put(c.after().id(), earlier == null ? c
                    : new Change(c.after(), c.membership() || earlier.membership(), c.values() || earlier.values()));
        }
        if (!batch.isEmpty()) sink.accept(batch);
    }
}
