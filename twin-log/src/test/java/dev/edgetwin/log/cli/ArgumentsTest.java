package dev.edgetwin.log.cli;

import dev.edgetwin.log.model.Hlc;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Times and positions as the command line gives them. */
class ArgumentsTest {
    static final Instant T = Instant.parse("2026-11-23T10:15:30Z");

    @Test
    void timesInEveryAcceptedForm() {
        assertThat(Times.parse("2026-11-23T10:15:30Z")).isEqualTo(T);
        assertThat(Times.parse("2026-11-23T12:15:30+02:00")).isEqualTo(T);
        assertThat(Times.parse("2026-11-23T10:15:30")).isEqualTo(T);
        assertThat(Times.parse("2026-11-23T10:15:30.250Z")).isEqualTo(T.plusMillis(250));
        assertThat(Times.parse("2026-11-23")).isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));
        assertThat(Times.parse(Long.toString(T.toEpochMilli()))).isEqualTo(T);
        assertThatThrownBy(() -> Times.parse("tomorrow")).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("ISO-8601");
    }

    @Test
    void hlcBoundsCoverTheWholeMillisecond() {
        long ms = T.toEpochMilli();
        assertThat(Times.lowHlc(T)).isEqualTo(Hlc.pack(ms, 0));
        assertThat(Times.highHlc(T)).isEqualTo(Hlc.pack(ms, Hlc.MAX_COUNTER));
        assertThat(Times.lowHlc(null)).isZero();
        assertThat(Times.highHlc(null)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aSlashMakesAPositionEverythingElseATime() {
        At p = At.parse("edge/edge-a:42");
        assertThat(p.isPosition()).isTrue();
        assertThat(p.stream()).isEqualTo("edge/edge-a");
        assertThat(p.seq()).isEqualTo(42);
        assertThat(p).hasToString("edge/edge-a:42");
        At t = At.parse("2026-11-23T10:15:30Z");
        assertThat(t.isPosition()).isFalse();
        assertThat(t.time()).isEqualTo(T);
        assertThatThrownBy(() -> At.parse("edge/edge-a:-1")).isInstanceOf(CommandLine.TypeConversionException.class);
        assertThatThrownBy(() -> At.parse("edge/edge-a")).isInstanceOf(CommandLine.TypeConversionException.class);
    }
}
