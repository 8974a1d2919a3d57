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
     * Change events ({@code id:} and {@code data:} lines) as the bytes of one write, live and
     * replayed alike: each event's JSON ({@link EventJson}) and the lines around it go through one
     * JSON generator into one buffer, made once the generator first hands its bytes on (usually at
     * {@link #finish}, at the size of the whole write). A string holding a lone UTF-16 surrogate
     * keeps it as a {@code \\uD800} escape. Use once, on one thread.
     */
    static final class Events {
        private final BufferOutput out = new BufferOutput();
        private final JsonGenerator g;

        Events() {
            try {
                g = JsonValues.MAPPER.createGenerator(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            g.setRootValueSeparator(null);   // the events are separated by the SSE lines written raw
        }

        Events change(JournalPosition p, EventRecord record) {
            String position = p.toString();
            try {
                g.writeRaw("id: ");
                g.writeRaw(position);
                g.writeRaw("\ndata: ");
                EventJson.write(g, position, record);
                g.writeRaw("\n\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** Bytes written so far. */
        int length() {
            return out.length() + g.getOutputBuffered();
        }

        /** Everything written, as one buffer; the events are finished (write no more). */
        Buffer finish() {
            try {
                g.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.buf == null ? Buffer.buffer(0) : out.buf;
        }
    }

    /** Appends to a Vert.x buffer made at the size of the first bytes written (closing it does nothing). */
    private static final class BufferOutput extends OutputStream {
        private Buffer buf;

        int length() {
            return buf == null ? 0 : buf.length();
        }

        @Override
        public void write(int b) {
            if (buf == null) buf = Buffer.buffer(256);
            buf.appendByte((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (buf == null) buf = Buffer.buffer(len);
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
