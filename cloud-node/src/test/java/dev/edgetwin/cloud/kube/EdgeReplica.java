package dev.edgetwin.cloud.kube;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.Result;
import dev.edgetwin.log.Role;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceState;
import dev.edgetwin.log.model.TwinCommand;
import dev.edgetwin.node.NodeCore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An edge node's twin store, replicated with the cloud by copying journal entries on demand — a
 * deterministic stand-in for the sync protocol in the bridge's own tests, which then need no
 * network, no second node and no waiting for a connection. Entries travel exactly as they do over
 * {@code /sync/v1}: {@code cloud/<node>} entries are appended to the edge with
 * {@link TwinStore#acceptReplica}, and {@code edge/<node>} entries to the cloud the same way, through
 * the cloud node's writer thread (where the sync server hands them over).
 *
 * <p>The real thing end to end (issue 7: "see it at the edge, real edge node in the test") is
 * {@link KubeOverSyncTest}: an {@code EdgeNode} connected to a {@code CloudNode} over sync, the twin
 * seen at the edge's REST API and a mapper's MQTT report landing in the DeviceStatus.
 */
final class EdgeReplica implements AutoCloseable {
    final TwinStore edge;
    private final NodeCore cloud;
    private final String node;

    EdgeReplica(NodeCore cloud, Path dir, String node) {
        this.cloud = cloud;
        this.node = node;
        this.edge = TwinStore.open(dir, node, StoreOptions.edge());
    }

    /** Copies the cloud's new {@code cloud/<node>} entries to the edge. */
    void pull() {
        String stream = Role.cloudStream(node);
        List<byte[]> entries = read(cloud.store(), stream, edge.journal().nextSeq(stream));
        if (!entries.isEmpty()) edge.acceptReplica(stream, entries);
    }

    /** Copies the edge's new {@code edge/<node>} entries to the cloud, on the cloud's writer thread. */
    void push() throws Exception {
        String stream = Role.edgeStream(node);
        List<byte[]> entries = read(edge, stream, cloud.store().journal().nextSeq(stream));
        if (!entries.isEmpty()) cloud.writer().call(() -> cloud.store().acceptReplica(stream, entries)).get(30, TimeUnit.SECONDS);
    }

    /** A mapper's report at the edge (pulling first, so the edge knows the device), replicated to the cloud. */
    Result report(DeviceId id, Map<String, JsonNode> reported) throws Exception {
        pull();
        Result r = edge.execute(new TwinCommand.PatchReported(id, reported), null, null);
        push();
        return r;
    }

    Result state(DeviceId id, DeviceState state) throws Exception {
        pull();
        Result r = edge.execute(new TwinCommand.ChangeState(id, state), null, null);
        push();
        return r;
    }

    private static List<byte[]> read(TwinStore from, String stream, long fromSeq) {
        List<byte[]> out = new ArrayList<>();
        try (JournalCursor c = from.journal().read(stream, fromSeq)) {
            for (JournalEntry e = c.next(); e != null; e = c.next()) out.add(e.bytes());
        }
        return out;
    }

    @Override
    public void close() {
        edge.close();
    }
}
