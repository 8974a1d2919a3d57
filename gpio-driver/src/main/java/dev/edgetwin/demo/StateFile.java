package dev.edgetwin.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code demo.json} in the demo folder: the running demo as the other commands ({@code bin/twin-demo
 * status|stop|start}) and scripts see it. Rewritten whole (atomically) on every change, readable by
 * its owner only (it holds the control token and the edges' command lines with their tokens).
 * <pre>
 * {"pid": 4242, "pidStartedAt": "…", "phase": "starting|ready|stopping|stopped|failed", "control": "http://127.0.0.1:40123",
 *  "controlToken": "…", "dataDir": "/…/demo-data", "startedAt": "…",
 *  "processes": {"cloud": {"role": "cloud", "state": "running", "pid": 4250, "ports": {"http": 8080},
 *                          "log": "/…/demo-data/logs/cloud.log", "command": ["/…/bin/twin-cloud", "--node-id", …],
 *                          "exitCode": null}, …}}
 * </pre>
 * {@code state} is one of {@code stopped, starting, running, stopping, failed}; {@code command} is the
 * command line a restart uses (the ports the process got first, also in free-port mode).
 */
final class StateFile {
    private StateFile() {
    }

    static synchronized void write(Path file, ObjectNode state) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.write(tmp, CloudApi.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The state of the demo that uses {@code file}'s folder; a {@link DemoException} when there is none. */
    static JsonNode read(Path file) throws DemoException {
        try {
            return CloudApi.JSON.readTree(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new DemoException(404, "no demo runs from " + file.getParent() + " (no " + file.getFileName() + "): start one with bin/twin-demo");
        } catch (IOException e) {
            throw new DemoException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The supervisor of that state is alive: its pid runs and started when the state says (not a reused pid). */
    static boolean supervisorAlive(JsonNode state) {
        long pid = state.path("pid").asLong(-1);
        String started = state.path("pidStartedAt").asText("");
        return pid > 0 && ProcessHandle.of(pid).map(p -> p.isAlive()
                && p.info().startInstant().map(i -> started.isEmpty() || i.toString().equals(started)).orElse(true)).orElse(false);
    }

    /** When this process started, as {@link #supervisorAlive} compares it. */
    static String startedAt(ProcessHandle process) {
        return process.info().startInstant().map(Object::toString).orElse("");
    }
}
