package dev.edgetwin.log.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.chronicle.ChronicleJournal;
import dev.edgetwin.log.chronicle.JournalOptions;
import dev.edgetwin.log.model.EventCodec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every twinctl command on data directories written by the real TwinStore ({@link FleetFixture}):
 * outputs parsed (JSON lines, CSV) and compared with what the journal and the live stores held;
 * tables checked too.
 */
class TwinctlCommandsTest {
    @TempDir
    static Path root;
    static FleetFixture fleet;
    static String edge;
    static String cloud;
    /** The edge journal's entries in append order, read with the journal's own API. */
    static List<JournalEntry> edgeEntries = new ArrayList<>();

    @BeforeAll
    static void build() {
        fleet = FleetFixture.build(root);
        edge = fleet.edgeDir.toString();
        cloud = fleet.cloudDir.toString();
        try (ChronicleJournal j = ChronicleJournal.openReadOnly(fleet.edgeDir.resolve("journal"), JournalOptions.DEFAULT, false,
                edgeEntries::add)) {
            assertThat(j.uncutTail()).isEmpty();
        }
    }

    static Twinctl.Run ok(String... args) {
        Twinctl.Run r = Twinctl.run(args);
        assertThat(r.exit()).as("%s", r).isZero();
        return r;
    }

    @Test
    void historyJsonListsEveryEventOfTheDeviceInJournalOrderWithOldAndNewValues() {
        Twinctl.Run run = ok("history", "--data-dir", edge, "--device", "lamp-1", "--json");
        assertThat(run.lines()).allSatisfy(l -> assertThat(l).startsWith("{\"stream\":")); // envelope first, as printed
        List<JsonNode> lines = run.json();
        List<JournalEntry> expected = edgeEntries.stream()
                .filter(e -> EventCodec.decode(e.payload()).device().equals(FleetFixture.LAMP1)).toList();
        assertThat(lines).hasSize(expected.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode l = lines.get(i);
            JournalEntry e = expected.get(i);
            assertThat(l.get("stream").asText() + ":" + l.get("seq").asLong()).isEqualTo(e.stream() + ":" + e.seq());
            assertThat(l.get("hlc").asLong()).isEqualTo(e.hlc());
            assertThat(l.get("origin").asText()).isEqualTo(e.origin());
            assertThat(Instant.parse(l.get("wallTime").asText()).toEpochMilli()).isEqualTo(e.wallTime());
            assertThat(l.get("kind").asText()).isEqualTo(EventCodec.kindName(EventCodec.decode(e.payload())));
            assertThat(l.get("device").asText()).isEqualTo("default/lamp-1");
        }
        // the scripted start of lamp-1's life, old -> new as the edge applied it
        assertThat(lines.subList(0, 8)).extracting(l -> l.get("kind").asText() + " " + l.path("property").asText("-") + " "
                + l.get("old") + " -> " + l.get("new")).containsExactly(
                // (parsed lines are canonical JSON: keys sorted)
                "DeviceRegistered - null -> {\"attributes\":{\"serial\":\"A1\"},\"model\":\"led-light\",\"node\":\"edge-a\","
                        + "\"properties\":{\"powerstatus\":{\"readOnly\":false,\"type\":\"string\"}}}",
                "DesiredSet powerstatus null -> \"ON\"",
                "DeviceStateChanged - \"unknown\" -> \"online\"",
                "ReportedSet powerstatus null -> \"OFF\"",
                "ReportedSet powerstatus \"OFF\" -> \"ON\"",
                "DesiredSet powerstatus \"ON\" -> \"OFF\"",
                "ReportedCleared powerstatus \"ON\" -> null",
                "DesiredCleared powerstatus \"OFF\" -> null");
        assertThat(lines.get(1).get("clientToken").asText()).isEqualTo("req-1");
        assertThat(lines.get(3).get("clientToken").asText()).isEqualTo("mqtt-1");
        assertThat(lines.get(2).has("clientToken")).isFalse();
    }

    @Test
    void historyFiltersByPropertyTimeStreamAndLimitWhileTheTwinEvolvesThroughEverything() {
        List<JsonNode> all = ok("history", "--data-dir", edge, "--device", "default/lamp-1", "--json").json();
        List<JsonNode> prop = ok("history", "--data-dir", edge, "--device", "lamp-1", "--property", "powerstatus", "--json").json();
        assertThat(prop).isNotEmpty().allSatisfy(l -> assertThat(l.get("property").asText()).isEqualTo("powerstatus"));
        assertThat(prop).containsExactlyElementsOf(all.stream().filter(l -> l.path("property").asText().equals("powerstatus")).toList());

        List<JsonNode> cloudOnly = ok("history", "--data-dir", edge, "--device", "lamp-1", "--stream", "cloud/edge-a", "--json").json();
        assertThat(cloudOnly).extracting(l -> l.get("kind").asText())
                .containsExactly("DeviceRegistered", "DesiredSet", "DesiredSet", "DesiredCleared");
        // filtering chooses lines only: old -> new are those of the unfiltered history
        assertThat(all).containsAll(cloudOnly);
        assertThat(cloudOnly.get(3).get("old").asText()).isEqualTo("OFF");

        String from = "2026-11-23T10:00:03Z";
        String to = Instant.ofEpochMilli(FleetFixture.START + 8_000).toString();
        List<JsonNode> window = ok("history", "--data-dir", edge, "--device", "lamp-1", "--from", from, "--to", to, "--json").json();
        assertThat(window).extracting(l -> l.get("stream").asText() + ":" + l.get("seq").asLong())
                .containsExactly("edge/edge-a:2", "cloud/edge-a:4", "edge/edge-a:4");

        Twinctl.Run limited = ok("history", "--data-dir", edge, "--device", "lamp-1", "--limit", "3", "--json");
        assertThat(limited.json()).containsExactlyElementsOf(all.subList(0, 3));
        assertThat(limited.err()).contains((all.size() - 3) + " more matching events not shown");
    }

    @Test
    void historyTableShowsOneRowPerEvent() {
        Twinctl.Run r = ok("history", "--data-dir", edge, "--device", "lamp-1", "--property", "powerstatus", "--to", "2026-11-23T10:00:04Z");
        assertThat(r.lines()).hasSize(5);
        assertThat(r.lines().get(0)).startsWith("POSITION").contains("TIME (HLC)", "WALL TIME", "ORIGIN", "KIND", "PROPERTY", "OLD -> NEW");
        assertThat(r.lines().get(1)).matches("cloud/edge-a:1 +2026-11-23T10:00:01Z#1 +2026-11-23T10:00:01Z +cloud +DesiredSet +powerstatus +- -> ON");
        assertThat(r.lines().get(3)).matches("edge/edge-a:2 +2026-11-23T10:00:03Z#0 .* edge-a +ReportedSet +powerstatus +OFF -> ON");
        assertThat(r.lines().get(4)).contains("cloud/edge-a:4", "DesiredSet", "ON -> OFF");

        Twinctl.Run none = ok("history", "--data-dir", edge, "--device", "nobody");
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).contains("no events of default/nobody", "holds no event of it");
    }

    @Test
    void stateAtEveryJournalPositionEqualsWhatTheLiveStoreShowedThen() {
        assertReplayMatches(fleet.edgeSnapshots, edge);
        assertReplayMatches(fleet.cloudSnapshots, cloud);
    }

    private static void assertReplayMatches(List<FleetFixture.Snapshot> snapshots, String dir) {
        for (FleetFixture.Snapshot s : snapshots) {
            Twinctl.Run r = ok("state", "--data-dir", dir, "--at", s.position());
            assertThat(r.lines()).as("%s at %s (%s)", dir, s.position(), s.step()).containsExactlyElementsOf(s.documents().values());
        }
    }

    @Test
    void stateAtATimeEqualsWhatTheLiveStoreShowedThenForOneDeviceAndTheFleet() {
        int checked = 0;
        for (FleetFixture.Snapshot s : fleet.edgeSnapshots) {
            if (!s.timeExact()) continue; // offline: the edge did not hold the cloud's writes of that second yet
            String at = Instant.ofEpochMilli(s.time()).toString();
            assertThat(ok("state", "--data-dir", edge, "--at", at).lines()).as("fleet at %s", at)
                    .containsExactlyElementsOf(s.documents().values());
            String lamp = s.documents().get("default/lamp-1");
            assertThat(ok("state", "--data-dir", edge, "--device", "lamp-1", "--at", Long.toString(s.time())).lines())
                    .containsExactly(lamp);
            checked++;
        }
        assertThat(checked).isGreaterThan(20);
        // the offline second: the cloud's write of that second is in the edge's journal now, at its HLC time
        FleetFixture.Snapshot offline = fleet.edgeSnapshots.stream().filter(s -> !s.timeExact()).findFirst().orElseThrow();
        assertThat(ok("state", "--data-dir", edge, "--device", "lamp-2", "--at", Long.toString(offline.time())).out())
                .contains("\"desired\"").isNotEqualTo(offline.documents().get("default/lamp-2") + "\n");
    }

    @Test
    void stateOfAnAbsentDeviceOrAnUnknownPositionIsNotFound() {
        Twinctl.Run before = Twinctl.run("state", "--data-dir", edge, "--device", "lamp-1", "--at", "2026-11-23T09:00:00Z");
        assertThat(before.exit()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(before.err()).contains("twinctl:device.notfound", "default/lamp-1");
        assertThat(before.out()).isEmpty();

        // lamp-2 was removed in step 7 and registered again in step 9
        long removedAt = timeOf("remove lamp-2");
        assertThat(Twinctl.run("state", "--data-dir", edge, "--device", "lamp-2", "--at", Long.toString(removedAt)).exit())
                .isEqualTo(ExitCode.NOT_FOUND);
        assertThat(ok("state", "--data-dir", edge, "--device", "lamp-2", "--at", Long.toString(timeOf("lamp-2 back, desired cleared"))).out())
                .contains("\"serial\":\"A2b\"");

        Twinctl.Run beyond = Twinctl.run("state", "--data-dir", edge, "--at", "edge/edge-a:100000");
        assertThat(beyond.exit()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(beyond.err()).contains("twinctl:position.notfound", "edge/edge-a:100000");
        assertThat(Twinctl.run("state", "--data-dir", edge, "--at", "edge/edge-a:x").exit()).isEqualTo(ExitCode.USAGE);
        assertThat(Twinctl.run("state", "--data-dir", edge, "--at", "yesterday").exit()).isEqualTo(ExitCode.USAGE);
    }

    private static long timeOf(String step) {
        return fleet.edgeSnapshots.stream().filter(s -> s.step().equals(step)).findFirst().orElseThrow().time();
    }

    @Test
    void exportJsonLinesHoldEveryEventInJournalOrder() {
        List<JsonNode> lines = ok("export", "--data-dir", edge).json();
        assertThat(lines).hasSize(edgeEntries.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode l = lines.get(i);
            JournalEntry e = edgeEntries.get(i);
            assertThat(l.get("stream").asText() + ":" + l.get("seq").asLong() + " " + l.get("hlc").asLong())
                    .isEqualTo(e.stream() + ":" + e.seq() + " " + e.hlc());
        }
        JsonNode reported = lines.stream().filter(l -> l.path("clientToken").asText().equals("mqtt-3")).findFirst().orElseThrow();
        assertThat(reported.get("kind").asText()).isEqualTo("ReportedSet");
        assertThat(reported.get("device").asText()).isEqualTo("factory/sensor-1");
        assertThat(reported.get("property").asText()).isEqualTo("temperature");
        assertThat(reported.get("value").decimalValue()).isEqualByComparingTo("21.5");
        assertThat(lines.get(0).get("value").get("model").asText()).isEqualTo("led-light");
    }

    @Test
    void exportCsvHasAHeaderAndOneQuotedRowPerEventInTheWindow() throws Exception {
        String from = "2026-11-23T10:00:02Z";
        String to = "2026-11-23T10:00:05.000Z";
        String csv = ok("export", "--data-dir", edge, "--format", "csv", "--from", from, "--to", to).out();
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<String[]> rows = new ArrayList<>();
        try (MappingIterator<String[]> it = mapper.readerFor(String[].class).readValues(csv)) {
            it.forEachRemaining(rows::add);
        }
        assertThat(rows.get(0)).containsExactly(ExportCommand.CSV_COLUMNS);
        long lo = Instant.parse(from).toEpochMilli();
        long hi = Instant.parse(to).toEpochMilli();
        List<JournalEntry> window = edgeEntries.stream().filter(e -> e.hlc() >>> 16 >= lo && e.hlc() >>> 16 <= hi).toList();
        assertThat(rows).hasSize(window.size() + 1);
        for (int i = 0; i < window.size(); i++) {
            assertThat(rows.get(i + 1)[0] + ":" + rows.get(i + 1)[1]).isEqualTo(window.get(i).stream() + ":" + window.get(i).seq());
        }
        String[] lamp = rows.stream().filter(r -> r[6].equals("mqtt-1")).findFirst().orElseThrow();
        assertThat(lamp).containsExactly("edge/edge-a", "1", lamp[2], "2026-11-23T10:00:02Z", "2026-11-23T10:00:02Z", "edge-a",
                "mqtt-1", "ReportedSet", "default/lamp-1", "powerstatus", "\"OFF\"");
    }

    @Test
    void statsCountStreamsKindsDevicesAndTopTalkers() {
        JsonNode s = ok("stats", "--data-dir", edge, "--json", "--top", "2").json().get(0);
        Map<String, Long> perStream = new TreeMap<>();
        Map<String, Long> kinds = new TreeMap<>();
        Map<String, Long> devices = new HashMap<>();
        long bytes = 0;
        for (JournalEntry e : edgeEntries) {
            perStream.merge(e.stream(), 1L, Long::sum);
            kinds.merge(EventCodec.kindName(EventCodec.decode(e.payload())), 1L, Long::sum);
            devices.merge(EventCodec.decode(e.payload()).device().toString(), 1L, Long::sum);
            bytes += e.bytes().length;
        }
        assertThat(s.get("journal").get("entries").asLong()).isEqualTo(edgeEntries.size());
        assertThat(s.get("journal").get("entryBytes").asLong()).isEqualTo(bytes);
        assertThat(s.get("journal").get("segments").asInt()).isEqualTo(1);
        Map<String, Long> streams = new TreeMap<>();
        s.get("streams").forEach(st -> streams.put(st.get("stream").asText(), st.get("entries").asLong()));
        assertThat(streams).isEqualTo(perStream);
        Map<String, Long> gotKinds = new TreeMap<>();
        s.get("kinds").fields().forEachRemaining(k -> gotKinds.put(k.getKey(), k.getValue().asLong()));
        assertThat(gotKinds).isEqualTo(kinds);
        assertThat(s.get("devices").asInt()).isEqualTo(devices.size());
        List<Map.Entry<String, Long>> top = devices.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey())).limit(2).toList();
        assertThat(s.get("topDevices")).extracting(d -> d.get("device").asText() + "=" + d.get("events").asLong())
                .containsExactly(top.get(0).getKey() + "=" + top.get(0).getValue(), top.get(1).getKey() + "=" + top.get(1).getValue());
        assertThat(s.get("topOrigins").get(0).get("origin").asText()).isEqualTo("edge-a");
        assertThat(s.get("timeSpan").get("from").asText()).isEqualTo("2026-11-23T10:00:01Z");
        assertThat(s.get("node").asText()).isEqualTo("stopped");

        Twinctl.Run table = ok("stats", "--data-dir", edge);
        assertThat(table.out()).contains("journal     1 segment(s), " + edgeEntries.size() + " entries",
                "time span   2026-11-23T10:00:01Z ..", "devices     " + devices.size());
        assertThat(table.lines()).anySatisfy(l -> assertThat(l).matches("edge/edge-a +" + perStream.get("edge/edge-a") + " .*"));
        assertThat(table.lines()).anySatisfy(l -> assertThat(l).matches("ReportedSet +" + kinds.get("ReportedSet")));
    }

    @Test
    void anOutputThatCannotBeWrittenStopsTheCommandWithExit6() {
        // a reader that goes away after 1 KiB, like `twinctl export | head -c 1024`
        java.io.Writer closing = new java.io.Writer() {
            int written;

            @Override
            public void write(char[] buf, int off, int len) throws java.io.IOException {
                written += len;
                if (written > 1024) throw new java.io.IOException("Broken pipe");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.io.StringWriter err = new java.io.StringWriter();
        int exit = TwinctlMain.run(new java.io.PrintWriter(closing), new java.io.PrintWriter(err, true), "export", "--data-dir", edge);
        assertThat(exit).isEqualTo(ExitCode.OUTPUT);
        assertThat(err.toString()).contains("twinctl:output.failed", "incomplete").doesNotContain("exported");
    }

    @Test
    void verifyPassesOnHealthyNodesAndTheirReplicas() {
        long edgeCount = edgeEntries.stream().filter(e -> e.stream().equals("edge/edge-a")).count();
        Twinctl.Run r = ok("verify", "--data-dir", edge, "--peer", cloud);
        assertThat(r.out()).contains("journal     OK", "replicas    OK", "projection  OK", "verify: OK",
                "cloud/edge-a 9 = 9", "edge/edge-a " + edgeCount + " = " + edgeCount);
        JsonNode j = ok("verify", "--data-dir", cloud, "--peer", edge, "--json").json().get(0);
        assertThat(j.get("ok").asBoolean()).isTrue();
        assertThat(j.get("checks")).extracting(c -> c.get("check").asText() + " " + c.get("status").asText())
                .containsExactly("journal OK", "replicas OK", "projection OK");
        assertThat(j.has("firstProblem")).isFalse();
        JsonNode alone = ok("verify", "--data-dir", edge, "--json").json().get(0);
        assertThat(alone.get("checks").get(1).get("status").asText()).isEqualTo("SKIPPED");
    }

    @Test
    void everyCommandHasHelpWithExamplesAndExitCodes() {
        for (String command : List.of("history", "state", "verify", "export", "stats", "rebuild")) {
            Twinctl.Run r = ok(command, "--help");
            assertThat(r.out()).as(command).contains("Usage: twinctl " + command, "--data-dir", "Examples:", "twinctl " + command + " --data-dir",
                    "Exit codes:", "4    rebuild refused");
        }
        assertThat(ok("--help").out()).contains("history", "state", "verify", "export", "stats", "rebuild", "Exit codes:", "Examples:");
    }

    @Test
    void badInvocationsGetUsageOrDataErrors() {
        Twinctl.Run noCommand = Twinctl.run();
        assertThat(noCommand.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(Twinctl.run("history", "--data-dir", edge).exit()).isEqualTo(ExitCode.USAGE); // --device missing
        assertThat(Twinctl.run("history", "--data-dir", edge, "--device", "x", "--from", "soon").exit()).isEqualTo(ExitCode.USAGE);
        assertThat(Twinctl.run("export", "--data-dir", edge, "--format", "xml").exit()).isEqualTo(ExitCode.USAGE);
        Twinctl.Run inside = Twinctl.run("verify", "--data-dir", edge, "--work-dir", fleet.edgeDir.resolve("scratch").toString());
        assertThat(inside.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(inside.err()).contains("inside the data directory");
        assertThat(fleet.edgeDir.resolve("scratch")).doesNotExist();
        Twinctl.Run notNode = Twinctl.run("stats", "--data-dir", root.toString());
        assertThat(notNode.exit()).isEqualTo(ExitCode.DATA);
        assertThat(notNode.err()).contains("twinctl:datadir.invalid", "no journal/MANIFEST");
        assertThat(Twinctl.run("stats", "--data-dir", root.resolve("missing").toString()).exit()).isEqualTo(ExitCode.DATA);
    }
}
