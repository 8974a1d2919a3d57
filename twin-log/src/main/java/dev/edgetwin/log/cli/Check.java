package dev.edgetwin.log.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The outcome of one part of {@code twinctl verify} (journal, replicas, projection): OK with
 * a summary, FAILED with the first broken position and its cause, or SKIPPED with the reason.
 */
record Check(String name, Status status, String summary, String position, String cause) {
    enum Status { OK, FAILED, SKIPPED }

    static Check ok(String name, String summary) {
        return new Check(name, Status.OK, summary, null, null);
    }

    static Check failed(String name, String summary, String position, String cause) {
        return new Check(name, Status.FAILED, summary, position, cause);
    }

    static Check skipped(String name, String reason) {
        return new Check(name, Status.SKIPPED, reason, null, null);
    }

    boolean failed() {
        return status == Status.FAILED;
    }

    ObjectNode json() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("check", name);
        o.put("status", status.name());
        o.put("summary", summary);
        if (position != null) o.put("position", position);
        if (cause != null) o.put("cause", cause);
        return o;
    }

    /** The problem in one line: position and cause. */
    String problem() {
        return (position == null ? "" : position + ": ") + cause;
    }
}
