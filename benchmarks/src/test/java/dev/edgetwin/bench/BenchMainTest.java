package dev.edgetwin.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.CommandLineOptions;

class BenchMainTest {
    @Test
    void flagsComeFromTheRootPomProperty() throws Exception {
        List<String> flags = BenchMain.chronicleFlags();
        // the two flags without which Chronicle Queue fails on Java 17
        assertThat(flags).contains("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "-Dchronicle.analytics.disable=true");
        assertThat(flags).allSatisfy(f -> assertThat(f).startsWith("-").doesNotContain("${"));
    }

    @Test
    void flagsAreAppendedAfterTheCommandLinesOwn() throws Exception {
        List<String> flags = List.of("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "-Dx=1");
        CommandLineOptions none = new CommandLineOptions("Raw");
        assertThat(BenchMain.forkJvmArgsAppend(none, flags)).containsExactlyElementsOf(flags);

        CommandLineOptions own = new CommandLineOptions("Raw", "-jvmArgsAppend", "-Xmx512m -Dx=1");
        assertThat(BenchMain.forkJvmArgsAppend(own, flags))
                .containsExactly("-Xmx512m", "-Dx=1", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED");
    }
}
