package dev.edgetwin.cloud;

import dev.edgetwin.edge.EdgeConfig;

import java.nio.file.Path;

/** Settings of in-process test edges that sync with a test cloud. */
public final class SyncedEdges {
    private SyncedEdges() {
    }

    /** A local edge (loopback, free ports, embedded broker) whose sync client connects to {@code cloud}, without a token. */
    public static EdgeConfig of(CloudNode cloud, String nodeId, Path dataDir) {
        return EdgeConfig.local(nodeId, dataDir).withCloud("ws://127.0.0.1:" + cloud.httpPort() + "/sync/v1", null);
    }
}
