package dev.edgetwin.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node running in a child JVM through {@link NodeDriver}: started with the Chronicle JVM flags
 * from the one flags file, its output piped (never inherited), its HTTP port read from the
 * {@code listening on 127.0.0.1:<port>} log line, every acknowledged entry recorded.
 */
final class ChildNode implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    final String name;
    private final List<String> args;
    private final Path log;
    /** Entries this node acknowledged, over every run: stream → highest acknowledged seq. */
    final Map<String, Long> acked = new ConcurrentHashMap<>();
    final AtomicLong acks = new AtomicLong();
    final AtomicLong rejections = new AtomicLong();
    private final Deque<String> tail = new ArrayDeque<>();
    private volatile Process process;
    private volatile OutputStream stdin;
    private volatile int port = -1;
    private volatile BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    final Set<String> errors = ConcurrentHashMap.newKeySet();

    ChildNode(String name, List<String> args, Path log) {
        this.name = name;
        this.args = args;
        this.log = log;
    }

    static List<String> jvm() throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        String flagsFile = System.getProperty("edgetwin.jvm.flags.file");
        if (flagsFile != null && Files.exists(Path.of(flagsFile))) {
            cmd.add("@" + flagsFile);
        } else {
            for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (a.startsWith("--add-") || a.startsWith("-Dchronicle")) cmd.add(a);
            }
        }
        cmd.add("-Xmx256m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Djna.tmpdir=" + System.getProperty("java.io.tmpdir") + "/jna");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(NodeDriver.class.getName());
        return cmd;
    }

    /** Starts (or restarts) the process and waits until it listens. */
    ChildNode start() throws IOException, InterruptedException {
        List<String> cmd = jvm();
        cmd.addAll(args);
        port = -1;
        replies = new LinkedBlockingQueue<>();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        process = p;
        stdin = p.getOutputStream();
        BlockingQueue<String> myReplies = replies;
        Thread reader = new Thread(() -> read(p, myReplies), "out-" + name);
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (port < 0) {
            if (!p.isAlive()) throw new IllegalStateException(name + " exited with " + p.exitValue() + ":\n" + tail());
            if (System.nanoTime() > deadline) throw new IllegalStateException(name + " did not listen within 120 s:\n" + tail());
            Thread.sleep(50);
        }
        return this;
    }

    private void read(Process p, BlockingQueue<String> myReplies) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                Files.writeString(log, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
                if (line.startsWith("DRV ack ")) {
                    String[] f = line.split(" ");
                    acked.merge(f[2], Long.parseLong(f[3]), Math::max);
                    acks.incrementAndGet();
                } else if (line.startsWith("DRV rej ")) {
                    rejections.incrementAndGet();
                } else if (line.startsWith("DRV error")) {
                    errors.add(line);
                } else if (line.startsWith("DRV ")) {
                    myReplies.add(line.substring(4));
                } else {
                    remember(line);
                    Matcher m = LISTENING.matcher(line);
                    if (port < 0 && m.find()) port = Integer.parseInt(m.group(1));
                }
            }
        } catch (IOException e) {
            // the process died
        }
    }

    private synchronized void remember(String line) {
        tail.addLast(line);
        if (tail.size() > 60) tail.removeFirst();
    }

    synchronized String tail() {
        return String.join("\n", tail);
    }

    int port() {
        return port;
    }

    boolean alive() {
        Process p = process;
        return p != null && p.isAlive() && port > 0;
    }

    /** Sends a command line; false when the node is down. */
    synchronized boolean send(String command) {
        if (!alive()) return false;
        try {
            stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Sends a query and collects its reply lines up to the one starting with {@code end}. */
    List<String> query(String command, String end) throws InterruptedException {
        List<String> out = new ArrayList<>();
        BlockingQueue<String> q = replies;
        q.clear();
        if (!send(command)) throw new IllegalStateException(name + " is down");
        while (true) {
            String line = q.poll(60, TimeUnit.SECONDS);
            if (line == null) throw new IllegalStateException(name + " did not answer " + command + ":\n" + tail());
            if (line.startsWith(end)) return out;
            out.add(line);
        }
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill() throws InterruptedException {
        Process p = process;
        if (p == null) return;
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the node stops cleanly. */
    void stop() throws InterruptedException {
        Process p = process;
        if (p == null) return;
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
    }

    @Override
    public void close() throws InterruptedException {
        Process p = process;
        if (p != null && p.isAlive()) kill();
    }
}
