package dev.edgetwin.log.model;

/**
 * Where and when an event was written: its stream and dense sequence number, its hybrid
 * logical clock stamp, the node that wrote it, the writer's wall time (ms since epoch, for
 * humans; ordering uses {@code hlc}), and an optional client token (MQTT event_id, HTTP
 * request id) for de-duplication and audit. {@code clientToken} is "" when absent.
 */
public record Envelope(String stream, long seq, long hlc, String origin, long wallTime, String clientToken) {
    public Envelope {
        clientToken = clientToken == null ? "" : clientToken;
    }
}
