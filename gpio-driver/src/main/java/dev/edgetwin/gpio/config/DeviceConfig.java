package dev.edgetwin.gpio.config;

import java.util.List;

/** A device the mapper serves: its KubeEdge id is {@code namespace/name}, its properties each bound to a line. */
public record DeviceConfig(String namespace, String name, List<PropertyConfig> properties) {
    public DeviceConfig {
        properties = List.copyOf(properties);
    }

    /** The KubeEdge device id, two MQTT topic levels: {@code default/lamp-1}. */
    public String id() {
        return namespace + "/" + name;
    }
}
