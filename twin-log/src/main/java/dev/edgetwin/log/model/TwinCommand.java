package dev.edgetwin.log.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** What a client asks of a twin; {@link Decider} turns it into events or a coded rejection. */
public sealed interface TwinCommand {
    DeviceId id();

    /**
     * Register a device, or replace its registration: node, model, attributes, property
     * definitions and desired values. Replacing clears desired values absent from {@code desired};
     * reported values are the device's and stay.
     */
    record RegisterDevice(DeviceId id, String node, String model, Map<String, JsonNode> attributes,
                          Map<String, PropertyDef> properties, Map<String, JsonNode> desired) implements TwinCommand {
        public RegisterDevice {
            Objects.requireNonNull(id, "id");
            attributes = PatchMaps.copy(attributes);
            properties = properties == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(properties));
            desired = PatchMaps.copy(desired);
        }
    }

    record RemoveDevice(DeviceId id) implements TwinCommand {
    }

    /** A JSON merge patch of desired values: property → value, a JSON null clears the value. */
    record PatchDesired(DeviceId id, Map<String, JsonNode> patch) implements TwinCommand {
        public PatchDesired {
            Objects.requireNonNull(id, "id");
            patch = PatchMaps.copy(patch);
        }
    }

    /** A merge patch of reported values, as a device or mapper sends it; null clears. */
    record PatchReported(DeviceId id, Map<String, JsonNode> patch) implements TwinCommand {
        public PatchReported {
            Objects.requireNonNull(id, "id");
            patch = PatchMaps.copy(patch);
        }
    }

    record ChangeState(DeviceId id, DeviceState state) implements TwinCommand {
        public ChangeState {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(state, "state");
        }
    }
}
