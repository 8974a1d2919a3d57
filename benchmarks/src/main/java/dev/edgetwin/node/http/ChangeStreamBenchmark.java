package dev.edgetwin.node.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.Envelope;
import dev.edgetwin.log.model.EventRecord;
import dev.edgetwin.log.model.Hlc;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.TwinEvent;
import dev.edgetwin.sync.wire.ControlCodec;
import dev.edgetwin.sync.wire.Frame;
import io.vertx.core.buffer.Buffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * The cloud's work per live update outside the store, in the end-to-end benchmark's shape: the
 * change stream writing a drain of {@value #DRAIN} reported counters as SSE bytes, and the sync ack
 * it sends for a data frame. {@code drainPerEvent} and {@code ackTree} are the previous way,
 * kept here as they were (a JSON generator per event into a growing buffer, values through the
 * mapper's writeTree; the ack built as a tree); {@code drain} and {@code ack} are what the node now
 * does ({@link SseText.Events}, {@link ControlCodec#encode}). Run with {@code -prof gc} for the
 * bytes allocated per operation, which is what the young collections pay for.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ChangeStreamBenchmark {
    static final int DRAIN = 4;
    static final Frame.Ack ACK = new Frame.Ack("edge/edge-a", 1_234_567, new Frame.Credit(1_238_663, 268_435_456));

    final EventRecord[] records = new EventRecord[DRAIN];
    final JournalPosition[] positions = new JournalPosition[DRAIN];

    @Setup
    public void setup() {
        long wall = 1_764_990_000_123L;
        for (int i = 0; i < DRAIN; i++) {
            DeviceId id = new DeviceId("default", "counter-" + (100 + i));
            long seq = 1_000_000L + i;
            records[i] = new EventRecord(new Envelope("edge/edge-a", seq, Hlc.pack(wall, i), "edge-a", 0L, "e" + seq),
                    new TwinEvent.ReportedSet(id, "counter", JsonValues.parse(Long.toString(seq))));
            positions[i] = new JournalPosition("edge/edge-a", seq);
        }
    }

    @Benchmark
    public Buffer drain() {
        SseText.Events events = new SseText.Events();
        for (int i = 0; i < DRAIN; i++) events.change(positions[i], records[i]);
        return events.finish();
    }

    @Benchmark
    public Buffer drainPerEvent() {
        Buffer buf = Buffer.buffer(1024);
        for (int i = 0; i < DRAIN; i++) {
            JournalPosition p = positions[i];
            buf.appendString("id: ").appendString(p.toString()).appendString("\ndata: ");
            try (JsonGenerator g = JsonValues.MAPPER.createGenerator(new AppendTo(buf))) {
                writeWithTreeValues(g, p, records[i]);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            buf.appendString("\n\n");
        }
        return buf;
    }

    @Benchmark
    public String ack() {
        return ControlCodec.encode(ACK);
    }

    @Benchmark
    public String ackTree() {
        ObjectNode o = JsonValues.MAPPER.createObjectNode();
        o.put("type", "ack").put("stream", ACK.stream()).put("next", ACK.next());
        o.putObject("credit").put("untilSeq", ACK.credit().untilSeq()).put("untilBytes", ACK.credit().untilBytes());
        return o.toString();
    }

    /** EventJson.write of a reported value as it was: the value through the mapper's writeTree. */
    private static void writeWithTreeValues(JsonGenerator g, JournalPosition position, EventRecord record) throws IOException {
        TwinEvent.ReportedSet r = (TwinEvent.ReportedSet) record.event();
        long hlc = record.envelope().hlc();
        String time = IsoMillis.format(Hlc.millis(hlc));
        g.writeStartObject();
        g.writeStringField("clientToken", record.envelope().clientToken());
        g.writeStringField("device", r.device().name());
        g.writeStringField("hlc", time + "#" + Hlc.counter(hlc));
        g.writeStringField("namespace", r.device().namespace());
        g.writeStringField("origin", record.envelope().origin());
        g.writeStringField("position", position.toString());
        g.writeStringField("property", r.property());
        g.writeStringField("time", time);
        g.writeStringField("type", "reported.set");
        g.writeFieldName("value");
        g.writeTree(r.value());
        g.writeEndObject();
    }

    private static final class AppendTo extends OutputStream {
        private final Buffer buf;

        AppendTo(Buffer buf) {
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

    /** Both drains write the same bytes. */
    public static void main(String[] args) {
        ChangeStreamBenchmark b = new ChangeStreamBenchmark();
        b.setup();
        String now = b.drain().toString();
        String before = b.drainPerEvent().toString();
        if (!now.equals(before)) throw new AssertionError("the drains differ:\n" + now + "\n" + before);
        if (!b.ack().equals(b.ackTree())) throw new AssertionError("the acks differ: " + b.ack() + " / " + b.ackTree());
        System.out.println("same bytes: " + now.length() + " per drain of " + DRAIN + " events; ack " + b.ack());
    }
}
