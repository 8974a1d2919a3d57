package dev.edgetwin.node;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

/**
 * What every node's {@code main} does: parse flags (with {@link EnvDefaults}), start the node,
 * stop it cleanly on SIGTERM/SIGINT, and exit 2 on bad flags, 1 when the node cannot start.
 */
public final class NodeMain {
    private static final Logger LOG = LoggerFactory.getLogger(NodeMain.class);

    /** A node started by {@link #run}: stopped from the shutdown hook. */
    public interface Running {
        void stop();
    }

    /** The command object of a node: picocli fills its fields, then {@link #start()} runs it. */
    public interface Command {
        Running start() throws Exception;
    }

    private NodeMain() {
    }

    /**
     * Parses {@code args} into {@code command}'s fields the way {@link #run} does (flags, then
     * environment variables, then defaults), without starting anything: for embedding a node.
     */
    public static <T extends Command> T parse(T command, String... args) {
        new CommandLine(command).setDefaultValueProvider(new EnvDefaults()).parseArgs(args);
        return command;
    }

    public static int run(Command command, String... args) {
        CommandLine cli = new CommandLine(command).setDefaultValueProvider(new EnvDefaults());
        cli.getCommandSpec().usageMessage().footer(
                "", "Every option can also be set by an environment variable: --http-port is EDGETWIN_HTTP_PORT, and so on.");
        Callable<Integer> body = () -> {
            Running node;
            try {
                node = command.start();
            } catch (IllegalArgumentException e) {
                System.err.println("error: " + e.getMessage());
                return 2;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                LOG.info("stopping");
                try {
                    node.stop();
                } finally {
                    stopped.countDown();
                }
            }, "shutdown"));
            stopped.await();
            return 0;
        };
        cli.setExecutionStrategy(parsed -> {
            if (CommandLine.printHelpIfRequested(parsed)) return 0;
            try {
                return body.call();
            } catch (Exception e) {
                LOG.error("cannot start: {}", e.toString(), e);
                return 1;
            }
        });
        return cli.execute(args);
    }
}
