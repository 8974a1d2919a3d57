package dev.edgetwin.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The running demo's control API and the commands that use it ({@code status}, {@code stop},
 * {@code start}); and the refusal to start a second demo from a folder still in use.
 */
class ControlTest {
    @TempDir
    Path dir;
    private final List<String> calls = new ArrayList<>();
    private ControlServer server;
    private Process stray;

    /** Stands for the cluster: knows edge-b only, which is running. */
    private final ControlServer.Target target = new ControlServer.Target() {
        @Override
        public ObjectNode snapshot() {
            ObjectNode s = CloudApi.JSON.createObjectNode().put("pid", ProcessHandle.current().pid()).put("phase", "ready")
                    .put("pidStartedAt", StateFile.startedAt(ProcessHandle.current()));
            s.put("control", server.url()).put("controlToken", "t0k3n").put("dataDir", dir.toString());
            s.putObject("processes").putObject("edge-b").put("state", "running");
            return s;
        }

        @Override
        public String stop(String name) throws DemoException {
            calls.add("stop " + name);
            if (!name.equals("edge-b")) throw new DemoException(404, "no process named " + name);
            return name + " stopped (exit 143)";
        }

        @Override
        public String start(String name) throws DemoException {
            calls.add("start " + name);
            throw new DemoException(409, name + " is already running (pid 42)");
        }
    };

    @AfterEach
    void close() {
        if (server != null) server.close();
        if (stray != null) stray.destroyForcibly();
    }

    @Test
    void theControlApiWantsTheTokenAndActsOnNamedProcesses() throws Exception {
        server = new ControlServer(target, "t0k3n");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/processes/edge-b/stop"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(calls).as("nothing done without the token").isEmpty();

        // the client side reads demo.json, as bin/twin-demo stop/start/status do
        StateFile.write(dir.resolve("demo.json"), target.snapshot());
        ControlClient client = new ControlClient(DemoFolder.existing(dir));
        assertThat(client.act("edge-b", "stop")).isEqualTo("edge-b stopped (exit 143)");
        assertThatThrownBy(() -> client.act("edge-b", "start")).isInstanceOf(DemoException.class).hasMessageContaining("already running")
                .satisfies(e -> assertThat(((DemoException) e).status).isEqualTo(409));
        assertThatThrownBy(() -> client.act("edge-z", "stop")).hasMessageContaining("no process named edge-z");
        assertThat(client.status().path("processes").path("edge-b").path("state").asText()).isEqualTo("running");
        assertThat(calls).containsExactly("stop edge-b", "start edge-b", "stop edge-z");
    }

    @Test
    void withoutARunningDemoTheCommandsSaySo() throws Exception {
        assertThatThrownBy(() -> new ControlClient(DemoFolder.existing(dir))).hasMessageContaining("no demo runs from");
        ObjectNode gone = CloudApi.JSON.createObjectNode().put("pid", Long.MAX_VALUE).put("control", "http://127.0.0.1:1").put("controlToken", "x");
        StateFile.write(dir.resolve("demo.json"), gone);
        assertThatThrownBy(() -> new ControlClient(DemoFolder.existing(dir))).hasMessageContaining("is not running");
        // a pid in use again by another process is not the demo
        ObjectNode reused = gone.deepCopy().put("pid", ProcessHandle.current().pid()).put("pidStartedAt", "2001-01-01T00:00:00Z");
        StateFile.write(dir.resolve("demo.json"), reused);
        assertThatThrownBy(() -> new ControlClient(DemoFolder.existing(dir))).hasMessageContaining("is not running");
    }

    @Test
    void aFolderWhoseProcessesStillRunIsNotUsedAgain() throws Exception {
        DemoFolder folder = DemoFolder.prepare(dir.resolve("demo"), false);
        stray = new ProcessBuilder("/bin/sh", "-c", "sleep 60", folder.root().toString()).start();
        ObjectNode state = CloudApi.JSON.createObjectNode().put("pid", Long.MAX_VALUE);
        state.putObject("processes").putObject("edge-a").put("pid", stray.pid());
        StateFile.write(folder.state(), state);
        assertThatThrownBy(() -> DemoMain.refuseIfRunning(folder)).hasMessageContaining("still run")
                .hasMessageContaining(String.valueOf(stray.pid())).hasMessageContaining("kill " + stray.pid());
        stray.destroyForcibly().waitFor();
        DemoMain.refuseIfRunning(folder); // gone now: the folder can be used
        assertThat(Files.getPosixFilePermissions(folder.state())).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }
}
