package dev.edgetwin.cloud.kube;

import dev.edgetwin.log.model.TwinCommand;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What reconciling one Device against its twin calls for (a value: {@link DevicePlanner} decides,
 * {@link DeviceReconciler} carries it out).
 *
 * @param kind      what happens, for the log line and metrics
 * @param commands  twin commands to execute in order (empty: the twin is already right)
 * @param writeBack the twin's desired values as Kubernetes strings (property → value; a property
 *                  absent has no desired value) to write into the Device's spec, or null when the spec
 *                  needs no change
 * @param notes     things worth a log line if the plan is carried out (values ignored, and why)
 */
public record DevicePlan(Kind kind, List<TwinCommand> commands, Map<String, String> writeBack, List<String> notes) {
    public enum Kind {
        /** Twin and Device agree (resyncs and restarts end here). */
        NONE,
        /** A device new to the twin store. */
        REGISTER,
        /** The Device's node, model, labels or property types changed. */
        REREGISTER,
        /** The Device moved to another node: removed from the old node's stream, registered on the new one. */
        MOVE,
        /** Only desired values changed in the Device's spec. */
        DESIRED,
        /** The twin's desired values are newer than the spec: they go into the spec. */
        WRITE_BACK,
        /** The Device is gone or has no node: the twin it made is removed. */
        REMOVE
    }

    public DevicePlan {
        commands = List.copyOf(commands);
        notes = List.copyOf(notes);
        writeBack = writeBack == null ? null : Collections.unmodifiableMap(new TreeMap<>(writeBack));
    }

    static DevicePlan none() {
        return new DevicePlan(Kind.NONE, List.of(), null, List.of());
    }
}
