package dev.edgetwin.bench.mqtt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cloud or edge node run as a child process through its launcher ({@code bin/twin-cloud},
 * {@code bin/twin-edge}, or any command taking the same flags). Its output goes to a log file;
 * the ports come from the node's ready line ({@code … ready: http=127.0.0.1:P mqtt=127.0.0.1:Q …}).
 */
final class NodeProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile(" ready: http=[^ ]*:(\\d+)(?: mqtt=[^ ]*:(\\d+))?");

    private final String name;
    private final Process process;
    private final Path log;
    private final CompletableFuture<int[]> ports = new CompletableFuture<>();

    private NodeProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} and waits (at most {@code timeoutSeconds}) for its ready line. */
    static NodeProcess start(String name, List<String> command, Path log, long timeoutSeconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putIfAbsent("EDGETWIN_NO_BUILD", "1");
        NodeProcess node = new NodeProcess(name, pb.start(), log);
        Thread pump = new Thread(node::pump, name + "-log");
        pump.setDaemon(true);
        pump.start();
        try {
            node.ports.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            node.close();
            throw new IllegalStateException(name + " did not report ready within " + timeoutSeconds + " s; its log: " + log);
        } catch (Exception e) {
            node.close();
            throw new IllegalStateException(name + " did not start (" + e.getMessage() + "); its log: " + log, e);
        }
        return node;
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                if (!ports.isDone()) {
                    Matcher m = READY.matcher(line);
                    if (m.find()) ports.complete(new int[]{Integer.parseInt(m.group(1)), m.group(2) == null ? -1 : Integer.parseInt(m.group(2))});
                }
            }
        } catch (IOException e) {
            ports.completeExceptionally(e);
        }
        ports.completeExceptionally(new IllegalStateException("its output ended (the process exited)"));
    }

    int httpPort() {
        return ports.join()[0];
    }

    int mqttPort() {
        return ports.join()[1];
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            System.err.println(name + " did not stop within 20 s of SIGTERM: killing it");
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
