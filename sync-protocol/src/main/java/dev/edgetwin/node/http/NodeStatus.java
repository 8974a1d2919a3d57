package dev.edgetwin.node.http;

import java.time.Instant;
import java.util.List;

/**
 * One peer node as {@code GET /api/v1/nodes} shows it: its connection and its streams.
 *
 * @param node          the node id
 * @param link          the connection state of its sync link
 * @param since         when the link entered that state, null if unknown
 * @param remoteAddress the peer's address while connected, else null
 * @param streams       the node's streams this node holds
 */
public record NodeStatus(String node, LinkState link, Instant since, String remoteAddress, List<StreamStatus> streams) {
    public NodeStatus {
        streams = List.copyOf(streams);
    }

    public enum LinkState {
        CONNECTED, DISCONNECTED, UNKNOWN;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Which way a stream flows, seen from this node. */
    public enum Direction {
        /** This node writes it and ships it to the peer (the cloud's {@code cloud/<edge>}). */
        OUTBOUND,
        /** The peer writes it; this node holds a replica (the cloud's {@code edge/<edge>}). */
        INBOUND;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One stream of the node.
     *
     * @param held     entries this node's journal holds (its next seq)
     * @param applied  entries its projection has applied (its checkpoint)
     * @param peerHeld entries the peer holds, as the sync layer last heard; null when unknown
     */
    public record StreamStatus(String stream, Direction direction, long held, long applied, Long peerHeld) {
        public long projectionLag() {
            return held - applied;
        }

        /** Entries one side holds that the other does not yet; null while the peer's position is unknown. */
        public Long replicationLag() {
            if (peerHeld == null) return null;
            return Math.max(0, direction == Direction.OUTBOUND ? held - peerHeld : peerHeld - held);
        }
    }
}
