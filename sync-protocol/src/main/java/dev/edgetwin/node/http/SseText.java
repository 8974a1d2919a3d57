package dev.edgetwin.node.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgetwin.log.model.EventRecord;
import dev.edgetwin.log.model.JsonValues;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

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

    /**
     * A change event ({@code id:} and {@code data:} lines) as bytes, the event's JSON
     * ({@link EventJson}) written straight into them; live and replayed events alike. A string
     * holding a lone UTF-16 surrogate keeps it as a {@code \\uD800} escape. Appended to {@code buf}
     * (the events of one write go into one buffer); returns {@code buf}.
     */
    static Buffer change(Buffer buf, JournalPosition p, EventRecord record) {
        buf.appendString("id: ").appendString(p.toString()).appendString("\ndata: ");
        try (JsonGenerator g = JsonValues.MAPPER.createGenerator(new BufferOutput(buf))) {
            EventJson.write(g, p, record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.appendString("\n\n");
    }

    /** Appends to a Vert.x buffer (closing it does nothing). */
    private static final class BufferOutput extends OutputStream {
        private final Buffer buf;

        BufferOutput(Buffer buf) {
            this.buf = buf;
        }

        @Override
        public void write(int b) {
            buf.appendByte((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            buf.appendBytes(b, off, len);
        }
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
