package dev.edgetwin.log.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * twinctl against the data directory of a node that is running, in a child JVM
 * ({@link LiveNode}): every command works and changes no byte of any file while the node is
 * idle (checksums before and after); verify and state keep giving sound answers while the node
 * appends; rebuild is refused; and once the node has stopped, its data directory verifies with
 * the tail checked.
 */
class TwinctlLiveNodeTest {
    /** RocksDB's info log, which the node's RocksDB appends to by itself, idle or not. */
    static final String NODE_INFO_LOG = "projection/LOG";
    @TempDir
    Path root;
    Process node;
    Writer stdin;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    @AfterEach
    void stopNode() throws Exception {
        if (node != null && node.isAlive()) {
            node.destroyForcibly();
            node.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyCommandWorksOnARunningNodeAndChangesNothing() throws Exception {
        Path dir = root.resolve("edge-a");
        String data = dir.toString();
        startNode(dir);
        long idle = Long.parseLong(expect("idle ").substring(5));
        Map<String, String> before = checksums(dir);
        byte[] infoLog = Files.readAllBytes(dir.resolve(NODE_INFO_LOG));

        Twinctl.Run verify = Twinctl.run("verify", "--data-dir", data, "--json");
        assertThat(verify.exit()).as("%s", verify).isZero();
        JsonNode v = verify.json().get(0);
        assertThat(v.get("node").asText()).isEqualTo("running, pid " + node.pid());
        assertThat(v.get("checks").get(0).get("summary").asText()).contains(Progress.count(idle) + " entries", "the tail was not examined");
        // the projection on disk is the one flushed when the node closed after its first phase
        assertThat(v.get("checks").get(2).get("summary").asText()).startsWith("equals a rebuild from the journal ("
                + Progress.count(LiveNode.FIRST) + " entries");

        String at = LiveNode.STREAM + ":" + (idle / 2);
        Twinctl.Run state = Twinctl.run("state", "--data-dir", data, "--at", at);
        assertThat(state.exit()).as("%s", state).isZero();
        assertThat(state.lines()).hasSize(LiveNode.DEVICES);
        Twinctl.Run history = Twinctl.run("history", "--data-dir", data, "--device", "dev-3", "--json");
        assertThat(history.exit()).isZero();
        assertThat(history.json()).isNotEmpty();
        assertThat(Twinctl.run("export", "--data-dir", data).lines()).hasSize((int) idle);
        JsonNode stats = Twinctl.run("stats", "--data-dir", data, "--json").json().get(0);
        assertThat(stats.get("journal").get("entries").asLong()).isEqualTo(idle);

        Twinctl.Run rebuild = Twinctl.run("rebuild", "--data-dir", data);
        assertThat(rebuild.exit()).isEqualTo(ExitCode.NODE_RUNNING);
        assertThat(rebuild.err()).contains("twinctl:node.running", "pid " + node.pid(), "stop it first");

        assertThat(checksums(dir)).as("no file changed, none appeared or vanished").isEqualTo(before);
        byte[] infoLogAfter = Files.readAllBytes(dir.resolve(NODE_INFO_LOG));
        assertThat(infoLogAfter.length).isGreaterThanOrEqualTo(infoLog.length);
        assertThat(java.util.Arrays.copyOf(infoLogAfter, infoLog.length)).as("the node's own RocksDB log only grew").isEqualTo(infoLog);

        // while the node appends: sound answers, no false alarm at the moving tail
        send("go");
        expect("writing");
        for (int i = 0; i < 3; i++) {
            Twinctl.Run during = Twinctl.run("verify", "--data-dir", data);
            assertThat(during.exit()).as("%s", during).isZero();
            Twinctl.Run again = Twinctl.run("state", "--data-dir", data, "--at", at);
            assertThat(again.lines()).as("a past position replays the same while the node appends").isEqualTo(state.lines());
        }
        send("pause");
        long paused = Long.parseLong(expect("idle ").substring(5));
        assertThat(paused).as("the node kept appending meanwhile").isGreaterThan(idle);

        send("exit");
        expect("closed");
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Twinctl.Run stopped = Twinctl.run("verify", "--data-dir", data);
        assertThat(stopped.exit()).as("%s", stopped).isZero();
        assertThat(stopped.out()).contains("node stopped", Progress.count(paused) + " entries", "tail clean",
                "equals a rebuild from the journal (" + Progress.count(paused) + " entries");
        assertThat(Twinctl.run("state", "--data-dir", data, "--at", at).lines()).isEqualTo(state.lines());
    }

    private void startNode(Path dir) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LiveNode.class.getName());
        command.add(dir.toString());
        // piped, never inherited: a child writing into surefire's channel corrupts it
        node = new ProcessBuilder(command).redirectErrorStream(true).start();
        stdin = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);
        InputStream out = node.getInputStream();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) lines.add(line);
            } catch (IOException ignored) {
                // the pipe closes with the child
            }
        }, "live-node-output");
        reader.setDaemon(true);
        reader.start();
    }

    private void send(String command) throws IOException {
        stdin.write(command + "\n");
        stdin.flush();
    }

    /** Waits for the child's next line starting with {@code prefix} (log lines in between are skipped). */
    private String expect(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line == null) {
                assertThat(node.isAlive()).as("the node died: %s", seen).isTrue();
                continue;
            }
            if (line.startsWith(prefix)) return line;
            seen.add(line);
        }
        throw new AssertionError("no '" + prefix + "' from the node; saw " + seen);
    }

    /**
     * SHA-256 and size of every file under {@code dir}, by relative path; the running node's own
     * RocksDB info log only by name, since the node appends to it by itself (stats dumps).
     */
    private static Map<String, String> checksums(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                if (dir.relativize(p).toString().equals(NODE_INFO_LOG)) {
                    out.put(NODE_INFO_LOG, "(the node's own log)");
                    continue;
                }
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                try (InputStream in = Files.newInputStream(p)) {
                    byte[] buf = new byte[1 << 16];
                    for (int n = in.read(buf); n > 0; n = in.read(buf)) md.update(buf, 0, n);
                }
                out.put(dir.relativize(p).toString(), Files.size(p) + " " + HexFormat.of().formatHex(md.digest()));
            }
        }
        return out;
    }
}
