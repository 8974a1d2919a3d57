package dev.edgetwin.sync.sim;

import dev.edgetwin.sync.SyncOptions;
import dev.edgetwin.sync.SyncSession;

/** One end of a simulated connection: a node's session, alive until closed or the node restarts. */
final class SimEnd {
    final SimNode node;
    final int epoch;
    final String edge;
    final SyncSession session;
    final SyncOptions options;
    final int id;
    SimEnd peer;
    boolean open = true;
    boolean severed;      // the connection was cut: nothing travels either way any more
    long lastDeliverAt;   // FIFO delivery on this end's outgoing direction

    SimEnd(SimNode node, String edge, SyncSession session, SyncOptions options, int id) {
        this.node = node;
        this.epoch = node.epoch;
        this.edge = edge;
        this.session = session;
        this.options = options;
        this.id = id;
    }

    boolean alive() {
        return open && node.epoch == epoch;
    }

    @Override
    public String toString() {
        return (node.cloud ? "cloud" : "edge") + "-end#" + id + "[" + edge + ", " + session.state() + (open ? "" : ", closed") + "]";
    }
}
