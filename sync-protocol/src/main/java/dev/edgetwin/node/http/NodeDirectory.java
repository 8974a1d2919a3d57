package dev.edgetwin.node.http;

import java.util.List;

/**
 * The peer nodes a node knows and the state of their streams, served at
 * {@code GET /api/v1/nodes} (cloud).
 *
 * <p>{@link StoreNodeDirectory} derives it from what the twin store knows (streams, next seq,
 * projection checkpoints) and takes connection facts from a {@link PeerLinks}: the cloud passes
 * {@code dev.edgetwin.node.ReplicationLinks} over its sync server's replication status. Without
 * one ({@link PeerLinks#NONE}) every node's connection is {@code unknown} and replication lags
 * are null.
 *
 * <p>Implementations are called on event-loop threads: answer from memory, without I/O.
 */
public interface NodeDirectory {
    /** Every known peer node, ordered by node id. */
    List<NodeStatus> nodes();
}
