package dev.edgetwin.log.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top command: only dispatches to the subcommands and carries the shared help sections. */
@Command(name = "twinctl", mixinStandardHelpOptions = true, versionProvider = TwinctlCommand.Version.class,
        description = "The EdgeTwin replay CLI for auditing: reads a node's data directory (journal/ and projection/) "
                + "without writing to it, whether the node is stopped or running. Only 'rebuild' writes (the projection, "
                + "node stopped).",
        subcommands = {HistoryCommand.class, StateCommand.class, VerifyCommand.class, ExportCommand.class,
            StatsCommand.class, RebuildCommand.class, CommandLine.HelpCommand.class},
        commandListHeading = "%nCommands:%n",
        footerHeading = "%nExamples:%n",
        footer = {
            "  twinctl history --data-dir /var/lib/edgetwin --device lamp-1",
            "  twinctl state --data-dir DIR --device lamp-1 --at 2026-11-23T10:15:00Z",
            "  twinctl verify --data-dir DIR --peer /data/cloud",
            "  twinctl export --data-dir DIR --format csv > events.csv",
            "  twinctl stats --data-dir DIR",
            "  twinctl rebuild --data-dir DIR",
            "  twinctl help verify",
            "Every command takes --data-dir (or EDGETWIN_DATA_DIR) and --progress auto|bar|lines|none.",
        })
final class TwinctlCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: history, state, verify, export, stats or rebuild");
    }

    /** The version from the jar's manifest (Implementation-Version), or "development". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = TwinctlCommand.class.getPackage().getImplementationVersion();
            return new String[]{"twinctl " + (v == null ? "(development build)" : v)};
        }
    }
}
