package dev.edgetwin.bench.mqtt;

import dev.edgetwin.bench.BenchMain;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The end-to-end driver at toy size against a real cloud and a real edge, each a child process
 * started from the test classpath (the launchers' own jars are not built by this module's
 * reactor): every measured update must arrive on the cloud's watch, and the spot-checked
 * documents must hold the last value published for them. No timing assertions.
 */
class EndToEndSmokeTest {
    static String javaCommand(String mainClass) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(BenchMain.chronicleFlags());
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        for (String part : cmd) assertThat(part).as("the command is split at spaces").doesNotContain(" ");
        return String.join(" ", cmd);
    }

    @Test
    void everyMeasuredUpdateArrivesOnTheCloudWatchAndTheDocumentsHoldTheLastValues() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            code = EndToEndMain.run("--rate", "200", "--warmup", "1", "--warmup-rate", "100", "--seconds", "2", "--devices", "8",
                    "--clients", "2", "--spot-checks", "4", "--drain", "30",
                    "--cloud-command", javaCommand("dev.edgetwin.cloud.CloudMain"),
                    "--edge-command", javaCommand("dev.edgetwin.edge.EdgeMain"));
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        System.out.println(out);
        assertThat(code).isZero();
        assertThat(out).contains("registered 8 devices at the cloud").contains("warm-up: 100 of 100 updates arrived at the cloud").contains("all 8 devices reached the edge");
        Matcher m = Pattern.compile("RESULT end-to-end rate=200 .* published=(\\d+) arrived=(\\d+) lost=(\\d+) spot-check=(\\d+)/(\\d+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        // 2 s at 200/s after a 1 s warm-up at 100/s
        assertThat(Long.parseLong(m.group(1))).isEqualTo(400);
        assertThat(m.group(2)).isEqualTo(m.group(1));
        assertThat(m.group(3)).isEqualTo("0");
        assertThat(m.group(4)).isEqualTo("4");
        assertThat(m.group(5)).isEqualTo("4");
        assertThat(out).contains("the edge applied 500 of the 500 updates published");
        assertThat(out).contains("duplicates 0, other events 0").containsPattern("publish → PUBACK \\(edge journaled\\): p50=\\d");
    }

    @Test
    void theLastSequenceOfADeviceIsTheHighestBelowTheTotalThatMapsToIt() {
        // sequence s reports for device s mod 4
        assertThat(EndToEndMain.lastSeqOf(0, 4, 10)).isEqualTo(8);
        assertThat(EndToEndMain.lastSeqOf(1, 4, 10)).isEqualTo(9);
        assertThat(EndToEndMain.lastSeqOf(2, 4, 10)).isEqualTo(6);
        assertThat(EndToEndMain.lastSeqOf(3, 4, 3)).isEqualTo(-1);
    }

    @Test
    void pacingRunsTheWarmupThenWaitsThenRunsTheMeasuredRate() {
        EndToEndMain.Pacing p = new EndToEndMain.Pacing(100, 100, 1_000, 2_100);
        long s = 5_000_000_000L;
        assertThat(p.due(s, s)).isZero();
        assertThat(p.due(s, s + 500_000_000L)).isEqualTo(50);
        assertThat(p.due(s, s + 1_000_000_000L)).isEqualTo(100);
        assertThat(p.due(s, s + 9_000_000_000L)).as("nothing past the warm-up until measuring starts").isEqualTo(100);
        p.measureFrom(s + 10_000_000_000L);
        assertThat(p.due(s, s + 10_000_000_000L)).isEqualTo(100);
        assertThat(p.due(s, s + 10_500_000_000L)).isEqualTo(600);
        assertThat(p.due(s, s + 20_000_000_000L)).isEqualTo(2_100);
    }

    @Test
    void aMapperPublishesItsOwnSequenceNumbersAtItsShareOfThePace() {
        EndToEndMain.Pacing p = new EndToEndMain.Pacing(1_000, 10, 1_000, 30);
        AtomicLongArray sentAt = new AtomicLongArray(30);
        EndToEndMain.CounterFeed feed = new EndToEndMain.CounterFeed(1, 4, p, 10, sentAt);   // sequence numbers 1, 5, 9, …
        long s = 1_000_000_000L;
        assertThat(feed.due(s + 5_000_000L)).as("nothing before the start").isZero();
        feed.start(s);
        assertThat(feed.due(s)).isZero();
        assertThat(feed.due(s + 1_000_000L)).as("sequence 0 is due, not one of this mapper's").isZero();
        assertThat(feed.due(s + 2_000_000L)).as("0 and 1 due: its first").isEqualTo(1);
        assertThat(feed.due(s + 6_000_000L)).as("0..5 due: 1 and 5").isEqualTo(2);
        assertThat(feed.due(s + 60_000_000L)).as("the warm-up's 10 (0..9): 1, 5, 9").isEqualTo(3);
        p.measureFrom(s + 100_000_000L);
        assertThat(feed.due(s + 200_000_000L)).as("all 30: 1, 5, …, 29").isEqualTo(8);

        ByteBuffer b = ByteBuffer.allocate(feed.maxBodyBytes());
        feed.body(2, b);
        String body = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
        assertThat(body).matches("\\{\"event_id\":\"e9\",\"timestamp\":\\d{13},\"twin\":\\{\"counter\":\\{\"actual\":\\{\"value\":\"9\"},"
                + "\"metadata\":\\{\"type\":\"int\"}}}}");

        feed.sent(2, 77);      // sequence 9: warm-up
        feed.sent(3, 88);      // sequence 13: measured
        assertThat(sentAt.get(9)).isEqualTo(77);
        assertThat(sentAt.get(13)).isEqualTo(88);
        assertThat(feed.published()).isEqualTo(2);
        assertThat(feed.measuredPublished()).isEqualTo(1);
        feed.acked(2, 5_000);
        feed.acked(3, 7_000);
        assertThat(feed.warmupAcked()).isEqualTo(1);
        assertThat(feed.measuredAcked()).isEqualTo(1);
        assertThat(feed.pubackLatencies().count()).as("only the measured one's latency").isEqualTo(1);
    }
}
