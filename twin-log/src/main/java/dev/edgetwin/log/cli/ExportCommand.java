package dev.edgetwin.log.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.edgetwin.log.JournalEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * {@code twinctl export}: the event log for other tools, every event in journal (append) order.
 * JSON lines carry the envelope, the device, the property and the value (a registration's
 * value is {@code {node, model, attributes, properties}}, a state change's the state word);
 * CSV has one fixed header with the value as JSON text. The events of a trimmed stream before
 * its snapshot are gone; the summary on stderr says which streams start from a snapshot.
 */
@Command(name = "export", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = TwinctlCommand.Version.class,
        description = "The event log for other tools, in journal order: JSON lines (default) or CSV (RFC 4180, with a header).",
        footerHeading = "%nExamples:%n",
        footer = {
            "  twinctl export --data-dir /var/lib/edgetwin > events.jsonl",
            "  twinctl export --data-dir DIR --format csv --from 2026-11-23 --to 2026-11-24 > day.csv",
        })
final class ExportCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format { jsonl, csv }

    static final String[] CSV_COLUMNS = {"stream", "seq", "hlc", "time", "wall_time", "origin", "client_token", "kind",
        "device", "property", "value"};

    @Mixin
    CommonOptions common;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "jsonl", description = "jsonl or csv. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Mixin
    TimeWindow window;

    @Override
    public Integer call() throws IOException {
        DataDir dir = common.dataDir();
        PrintWriter out = common.out();
        long[] exported = {0};
        Snapshots snapshots = Snapshots.read(dir);
        try (SequenceWriter csv = format == Format.csv ? csvWriter(out) : null;
             BatchPipeline writer = new BatchPipeline("export", BatchPipeline.DEFAULT_BATCH, batch -> {
                 for (JournalEntry e : batch) {
                     EventView v = EventView.of(e);
                     if (csv != null) writeCsv(csv, v);
                     else out.println(JsonOut.write(jsonl(v)));
                 }
                 common.checkOutput();
             })) {
            // the scan selects, the pipeline's worker decodes and writes, in journal order
            JournalPass.run(common, dir, "export", snapshots, e -> {
                if (!window.contains(e.hlc())) return;
                writer.accept(e);
                exported[0]++;
            });
            writer.finish();
        }
        common.checkOutput();
        for (String note : snapshots.notes()) common.err().println("export: " + note + "; the events before it are not exported");
        common.err().println("exported " + exported[0] + " event(s)");
        return ExitCode.OK;
    }

    static ObjectNode jsonl(EventView v) {
        ObjectNode o = v.envelopeJson();
        JsonNode value = v.value();
        if (value != null) o.set("value", value);
        return o;
    }

    private static SequenceWriter csvWriter(PrintWriter out) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        for (String c : CSV_COLUMNS) schema.addColumn(c);
        // the writer must not close stdout when the sequence ends
        return new CsvMapper().writerFor(String[].class).with(schema.build()).writeValues(new NonClosing(out));
    }

    private static void writeCsv(SequenceWriter csv, EventView v) {
        JournalEntry e = v.entry();
        JsonNode value = v.value();
        try {
            csv.write(new String[]{e.stream(), Long.toString(e.seq()), Long.toString(e.hlc()), Times.hlcTime(e.hlc()),
                Instant.ofEpochMilli(e.wallTime()).toString(), e.origin(), e.clientToken(), v.kind(), v.device().toString(),
                v.property() == null ? "" : v.property(), value == null ? "" : JsonOut.write(value)});
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** A writer over stdout whose close only flushes. */
    private static final class NonClosing extends java.io.FilterWriter {
        NonClosing(java.io.Writer w) {
            super(w);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
