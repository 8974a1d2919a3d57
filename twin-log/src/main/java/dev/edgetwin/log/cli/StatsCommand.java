package dev.edgetwin.log.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.JournalSnapshot;
import dev.edgetwin.log.chronicle.ChronicleJournal;
import dev.edgetwin.log.model.DeviceId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code twinctl stats}: what a journal holds — streams with their entry counts, sizes and time
 * spans, events per kind, devices, and the devices and origins that wrote the most (top talkers).
 * Counts are of the entries the journal holds; a trimmed stream shows its snapshot beside them.
 */
@Command(name = "stats", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = TwinctlCommand.Version.class,
        description = "Streams, entry counts, sizes, time span, devices, events per kind and top talkers of a node's journal.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  twinctl stats --data-dir /var/lib/edgetwin",
            "  twinctl stats --data-dir DIR --top 20 --json",
        })
final class StatsCommand implements Callable<Integer> {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Mixin
    CommonOptions common;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "How many top talkers to list. Default: ${DEFAULT-VALUE}.")
    int top;

    @Option(names = "--json", description = "One JSON object instead of tables.")
    boolean json;

    /** Counts of one stream. */
    private static final class StreamStats {
        long entries;
        long bytes;
        long firstSeq = -1;
        long lastSeq;
        long firstHlc = Long.MAX_VALUE;
        long lastHlc;
    }

    private final Map<String, StreamStats> streams = new TreeMap<>();
    private final Map<String, Long> kinds = new TreeMap<>();
    private final Map<DeviceId, Long> devices = new HashMap<>();
    private final Map<String, Long> origins = new HashMap<>();
    private long entries;
    private long bytes;
    private long minHlc = Long.MAX_VALUE;
    private long maxHlc;

    @Override
    public Integer call() {
        if (top < 0) throw new TwinctlException("twinctl:usage", ExitCode.USAGE, "--top must be >= 0");
        DataDir dir = common.dataDir();
        int segments;
        String uncutTail;
        Snapshots snapshots = Snapshots.read(dir);
        try (BatchPipeline counter = new BatchPipeline("stats", BatchPipeline.DEFAULT_BATCH, b -> b.forEach(this::count));
             ChronicleJournal journal = JournalPass.open(common, dir, "stats", snapshots, counter::accept)) {
            counter.finish();
            segments = journal.segmentCount();
            uncutTail = journal.uncutTail().orElse(null);
        }
        ObjectNode report = report(dir, segments, uncutTail, snapshots);
        if (json) common.out().println(JsonOut.write(report));
        else printTables(report, common.out());
        common.checkOutput();
        return ExitCode.OK;
    }

    /** Counts one entry (on the pipeline's worker thread; the totals are read after it finished). */
    private void count(JournalEntry e) {
        EventView v = EventView.of(e);
        StreamStats s = streams.computeIfAbsent(e.stream(), k -> new StreamStats());
        s.entries++;
        s.bytes += e.bytes().length;
        if (s.firstSeq < 0) s.firstSeq = e.seq();
        s.lastSeq = e.seq();
        s.firstHlc = Math.min(s.firstHlc, e.hlc());
        s.lastHlc = Math.max(s.lastHlc, e.hlc());
        kinds.merge(v.kind(), 1L, Long::sum);
        devices.merge(v.device(), 1L, Long::sum);
        origins.merge(e.origin(), 1L, Long::sum);
        entries++;
        bytes += e.bytes().length;
        minHlc = Math.min(minHlc, e.hlc());
        maxHlc = Math.max(maxHlc, e.hlc());
    }

    private ObjectNode report(DataDir dir, int segments, String uncutTail, Snapshots snapshots) {
        ObjectNode r = NODES.objectNode();
        r.put("dataDir", dir.root().toString());
        r.put("node", dir.liveness().describe());
        ObjectNode j = r.putObject("journal");
        j.put("segments", segments);
        j.put("entries", entries);
        j.put("entryBytes", bytes);
        j.put("fileBytes", size(dir.journal()));
        if (uncutTail != null) j.put("uncutTail", uncutTail);
        if (dir.hasProjection()) r.putObject("projection").put("fileBytes", size(dir.projection()));
        else r.putNull("projection");
        if (entries > 0) {
            ObjectNode span = r.putObject("timeSpan");
            span.put("from", Times.hlcTime(minHlc));
            span.put("to", Times.hlcTime(maxHlc));
        } else {
            r.putNull("timeSpan");
        }
        ArrayNode st = r.putArray("streams");
        // a stream trimmed to its very end has a snapshot and no entries
        for (JournalSnapshot snap : snapshots.all()) streams.computeIfAbsent(snap.stream(), k -> new StreamStats());
        streams.forEach((name, s) -> {
            ObjectNode o = st.addObject();
            o.put("stream", name);
            o.put("entries", s.entries);
            o.put("bytes", s.bytes);
            o.put("firstSeq", s.firstSeq);
            o.put("lastSeq", s.entries == 0 ? -1 : s.lastSeq);
            o.put("from", s.entries == 0 ? null : Times.hlcTime(s.firstHlc));
            o.put("to", s.entries == 0 ? null : Times.hlcTime(s.lastHlc));
            JournalSnapshot snap = snapshots.of(name).orElse(null);
            if (snap == null) {
                o.putNull("snapshot");
            } else {
                o.putObject("snapshot").put("upTo", snap.upTo()).put("entries", snap.entries().size()).put("bytes", snap.bytes());
            }
        });
        ArrayNode notes = r.putArray("notes");
        snapshots.notes().forEach(notes::add);
        r.put("devices", devices.size());
        ObjectNode k = r.putObject("kinds");
        kinds.forEach(k::put);
        ArrayNode td = r.putArray("topDevices");
        topOf(devices).forEach(e -> td.addObject().put("device", e.getKey().toString()).put("events", e.getValue()));
        ArrayNode to = r.putArray("topOrigins");
        topOf(origins).forEach(e -> to.addObject().put("origin", e.getKey()).put("events", e.getValue()));
        return r;
    }

    /** The {@code top} keys with the highest counts, ties by key. */
    private <K extends Comparable<K>> List<Map.Entry<K, Long>> topOf(Map<K, Long> counts) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<K, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(top).toList();
    }

    private static void printTables(ObjectNode r, PrintWriter out) {
        ObjectNode j = (ObjectNode) r.get("journal");
        out.println("data dir    " + r.get("dataDir").asText() + " (node " + r.get("node").asText() + ")");
        out.println("journal     " + j.get("segments").asInt() + " segment(s), " + Progress.count(j.get("entries").asLong()) + " entries, "
                + mib(j.get("entryBytes").asLong()) + " of entries, files " + mib(j.get("fileBytes").asLong())
                + " (apparent size: Chronicle preallocates)");
        if (j.has("uncutTail")) out.println("            damaged tail, to be cut on the node's next start: " + j.get("uncutTail").asText());
        out.println("projection  " + (r.get("projection").isNull() ? "none" : mib(r.get("projection").get("fileBytes").asLong())));
        out.println("time span   " + (r.get("timeSpan").isNull() ? "-"
                : r.get("timeSpan").get("from").asText() + " .. " + r.get("timeSpan").get("to").asText() + " (event time, HLC)"));
        out.println("devices     " + Progress.count(r.get("devices").asLong()));
        out.println();
        TextTable streams = new TextTable("STREAM", "ENTRIES", "BYTES", "SEQS", "FROM", "TO").alignRight(1, 2);
        r.get("streams").forEach(s -> streams.row(s.get("stream").asText(), Progress.count(s.get("entries").asLong()),
                Progress.count(s.get("bytes").asLong()), seqs(s), s.get("from").asText("-"), s.get("to").asText("-")));
        streams.print(out);
        r.get("notes").forEach(n -> out.println(n.asText()));
        out.println();
        TextTable kinds = new TextTable("KIND", "EVENTS").alignRight(1);
        r.get("kinds").fields().forEachRemaining(e -> kinds.row(e.getKey(), Progress.count(e.getValue().asLong())));
        kinds.print(out);
        out.println();
        TextTable devices = new TextTable("TOP DEVICES", "EVENTS").alignRight(1);
        r.get("topDevices").forEach(d -> devices.row(d.get("device").asText(), Progress.count(d.get("events").asLong())));
        devices.print(out);
        out.println();
        TextTable origins = new TextTable("TOP ORIGINS", "EVENTS").alignRight(1);
        r.get("topOrigins").forEach(d -> origins.row(d.get("origin").asText(), Progress.count(d.get("events").asLong())));
        origins.print(out);
    }

    /** "0..41", or "snapshot + 5000..5041" for a stream that starts from a snapshot, "snapshot" alone when trimmed to its end. */
    private static String seqs(com.fasterxml.jackson.databind.JsonNode s) {
        String held = s.get("entries").asLong() == 0 ? "" : s.get("firstSeq").asLong() + ".." + s.get("lastSeq").asLong();
        if (s.get("snapshot").isNull()) return held;
        return held.isEmpty() ? "snapshot <" + s.get("snapshot").get("upTo").asLong() : "snapshot + " + held;
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    /** Apparent size of the regular files under {@code dir}; files that vanish meanwhile (a running node compacting) count 0. */
    private static long size(Path dir) {
        long[] total = {0};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) total[0] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return total[0];
    }
}
