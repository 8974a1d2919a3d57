package dev.edgetwin.log.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.Objects;

/**
 * A change to one device twin. Events are facts: they carry no clock or origin of their
 * own; those come with the {@link Envelope} when the event is written to a stream.
 * Property and attribute values are JSON values (string, number, boolean, object, array),
 * kept in canonical form (see {@link JsonValues#canonical}).
 */
public sealed interface TwinEvent {
    DeviceId device();

    /** The device exists on {@code node}, built after {@code model}, with these attributes and property definitions. */
    record DeviceRegistered(DeviceId device, String node, String model,
                            Map<String, JsonNode> attributes,
                            Map<String, PropertyDef> properties) implements TwinEvent {
        public DeviceRegistered {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(node, "node");
            model = model == null ? "" : model;
            attributes = JsonValues.sortedCopy(attributes);
            properties = properties == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(properties));
        }
    }

    /** The device is gone; every field older than this event is hidden. */
    record DeviceRemoved(DeviceId device) implements TwinEvent {
        public DeviceRemoved {
            Objects.requireNonNull(device, "device");
        }
    }

    record DesiredSet(DeviceId device, String property, JsonNode value) implements TwinEvent {
        public DesiredSet {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(property, "property");
            value = JsonValues.canonical(Objects.requireNonNull(value, "value"));
        }
    }

    record DesiredCleared(DeviceId device, String property) implements TwinEvent {
        public DesiredCleared {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(property, "property");
        }
    }

    record ReportedSet(DeviceId device, String property, JsonNode value) implements TwinEvent {
        public ReportedSet {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(property, "property");
            value = JsonValues.canonical(Objects.requireNonNull(value, "value"));
        }
    }

    record ReportedCleared(DeviceId device, String property) implements TwinEvent {
        public ReportedCleared {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(property, "property");
        }
    }

    /** Connection state as a device or mapper reports it (KubeEdge's state topic). */
    record DeviceStateChanged(DeviceId device, DeviceState state) implements TwinEvent {
        public DeviceStateChanged {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(state, "state");
        }
    }
}
