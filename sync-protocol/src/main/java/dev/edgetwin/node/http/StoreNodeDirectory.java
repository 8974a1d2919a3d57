package dev.edgetwin.node.http;

import dev.edgetwin.log.Journal;
import dev.edgetwin.log.TwinStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link NodeDirectory} from what the store knows: every node with an {@code edge/<node>}
 * or {@code cloud/<node>} stream in the journal (plus the nodes the {@link PeerLinks} know),
 * each stream with the entries held and applied; connection state and the peer's positions come
 * from the {@link PeerLinks}. This node itself is not listed.
 */
public final class StoreNodeDirectory implements NodeDirectory {
    private final TwinStore store;
    private final PeerLinks links;

    public StoreNodeDirectory(TwinStore store, PeerLinks links) {
        this.store = store;
        this.links = links;
    }

    @Override
    public List<NodeStatus> nodes() {
        Journal journal = store.journal();
        Map<String, List<String>> streamsByNode = new TreeMap<>();
        for (String stream : journal.streams()) {
            int slash = stream.indexOf('/');
            if (slash < 0) continue;
            streamsByNode.computeIfAbsent(stream.substring(slash + 1), n -> new ArrayList<>()).add(stream);
        }
        for (String n : links.nodes()) streamsByNode.computeIfAbsent(n, k -> new ArrayList<>());
        streamsByNode.remove(store.nodeId());
        List<NodeStatus> out = new ArrayList<>(streamsByNode.size());
        streamsByNode.forEach((node, streams) -> {
            PeerLinks.Link link = links.link(node);
            List<NodeStatus.StreamStatus> statuses = new ArrayList<>();
            for (String s : new TreeSet<>(streams)) {
                boolean outbound = store.role().canWrite(store.nodeId(), s);
                statuses.add(new NodeStatus.StreamStatus(s, outbound ? NodeStatus.Direction.OUTBOUND : NodeStatus.Direction.INBOUND,
                        journal.nextSeq(s), store.projection().checkpoint(s), link == null ? null : link.peerNextSeq().get(s)));
            }
            out.add(link == null
                    ? new NodeStatus(node, NodeStatus.LinkState.UNKNOWN, null, null, statuses)
                    : new NodeStatus(node, link.state(), link.since(), link.remoteAddress(), statuses));
        });
        return out;
    }
}
