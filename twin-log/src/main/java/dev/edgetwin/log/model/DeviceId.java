package dev.edgetwin.log.model;

import java.util.Objects;

/**
 * A device's identity: a namespace and a name, like a Kubernetes object.
 * On MQTT it is written {@code namespace/name} (two topic levels), as KubeEdge does.
 * Syntax is checked by {@link Limits}, not here: any non-null strings form an id.
 */
public record DeviceId(String namespace, String name) implements Comparable<DeviceId> {
    public static final String DEFAULT_NAMESPACE = "default";

    public DeviceId {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    public static DeviceId of(String name) {
        return new DeviceId(DEFAULT_NAMESPACE, name);
    }

    /** Parses {@code ns/name}; a bare {@code name} means namespace {@code default}. */
    public static DeviceId parse(String text) {
        int slash = text.indexOf('/');
        return slash < 0 ? of(text) : new DeviceId(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public int compareTo(DeviceId o) {
        int c = namespace.compareTo(o.namespace);
        return c != 0 ? c : name.compareTo(o.name);
    }

    // spelled out: a record's generated equals/hashCode go through a method handle, which showed in
    // profiles of the MQTT path, where every message looks its device up several times
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof DeviceId d && name.equals(d.name) && namespace.equals(d.namespace);
    }

    @Override
    public int hashCode() {
        return 31 * namespace.hashCode() + name.hashCode();
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
