package dev.edgetwin.sync.wire;

/** Constants of the protocol's transport (PROTOCOL.md §2). */
public final class SyncProtocol {
    /** The protocol version this code speaks. */
    public static final int VERSION = 1;
    /** The WebSocket path on the cloud's HTTP port. */
    public static final String PATH = "/sync/v1";
    public static final String NODE_HEADER = "EdgeTwin-Node";
    public static final String VERSION_HEADER = "EdgeTwin-Sync-Version";

    private SyncProtocol() {
    }

    /** The stream an edge writes. */
    public static String edgeStream(String node) {
        return "edge/" + node;
    }

    /** The stream the cloud writes for an edge. */
    public static String cloudStream(String node) {
        return "cloud/" + node;
    }
}
