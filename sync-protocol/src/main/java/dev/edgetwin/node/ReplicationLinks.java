package dev.edgetwin.node;

import dev.edgetwin.node.http.NodeStatus;
import dev.edgetwin.node.http.PeerLinks;
import dev.edgetwin.sync.ReplicationStatus;
import dev.edgetwin.sync.ReplicationStatusSource;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The REST layer's {@link PeerLinks} over the sync layer's {@link ReplicationStatusSource} (the
 * cloud's sync server): a link is connected while a sync connection of the node is past its
 * handshake; {@code since} is the handshake while connected, else the last frame seen; the
 * peer's positions are the edge's head of {@code edge/<node>} and what it acknowledged of
 * {@code cloud/<node>} (PROTOCOL.md §11). Answers from the source's memory, without I/O.
 */
public final class ReplicationLinks implements PeerLinks {
    private final ReplicationStatusSource source;

    public ReplicationLinks(ReplicationStatusSource source) {
        this.source = source;
    }

    @Override
    public Set<String> nodes() {
        Set<String> out = new LinkedHashSet<>();
        for (ReplicationStatus s : source.nodes()) out.add(s.node());
        return out;
    }

    @Override
    public Link link(String node) {
        return source.node(node).map(ReplicationLinks::link).orElse(null);
    }

    static Link link(ReplicationStatus s) {
        return new Link(s.connected() ? NodeStatus.LinkState.CONNECTED : NodeStatus.LinkState.DISCONNECTED, s.since(),
                s.remoteAddress(), s.peerPositions());
    }
}
