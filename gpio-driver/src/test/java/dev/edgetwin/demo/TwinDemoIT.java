package dev.edgetwin.demo;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code bin/twin-demo} end to end, as a user runs it: five JVMs (cloud, edge-a, edge-b, a GPIO mapper per
 * edge) started by the demo in free-port mode with a fresh data folder; a lamp switched from the cloud
 * lights its simulated line and reports back; a button pressed over the mapper's HTTP toggles its lamp;
 * edge-b stopped by its pid while its lamp changes at the cloud, started again with {@code bin/twin-demo
 * start edge-b} (the same command line, the same ports), converges; SIGTERM stops every process.
 *
 * <p>A failsafe test in gpio-driver: the module depends (test scope) on edge-node, cloud-node and
 * gpio-driver, so in {@code ./mvnw verify} the reactor has packaged every launcher jar before this runs.
 * It never builds ({@code EDGETWIN_NO_BUILD=1}); the demo's output is piped, never inherited.
 */
class TwinDemoIT {
    static final Path ROOT = Path.of(System.getProperty("edgetwin.root", "..")).toAbsolutePath().normalize();
    static final Duration UP = Duration.ofSeconds(240);
    static final Duration CHANGE = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final Path data = Path.of(System.getProperty("java.io.tmpdir")).resolve("twin-demo-it").toAbsolutePath();
    private final Path outputLog = Path.of(System.getProperty("java.io.tmpdir")).resolve("twin-demo-it.out").toAbsolutePath();
    private Process demo;
    private final Map<Process, Thread> readers = new ConcurrentHashMap<>();

    @Test
    void theDemoSwitchesLampsConvergesAfterAnEdgeRestartAndStopsEveryProcess() throws Exception {
        for (String jar : List.of("gpio-driver/target/twin-demo.jar", "cloud-node/target/twin-cloud.jar", "edge-node/target/twin-edge.jar",
                "gpio-driver/target/twin-gpio.jar")) {
            assertThat(ROOT.resolve(jar)).as("packaged by the reactor before this test").exists();
        }
        Files.deleteIfExists(outputLog);
        demo = start(List.of(ROOT.resolve("bin/twin-demo").toString(), "--free-ports", "--data-dir", data.toString(), "--wipe"));
        await().atMost(UP).pollInterval(Duration.ofMillis(250)).until(() -> {
            assertThat(demo.isAlive()).as("the demo runs; its output:\n" + String.join("\n", output)).isTrue();
            return output.stream().anyMatch(l -> l.contains("twin-demo: ready in"));
        });

        JsonNode state = state();
        assertThat(state.path("phase").asText()).isEqualTo("ready");
        List<String> names = new ArrayList<>();
        state.path("processes").fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("cloud", "edge-a", "edge-b", "gpio-edge-a", "gpio-edge-b");
        for (String name : names) {
            JsonNode p = state.path("processes").path(name);
            assertThat(p.path("state").asText()).as(name).isEqualTo("running");
            assertThat(ProcessHandle.of(p.path("pid").asLong())).as(name).hasValueSatisfying(h -> assertThat(h.isAlive()).isTrue());
            assertThat(Files.readString(Path.of(p.path("log").asText()))).as(name + "'s own log").contains("listening on 127.0.0.1:");
        }
        String cloud = url(state, "cloud");
        String gpioA = url(state, "gpio-edge-a");
        String gpioB = url(state, "gpio-edge-b");
        // the guide names the ports the processes actually got
        assertThat(String.join("\n", output)).contains("curl -sS -X PATCH " + cloud + "/api/v1/devices/lamp-1/desired")
                .contains(gpioA + "/gpio/sim0/17").contains("bin/twin-demo --data-dir " + ROOT.relativize(data) + " stop edge-b");
        for (String device : List.of("lamp-1", "button-1", "lamp-2", "button-2")) {
            assertThat(get(cloud + "/api/v1/devices/" + device).path("state").asText()).as(device).isEqualTo("online");
        }
        assertThat(level(gpioA, 17)).isZero();

        // a lamp switched from the cloud: the line goes high, the reported value comes back to the cloud
        patch(cloud, "lamp-1", "ON");
        await().atMost(CHANGE).untilAsserted(() -> assertThat(level(gpioA, 17)).isEqualTo(1));
        await().atMost(CHANGE).untilAsserted(() -> assertInSync(get(cloud + "/api/v1/devices/lamp-1"), "ON"));

        // the button, pressed over the mapper's HTTP, toggles the lamp (a desired value set at the edge)
        HttpResponse<String> press = http.send(HttpRequest.newBuilder(URI.create(gpioA + "/gpio/sim0/27/press"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(press.statusCode()).isEqualTo(202);
        await().atMost(CHANGE).untilAsserted(() -> {
            JsonNode lamp = get(cloud + "/api/v1/devices/lamp-1");
            assertInSync(lamp, "OFF");
            assertThat(lamp.path("twin").path("powerstatus").path("desired").path("origin").asText()).isEqualTo("edge-a");
        });
        assertThat(level(gpioA, 17)).isZero();

        // edge-b stopped by its pid: the demo reports it and goes on
        JsonNode edgeB = state.path("processes").path("edge-b");
        long oldPid = edgeB.path("pid").asLong();
        ProcessHandle.of(oldPid).orElseThrow().destroy();
        await().atMost(CHANGE).until(() -> state().path("processes").path("edge-b").path("state").asText().equals("stopped"));
        assertThat(ProcessHandle.of(oldPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(demo.isAlive()).isTrue();
        assertThat(output).anyMatch(l -> l.contains("[edge-b") && l.contains("stopped by signal 15"));

        // its lamp changes at the cloud while it is away: nothing reaches the line
        patch(cloud, "lamp-2", "ON");
        JsonNode away = get(cloud + "/api/v1/devices/lamp-2");
        assertThat(away.path("twin").path("powerstatus").path("inSync").asBoolean()).isFalse();
        assertThat(level(gpioB, 17)).isZero();

        // started again the demo's way (the same command line and ports): it converges
        Process restart = start(List.of(ROOT.resolve("bin/twin-demo").toString(), "--data-dir", data.toString(), "start", "edge-b"));
        assertThat(restart.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(restart.exitValue()).as(String.join("\n", output)).isZero();
        JsonNode back = state().path("processes").path("edge-b");
        assertThat(back.path("state").asText()).isEqualTo("running");
        assertThat(back.path("pid").asLong()).isNotEqualTo(oldPid);
        assertThat(back.path("ports")).isEqualTo(edgeB.path("ports"));
        await().atMost(CHANGE).untilAsserted(() -> assertThat(level(gpioB, 17)).isEqualTo(1));
        await().atMost(CHANGE).untilAsserted(() -> assertInSync(get(cloud + "/api/v1/devices/lamp-2"), "ON"));

        // SIGTERM: every process it started is gone, nothing else it did not start is touched
        Set<Long> pids = new HashSet<>(List.of(oldPid));
        for (Iterator<JsonNode> it = state().path("processes").elements(); it.hasNext(); ) pids.add(it.next().path("pid").asLong());
        demo.descendants().forEach(h -> pids.add(h.pid()));
        demo.toHandle().destroy(); // SIGTERM; Process.destroy() would also close the pipe its last lines are in
        assertThat(demo.waitFor(120, TimeUnit.SECONDS)).as("the demo stops within 2 minutes").isTrue();
        assertThat(demo.exitValue()).as("ended by SIGTERM").isEqualTo(143);
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid + " is gone").isFalse();
        }
        assertThat(state().path("phase").asText()).isEqualTo("stopped");
        readers.get(demo).join(10_000); // its last lines are still in the pipe
        assertThat(output).anyMatch(l -> l.contains("twin-demo: stopped; the data stays in"));
    }

    @Test
    void aProcessThatCannotStartStopsTheDemoWhichSaysWhyAndLeavesNothingRunning() throws Exception {
        // a hand-edited token file the cloud refuses (a line without a token): the first process dies at start
        Path folder = Path.of(System.getProperty("java.io.tmpdir")).resolve("twin-demo-it-broken").toAbsolutePath();
        if (Files.exists(folder)) DemoFolder.deleteContents(folder);
        DemoFolder prepared = DemoFolder.prepare(folder, false);
        Files.writeString(prepared.tokenFile(), "edge-a 0123456789abcdef\nedge-b 0123456789abcdef\nedge-c\n");
        Files.deleteIfExists(outputLog);
        demo = start(List.of(ROOT.resolve("bin/twin-demo").toString(), "--free-ports", "--data-dir", folder.toString()));
        assertThat(demo.waitFor(120, TimeUnit.SECONDS)).as("the demo stops by itself").isTrue();
        readers.get(demo).join(10_000);
        assertThat(demo.exitValue()).as(String.join("\n", output)).isEqualTo(1);
        String text = String.join("\n", output);
        assertThat(text).contains("[cloud").contains("exited before it was up (exit 2)").contains("--token-file")
                .contains("stopping everything: cloud exited before it was up").contains("stopped after a failure");
        JsonNode state = CloudApi.JSON.readTree(folder.resolve("demo.json").toFile());
        assertThat(state.path("phase").asText()).isEqualTo("failed");
        assertThat(state.path("processes").path("edge-a").has("pid")).as("nothing started after the cloud died").isFalse();
        long cloudPid = state.path("processes").path("cloud").path("pid").asLong();
        assertThat(ProcessHandle.of(cloudPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    private static void assertInSync(JsonNode twin, String value) {
        JsonNode p = twin.path("twin").path("powerstatus");
        assertThat(p.path("desired").path("value").asText()).isEqualTo(value);
        assertThat(p.path("reported").path("value").asText()).isEqualTo(value);
        assertThat(p.path("inSync").asBoolean()).isTrue();
    }

    private JsonNode state() throws IOException {
        return CloudApi.JSON.readTree(data.resolve("demo.json").toFile());
    }

    private static String url(JsonNode state, String process) {
        int port = state.path("processes").path(process).path("ports").path("http").asInt();
        assertThat(port).as(process + "'s http port").isPositive();
        return "http://127.0.0.1:" + port;
    }

    private int level(String gpio, int line) throws Exception {
        return get(gpio + "/gpio/sim0/" + line).path("level").asInt(-1);
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET " + url + ": " + r.body()).isEqualTo(200);
        return CloudApi.JSON.readTree(r.body());
    }

    private void patch(String cloud, String device, String value) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(cloud + "/api/v1/devices/" + device + "/desired"))
                .header("content-type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"powerstatus\":\"" + value + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** Starts a launcher with its output piped into {@link #output} and a file under target/. */
    private Process start(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().put("EDGETWIN_NO_BUILD", "1");
        Process p = builder.start();
        p.getOutputStream().close();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    output.add(line);
                    Files.writeString(outputLog, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "demo-output");
        reader.setDaemon(true);
        reader.start();
        readers.put(p, reader);
        return p;
    }

    /** A failed run must not leave its processes behind: each one the demo listed, by its pid. */
    @AfterEach
    void noOrphans() throws Exception {
        if (demo == null || !demo.isAlive()) return;
        List<ProcessHandle> left = new ArrayList<>(demo.descendants().toList());
        demo.destroy();
        if (!demo.waitFor(60, TimeUnit.SECONDS)) demo.destroyForcibly();
        for (ProcessHandle h : left) {
            if (h.isAlive()) h.destroyForcibly();
        }
    }
}
