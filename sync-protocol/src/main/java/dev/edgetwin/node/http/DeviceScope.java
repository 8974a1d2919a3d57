package dev.edgetwin.node.http;

import dev.edgetwin.log.Role;
import dev.edgetwin.log.model.DeviceTwin;

/**
 * Which devices a node's API serves. The cloud serves the whole fleet; an edge only the
 * devices bound to itself (its projection holds nothing else today, but a device that is
 * visible through an edge's API must be that edge's, whatever the projection holds), and a
 * registration there that names no node binds the device to the edge.
 */
record DeviceScope(Role role, String nodeId) {

    boolean edge() {
        return role == Role.EDGE;
    }

    boolean visible(DeviceTwin twin) {
        return twin.exists() && (!edge() || nodeId.equals(twin.node()));
    }

    /** The node a registration without one is bound to: the edge itself; none on the cloud. */
    String defaultNode() {
        return edge() ? nodeId : null;
    }
}
