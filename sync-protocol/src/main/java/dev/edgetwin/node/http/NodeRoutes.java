package dev.edgetwin.node.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgetwin.log.model.JsonValues;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/v1/nodes} (cloud): every peer node with its connection and, per stream, the
 * entries held and applied here, the projection lag and the replication lag:
 * <pre>
 * {"items": [{"node": "edge-a", "connection": {"state": "connected", "since": "…", "remoteAddress": "…"},
 *             "streams": [{"stream": "cloud/edge-a", "direction": "outbound", "held": 12, "applied": 12,
 *                          "projectionLag": 0, "peerHeld": 10, "replicationLag": 2}, …]}]}
 * </pre>
 */
final class NodeRoutes {
    private final NodeDirectory directory;

    NodeRoutes(NodeDirectory directory) {
        this.directory = directory;
    }

    void list(RoutingContext ctx) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode items = body.putArray("items");
        for (NodeStatus n : directory.nodes()) {
            ObjectNode item = items.addObject();
            item.put("node", n.node());
            ObjectNode conn = item.putObject("connection");
            conn.put("state", n.link().wireName());
            conn.put("since", n.since() == null ? null : n.since().toString());
            conn.put("remoteAddress", n.remoteAddress());
            ArrayNode streams = item.putArray("streams");
            for (NodeStatus.StreamStatus s : n.streams()) {
                streams.addObject().put("stream", s.stream()).put("direction", s.direction().wireName())
                        .put("held", s.held()).put("applied", s.applied()).put("projectionLag", s.projectionLag())
                        .put("peerHeld", s.peerHeld()).put("replicationLag", s.replicationLag());
            }
        }
        JsonIo.send(ctx, 200, JsonValues.write(body));
    }
}
