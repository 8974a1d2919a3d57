package dev.edgetwin.sync;

import java.util.List;
import java.util.Optional;

/**
 * Where the REST layer reads replication status: the cloud's sync server implements it for
 * every edge it knows (connected now, or holding one of its streams); an edge's sync client
 * for itself. Thread-safe; each call computes a fresh snapshot.
 */
public interface ReplicationStatusSource {
    /** Every known edge, sorted by node id. */
    List<ReplicationStatus> nodes();

    /** One edge, if known. */
    default Optional<ReplicationStatus> node(String node) {
        return nodes().stream().filter(n -> n.node().equals(node)).findFirst();
    }
}
