package dev.edgetwin.node.http;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What the sync layer knows of its links to peers: the part of a {@link NodeDirectory} the
 * store cannot know. {@code dev.edgetwin.node.ReplicationLinks} adapts the cloud's sync server to
 * it (thread-safe, from memory); {@link #NONE} knows nothing (a node without a sync layer).
 */
public interface PeerLinks {
    PeerLinks NONE = new PeerLinks() {
        @Override
        public Set<String> nodes() {
            return Set.of();
        }

        @Override
        public Link link(String node) {
            return null;
        }
    };

    /**
     * A link's state.
     *
     * @param state         connected or disconnected
     * @param since         when it entered that state
     * @param remoteAddress the peer's address while connected, else null
     * @param peerNextSeq   per stream, the next seq the peer holds (from the handshake and acks)
     */
    record Link(NodeStatus.LinkState state, Instant since, String remoteAddress, Map<String, Long> peerNextSeq) {
        public Link {
            peerNextSeq = Map.copyOf(peerNextSeq);
        }
    }

    /** Nodes the sync layer has heard of (connected now or before), including ones without streams yet. */
    Set<String> nodes();

    /** The link of {@code node}, or null when the sync layer has never seen it. */
    Link link(String node);
}
