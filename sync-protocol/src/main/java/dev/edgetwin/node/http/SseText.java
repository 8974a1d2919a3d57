package dev.edgetwin.node.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgetwin.log.model.JsonValues;

/**
 * The Server-Sent Events the change stream writes (one JSON document per {@code data:} line;
 * compact JSON never holds a raw newline):
 * <pre>
 * id: edge/edge-a:12            a change; data: the event (EventJson)
 * data: {...}
 *
 * event: bookmark               nothing for this client, but the stream moved on: the id to resume from
 * id: edge/edge-a:40
 * data: {"position":"edge/edge-a:40"}
 *
 * event: overflow               the client fell too far behind and is dropped; reconnect with Last-Event-ID
 * data: {problem document…, "resumeFrom": "edge/edge-a:12"}
 * </pre>
 */
final class SseText {
    static final String PREAMBLE = ": edgetwin change stream\nretry: 2000\n\n";
    static final String KEEP_ALIVE = ": keep-alive\n\n";

    private SseText() {
    }

    static String change(JournalPosition p, String json) {
        return "id: " + p + "\ndata: " + json + "\n\n";
    }

    static String bookmark(JournalPosition p) {
        return "event: bookmark\nid: " + p + "\ndata: {\"position\":" + JsonValues.write(JsonValues.text(p.toString())) + "}\n\n";
    }

    static String overflow(String detail, JournalPosition resumeFrom) {
        ObjectNode doc = Problem.document(503, Problem.WATCH_OVERFLOW, detail, "/api/v1/watch");
        if (resumeFrom == null) doc.putNull("resumeFrom");
        else doc.put("resumeFrom", resumeFrom.toString());
        return "event: overflow\ndata: " + JsonValues.write(doc) + "\n\n";
    }
}
