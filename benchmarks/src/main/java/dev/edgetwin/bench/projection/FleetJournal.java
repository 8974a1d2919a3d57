package dev.edgetwin.bench.projection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.bench.Workload;
import dev.edgetwin.bench.log.TwinEntries;
import dev.edgetwin.log.EntryDraft;
import dev.edgetwin.log.Journal;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The journal the replay and rebuild benchmarks read: the workload's registrations on
 * {@code cloud/edge-a}, then {@code updates} reported values on {@code edge/edge-a}.
 */
public final class FleetJournal {
    public static final String CLOUD_STREAM = "cloud/" + Workload.NODE;

    private FleetJournal() {
    }

    /** Writes the fleet into {@code journal}; returns the number of entries written. */
    public static long write(Journal journal, Workload workload, int updates) {
        List<EntryDraft> registrations = new ArrayList<>();
        for (int d = 0; d < workload.devices(); d++) {
            registrations.add(TwinEntries.draft(d, EventCodec.encode(registration(workload, d))));
        }
        journal.append(CLOUD_STREAM, registrations);
        List<Workload.TwinUpdate> all = workload.updates(updates);
        for (int i = 0; i < all.size(); i += 1024) {
            List<EntryDraft> batch = new ArrayList<>();
            for (int j = i; j < Math.min(i + 1024, all.size()); j++) {
                batch.add(TwinEntries.draft(workload.devices() + j, TwinEntries.payload(all.get(j))));
            }
            journal.append(TwinEntries.STREAM, batch);
        }
        return (long) workload.devices() + updates;
    }

    /** The registration of device {@code d}: node, model, a serial attribute, the workload's properties. */
    public static TwinEvent.DeviceRegistered registration(Workload workload, int d) {
        String name = workload.deviceName(d);
        Map<String, PropertyDef> props = new TreeMap<>();
        for (Workload.Property p : workload.properties()) props.put(p.name(), new PropertyDef(p.type(), false));
        Map<String, JsonNode> attrs = Map.of("serial", JsonValues.text("SN-" + name));
        return new TwinEvent.DeviceRegistered(new DeviceId(Workload.NAMESPACE, name), Workload.NODE, Workload.MODEL, attrs, props);
    }
}
