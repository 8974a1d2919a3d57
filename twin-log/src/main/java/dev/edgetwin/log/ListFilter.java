package dev.edgetwin.log;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.model.DeviceState;
import dev.edgetwin.log.model.DeviceTwin;

/**
 * Filters for listing devices; a null field does not filter. {@code property} with
 * {@code value} matches devices whose desired or reported value of that property equals
 * {@code value} (as JSON); {@code property} alone matches devices that have the property.
 * {@code inSync} matches devices whose properties are all in sync (true) or not (false).
 * {@code namespace} matches devices of that namespace.
 */
public record ListFilter(String node, String model, String property, JsonNode value, Boolean inSync, DeviceState state,
                         String namespace) {
    public static final ListFilter ALL = new ListFilter(null, null, null, null, null, null);

    /** A filter over every namespace. */
    public ListFilter(String node, String model, String property, JsonNode value, Boolean inSync, DeviceState state) {
        this(node, model, property, value, inSync, state, null);
    }

    public ListFilter inNamespace(String ns) {
        return new ListFilter(node, model, property, value, inSync, state, ns);
    }

    public static ListFilter node(String node) {
        return new ListFilter(node, null, null, null, null, null);
    }

    public boolean matches(DeviceTwin t) {
        if (!t.exists()) return false;
        if (namespace != null && !namespace.equals(t.id().namespace())) return false;
        if (node != null && !node.equals(t.node())) return false;
        if (model != null && !model.equals(t.model())) return false;
        if (property != null) {
            if (!t.propertyNames().contains(property)) return false;
            if (value != null && !t.desired(property).map(value::equals).orElse(false)
                    && !t.reported(property).map(value::equals).orElse(false)) {
                return false;
            }
        }
        if (inSync != null && inSync != t.inSync()) return false;
        return state == null || state == t.state();
    }
}
