package dev.edgetwin.log.model;

import java.util.Objects;

/**
 * A device's identity: a namespace and a name, like a Kubernetes object.
 * On MQTT it is written {@code namespace/name} (two topic levels), as KubeEdge does.
 * Syntax is checked by {@link Limits}, not here: any non-null strings form an id.
 */
public final class DeviceId implements Comparable<DeviceId> {
    public static final String DEFAULT_NAMESPACE = "default";

    private final String namespace;
    private final String name;
    private final int hash;

    public DeviceId(String namespace, String name) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.name = Objects.requireNonNull(name, "name");
        this.hash = 31 * namespace.hashCode() + name.hashCode();
    }

    public String namespace() {
        return namespace;
    }

    public String name() {
        return name;
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

    // A class, not a record, to keep its hash: every MQTT message looks its device up in several
    // maps on two threads, and reading the hash of both strings each time (two more objects to
    // fetch, mostly from main memory with thousands of devices) showed in profiles. Distinct
    // ids are told apart by the hash before any string is read.
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof DeviceId d && hash == d.hash && name.equals(d.name) && namespace.equals(d.namespace);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
