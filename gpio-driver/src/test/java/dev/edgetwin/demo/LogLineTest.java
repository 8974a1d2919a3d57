package dev.edgetwin.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Reading the processes' logs: ports, status lines, and following a growing file. */
class LogLineTest {
    @TempDir
    Path dir;

    @Test
    void portsAreReadFromTheListeningLinesOfEveryProcess() {
        assertThat(LogLine.port("2026-11-23T19:42:26.287Z INFO NodeHttp - cloud cloud http listening on 127.0.0.1:45717"))
                .contains(new LogLine.Port("http", 45717));
        assertThat(LogLine.port("2026-11-23T19:42:36.637Z INFO EmbeddedBroker - edge edge-a mqtt listening on 127.0.0.1:43613 (embedded broker, anonymous access)"))
                .contains(new LogLine.Port("mqtt", 43613));
        assertThat(LogLine.port("2026-11-23T19:42:56.527Z INFO SimHttp - gpio http listening on 127.0.0.1:43647"))
                .contains(new LogLine.Port("http", 43647));
        assertThat(LogLine.port("2026-11-23T19:42:36.714Z INFO EdgeNode - edge edge-a ready: http=127.0.0.1:45989")).isEmpty();
    }

    @Test
    void onlyEventsWorthKnowingBecomeStatusLines() {
        assertThat(LogLine.notable(Topology.Role.EDGE, "2026-11-23T19:42:39.865Z INFO SyncConnection - sync edge-a (edge): streaming, session bcf0c032-1; sends …"))
                .isEqualTo("connected to the cloud (sync streaming)");
        assertThat(LogLine.notable(Topology.Role.CLOUD, "2026-11-23T19:42:39.710Z INFO SyncConnection - sync edge-a (cloud): streaming, session bcf0c032-1"))
                .isEqualTo("edge-a connected (sync streaming)");
        assertThat(LogLine.notable(Topology.Role.CLOUD, "t INFO SyncConnection - sync edge-b (cloud): closed with sync:shutdown: the edge is stopping; edge/edge-b acked to 0"))
                .isEqualTo("edge-b disconnected: sync closed with sync:shutdown: the edge is stopping");
        assertThat(LogLine.notable(Topology.Role.GPIO, "t INFO SimulatedGpio - gpio sim0/17 (default/lamp-1 powerstatus) level 0 -> 1 (mapper)"))
                .isEqualTo("lamp-1 powerstatus: line sim0/17 level 0 -> 1 (mapper)");
        assertThat(LogLine.notable(Topology.Role.GPIO, "t WARN DeviceLink - default/lamp-2 mqtt connection to 127.0.0.1:1884 lost"))
                .isEqualTo("WARN default/lamp-2 mqtt connection to 127.0.0.1:1884 lost");
        assertThat(LogLine.notable(Topology.Role.EDGE, "t INFO TwinStore - twin store edge-a (EDGE) open")).isNull();
        assertThat(LogLine.notable(Topology.Role.EDGE, "error: --http-port must be 0..65535")).startsWith("error:");
        assertThat(LogLine.notable(Topology.Role.EDGE, "t ERROR X - " + "x".repeat(500))).hasSize(LogLine.MAX_WIDTH);
    }

    @Test
    void theFollowerDeliversEveryCompleteLineOnceFromItsOffset() throws Exception {
        Path log = dir.resolve("p.log");
        Files.writeString(log, "an older run\n");
        List<String> lines = new CopyOnWriteArrayList<>();
        try (LogFollower follower = new LogFollower()) {
            LogFollower.Followed f = follower.follow(log, Files.size(log), lines::add);
            append(log, "first\nsec");
            await().atMost(Duration.ofSeconds(10)).until(() -> lines.size() == 1);
            append(log, "ond\r\nthird ünïcode\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> lines.size() == 3);
            append(log, "a last line without its newline");
            f.finish();
            assertThat(lines).containsExactly("first", "second", "third ünïcode", "a last line without its newline");
        }
    }

    private static void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
