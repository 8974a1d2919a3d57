package dev.edgetwin.log.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Progress as plain lines and as a redrawn bar; quick phases print nothing. */
class ProgressTest {
    @Test
    void linesModePrintsALineEveryIntervalAndASummary() {
        StringWriter out = new StringWriter();
        try (Progress p = Progress.start(new PrintWriter(out, true), Progress.Mode.LINES, Duration.ofMillis(50), "scan", 1000, "entries")) {
            p.add(250);
            await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("scan: 250 of ~1,000 entries (25%)"));
            p.set(1000);
        }
        String[] lines = out.toString().split("\n");
        assertThat(lines[lines.length - 1]).matches("scan: 1,000 entries in \\d+\\.\\d s \\([\\d,]+/s\\)");
    }

    @Test
    void barModeRedrawsInPlaceAndEndsTheLine() {
        StringWriter out = new StringWriter();
        try (Progress p = Progress.start(new PrintWriter(out, true), Progress.Mode.BAR, Duration.ofSeconds(5), "verify", 200, "entries")) {
            p.add(100);
            await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("verify [=============="));
        }
        String s = out.toString();
        assertThat(s).startsWith("\rverify [").contains(" 50%  100 of ~200 entries").endsWith("\n");
        assertThat(s.chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }

    @Test
    void quickPhasesAndModeNonePrintNothing() {
        StringWriter out = new StringWriter();
        try (Progress p = Progress.start(new PrintWriter(out, true), Progress.Mode.LINES, Duration.ofSeconds(60), "quick", 10, "entries")) {
            p.add(10);
        }
        try (Progress p = Progress.start(new PrintWriter(out, true), Progress.Mode.NONE, Duration.ofMillis(1), "off", 10, "entries")) {
            p.add(10);
        }
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void autoIsPlainLinesWithoutAConsole() {
        // surefire runs without a console: AUTO must not draw a bar into a log
        StringWriter out = new StringWriter();
        try (Progress p = Progress.start(new PrintWriter(out, true), Progress.Mode.AUTO, Duration.ofMillis(20), "auto", 0, "keys")) {
            p.add(5);
            await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("auto: 5 keys"));
        }
        assertThat(out.toString()).doesNotContain("\r");
    }
}
