package dev.edgetwin.node.http;

import java.util.List;

/**
 * The peer nodes a node knows and the state of their streams, served at
 * {@code GET /api/v1/nodes} (cloud) and used for the replication metrics.
 *
 * <p>{@link StoreNodeDirectory} derives it from what the twin store knows (streams, next seq,
 * projection checkpoints) and takes connection facts from a {@link PeerLinks}, which the sync
 * layer implements: at merge, pass the sync server's {@code PeerLinks} to
 * {@code new StoreNodeDirectory(store, links)} in {@code CloudNode}. Until then every node's
 * connection is {@code unknown} and replication lags are null.
 *
 * <p>Implementations are called on event-loop threads: answer from memory, without I/O.
 */
public interface NodeDirectory {
    /** Every known peer node, ordered by node id. */
    List<NodeStatus> nodes();
}
