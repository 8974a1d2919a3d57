package dev.edgetwin.log.cli;

import picocli.CommandLine;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * {@code bin/twinctl}: the replay CLI for auditing (DESIGN.md §8, twin-log/TWINCTL.md). Exit
 * codes: {@link ExitCode}. Library logging is kept to warnings on stderr, so stdout carries
 * only the command's output (tables, JSON lines, CSV).
 */
public final class TwinctlMain {
    private TwinctlMain() {
    }

    public static void main(String[] args) {
        // slf4j-simple reads these once, when the first logger is made: set them before anything logs
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        // stdout may carry millions of lines (export): buffered, UTF-8, flushed at the end; stderr as it comes
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                StandardCharsets.UTF_8), 1 << 16), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        System.exit(run(out, err, args));
    }

    /** Runs one twinctl command line with the given streams; returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new TwinctlCommand())
                .setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((ex, cmd, parsed) -> {
                    if (ex instanceof TwinctlException t) {
                        if (t.exitCode() == ExitCode.USAGE) {
                            cmd.getErr().println("twinctl: " + t.code() + ": " + t.getMessage());
                            cmd.usage(cmd.getErr());
                        } else {
                            cmd.getErr().println("twinctl: " + t.code() + ": " + t.getMessage());
                        }
                        return t.exitCode();
                    }
                    cmd.getErr().println("twinctl: internal error: " + ex);
                    ex.printStackTrace(cmd.getErr());
                    return ExitCode.INTERNAL;
                });
        exitCodeHelp(cli);
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The same "Exit codes" section in the help of every command. */
    private static void exitCodeHelp(CommandLine cli) {
        cli.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCode.help());
        for (CommandLine sub : cli.getSubcommands().values()) {
            sub.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCode.help());
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }
}
