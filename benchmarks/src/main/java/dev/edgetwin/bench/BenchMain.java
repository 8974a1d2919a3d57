package dev.edgetwin.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Entry point of {@code benchmarks/target/benchmarks.jar}: the normal JMH command line
 * ({@code java -jar benchmarks.jar <regex> [jmh options]}), plus the JVM flags Chronicle Queue
 * needs on Java 17+, appended to every fork's {@code -jvmArgsAppend}.
 *
 * <p>The flags are defined once, in the root pom property {@code chronicle.jvm.flags}; Maven
 * filters them into twin-log's resource {@value #FLAGS_RESOURCE}. They are appended after any
 * {@code -jvmArgsAppend} given on the command line (JMH would otherwise let the command line
 * replace them). With {@code -f 0} the benchmarks run in this JVM, which then must itself be
 * started with the flags: {@code java @twin-log/target/classes/edgetwin-jvm.flags -jar …}.
 */
public final class BenchMain {
    /** Classpath resource holding the Chronicle JVM flags, whitespace-separated. */
    public static final String FLAGS_RESOURCE = "/edgetwin-jvm.flags";

    private BenchMain() {
    }

    public static void main(String[] args) throws IOException {
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("Error parsing command line: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (cmd.shouldHelp()) {
            cmd.showHelp();
            return;
        }
        List<String> flags = chronicleFlags();
        Options options = new OptionsBuilder()
                .parent(cmd)
                .jvmArgsAppend(forkJvmArgsAppend(cmd, flags).toArray(String[]::new))
                .build();
        warnIfInProcessWithoutFlags(options, flags);
        Runner runner = new Runner(options);
        try {
            if (cmd.shouldList()) {
                runner.list();
            } else if (cmd.shouldListWithParams()) {
                runner.listWithParams(cmd);
            } else if (cmd.shouldListProfilers()) {
                cmd.listProfilers();
            } else if (cmd.shouldListResultFormats()) {
                cmd.listResultFormats();
            } else {
                runner.run();
            }
        } catch (RunnerException e) {
            System.err.println("ERROR: " + e.getMessage());
            e.printStackTrace(System.err);
            System.exit(1);
        }
    }

    /** The command line's own {@code -jvmArgsAppend} (if any) followed by {@code flags}. */
    static List<String> forkJvmArgsAppend(Options cmd, List<String> flags) {
        List<String> merged = new ArrayList<>(cmd.getJvmArgsAppend().orElse(List.of()));
        for (String f : flags) {
            if (!merged.contains(f)) merged.add(f);
        }
        return merged;
    }

    /** The flags from {@value #FLAGS_RESOURCE}; fails if the resource was not filtered by Maven. */
    public static List<String> chronicleFlags() throws IOException {
        try (InputStream in = BenchMain.class.getResourceAsStream(FLAGS_RESOURCE)) {
            if (in == null) throw new IOException("missing resource " + FLAGS_RESOURCE + " (build with Maven)");
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            if (text.contains("${")) throw new IOException(FLAGS_RESOURCE + " was not filtered: " + text);
            return text.isEmpty() ? List.of() : Arrays.asList(text.split("\\s+"));
        }
    }

    private static void warnIfInProcessWithoutFlags(Options options, List<String> flags) {
        if (options.getForkCount().orElse(1) != 0) return;
        Collection<String> own = ManagementFactory.getRuntimeMXBean().getInputArguments();
        if (!own.containsAll(flags)) {
            System.err.println("WARNING: -f 0 runs benchmarks in this JVM, which lacks the Chronicle flags; start it with "
                    + "java @twin-log/target/classes/edgetwin-jvm.flags -jar benchmarks/target/benchmarks.jar ...");
        }
    }
}
