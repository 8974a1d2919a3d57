package dev.edgetwin.log;

/**
 * Which streams a node writes itself. An edge writes only {@code edge/<its id>}; the cloud
 * writes {@code cloud/<edge>} for every edge. Everything else a node holds is a replica.
 */
public enum Role {
    EDGE, CLOUD;

    public boolean canWrite(String nodeId, String stream) {
        // "edge/" + nodeId, compared in place: asked for every entry a node writes
        return this == EDGE ? stream.length() == nodeId.length() + 5 && stream.startsWith("edge/") && stream.endsWith(nodeId)
                : stream.startsWith("cloud/") && stream.length() > 6;
    }

    /** The stream an edge writes, or the stream the cloud writes for {@code edge}. */
    public static String edgeStream(String edge) {
        return "edge/" + edge;
    }

    public static String cloudStream(String edge) {
        return "cloud/" + edge;
    }
}
