package dev.edgetwin.sync;

import java.time.Instant;

/**
 * Replication status of one edge as the cloud sees it (PROTOCOL.md §11); what
 * {@code GET /api/v1/nodes} serves. Immutable; plain fields so any JSON mapper can write it.
 *
 * @param node           the edge's node id
 * @param connected      a connection is open and past the handshake
 * @param session        the current connection's session id (null when disconnected)
 * @param remoteAddress  the current connection's peer address (null when disconnected)
 * @param connectedSince when the current connection completed its handshake (null when disconnected)
 * @param lastSeen       when a frame last arrived from the edge (null if never since this process started)
 * @param up             {@code edge/<node>}: the edge's head as last reported, and what the cloud holds
 * @param down           {@code cloud/<node>}: the cloud's head, and what the edge acknowledged as last known
 * @param lastError      the code of the last close ({@code sync:idle}, …), or null
 */
public record ReplicationStatus(String node, boolean connected, String session, String remoteAddress, Instant connectedSince,
                                Instant lastSeen, StreamLag up, StreamLag down, String lastError) {

    /**
     * The next seq the edge holds of each stream, where known: its own head of {@code edge/<node>}
     * and what it acknowledged of {@code cloud/<node>} (the shape a REST node directory's
     * "peer positions" take).
     */
    public java.util.Map<String, Long> peerPositions() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        if (up.head() != null) out.put(up.stream(), up.head());
        if (down.replica() != null) out.put(down.stream(), down.replica());
        return out;
    }

    /** When the link entered its state: the handshake while connected, else the last frame seen (null if never). */
    public Instant since() {
        return connected ? connectedSince : lastSeen;
    }

    /**
     * One direction of replication.
     *
     * @param stream  the stream
     * @param head    the writer's next seq (null when not known: the writer is the peer and never reported it)
     * @param replica the receiver's next seq (null when not known: the receiver is the peer and never acknowledged)
     * @param lag     {@code head - replica}, entries not yet replicated (null when either is unknown)
     */
    public record StreamLag(String stream, Long head, Long replica, Long lag) {
        public static StreamLag of(String stream, Long head, Long replica) {
            return new StreamLag(stream, head, replica, head == null || replica == null ? null : Math.max(0, head - replica));
        }
    }
}
