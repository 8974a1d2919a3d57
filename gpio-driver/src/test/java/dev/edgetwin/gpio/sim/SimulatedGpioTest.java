package dev.edgetwin.gpio.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgetwin.gpio.Direction;
import dev.edgetwin.gpio.GpioException;
import dev.edgetwin.gpio.GpioLine;
import dev.edgetwin.gpio.LineSpec;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The simulated chip and its HTTP API ({@code GET /gpio}, pressing an input). */
class SimulatedGpioTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final List<Boolean> button = new CopyOnWriteArrayList<>();
    final List<Boolean> door = new CopyOnWriteArrayList<>();
    Vertx vertx;
    SimulatedGpio gpio;
    GpioLine lamp;
    int port;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        gpio = new SimulatedGpio(8);
        lamp = gpio.open(new LineSpec("sim0", 1, Direction.OUT, false, false, "default/lamp-1 powerstatus"), v -> { });
        gpio.open(new LineSpec("sim0", 2, Direction.IN, false, false, "default/button-1 pressed"), button::add);
        gpio.open(new LineSpec("sim1", 3, Direction.IN, true, false, "default/door-1 open"), door::add);
        port = SimHttp.listen(vertx, gpio, "127.0.0.1", 0, new SimHttp.Limits(256, 80, 1000))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        gpio.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void getGpioShowsEveryRequestedLine() throws Exception {
        lamp.write(true);
        HttpResponse<String> r = get("/gpio");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).contains("application/json");
        JsonNode lampLine = json(r).at("/chips/sim0/lines/1");
        assertThat(lampLine.get("direction").asText()).isEqualTo("out");
        assertThat(lampLine.get("level").asInt()).isEqualTo(1);
        assertThat(lampLine.get("active").asBoolean()).isTrue();
        assertThat(lampLine.get("consumer").asText()).isEqualTo("default/lamp-1 powerstatus");
        assertThat(lampLine.get("changes").asInt()).isEqualTo(1);
        assertThat(json(r).at("/chips/sim1/lines/3/activeLow").asBoolean()).isTrue();
        assertThat(json(r).at("/chips/sim1/lines/3/level").asInt()).as("an active-low input rests high").isEqualTo(1);
        assertThat(json(get("/gpio/sim0/1")).get("level").asInt()).isEqualTo(1);
    }

    @Test
    void postSetsAnInputLine() throws Exception {
        HttpResponse<String> r = post("/gpio/sim0/2", "{\"level\":1}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("active").asBoolean()).isTrue();
        assertThat(button).containsExactly(true);
        assertThat(gpio.level("sim0", 2)).isEqualTo(1);

        assertThat(post("/gpio/sim1/3", "{\"active\":true}").statusCode()).isEqualTo(200);
        assertThat(gpio.level("sim1", 3)).as("active-low: active is level 0").isZero();
        assertThat(door).containsExactly(true);
    }

    @Test
    void anEmptyPostPressesTheInput() throws Exception {
        HttpResponse<String> r = post("/gpio/sim0/2", "");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(json(r).get("holdMs").asLong()).isEqualTo(80);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(button).containsExactly(true, false));

        HttpResponse<String> bodiless = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/gpio/sim1/3?holdMs=20"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bodiless.statusCode()).as("curl -X POST: no body at all").isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(door).containsExactly(true, false));
        assertThat(post("/gpio/sim1/3/press?holdMs=20", "").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(door).containsExactly(true, false, true, false));
        assertThat(gpio.level("sim1", 3)).isEqualTo(1);
    }

    @Test
    void badRequestsGetProblemDocuments() throws Exception {
        HttpResponse<String> output = post("/gpio/sim0/1", "{\"level\":1}");
        assertThat(output.statusCode()).isEqualTo(409);
        assertThat(output.headers().firstValue("content-type")).contains("application/problem+json");
        assertThat(json(output).get("code").asText()).isEqualTo("gpio:line.output");
        assertThat(lamp.read()).as("an output cannot be set from outside").isFalse();

        assertThat(json(get("/gpio/sim0/7")).get("code").asText()).isEqualTo("gpio:line.unknown");
        assertThat(get("/gpio/sim0/7").statusCode()).isEqualTo(404);
        for (String[] bad : new String[][]{{"/gpio/sim0/2", "{\"level\":5}"}, {"/gpio/sim0/2", "{\"level\":1,\"active\":true}"},
                {"/gpio/sim0/2", "{not json"}, {"/gpio/sim0/2", "{\"active\":\"yes\"}"}, {"/gpio/sim0/x", "{\"level\":1}"},
                {"/gpio/sim0/2/press?holdMs=0", ""}, {"/gpio/sim0/2/press?holdMs=5000", ""}}) {
            HttpResponse<String> r = post(bad[0], bad[1]);
            assertThat(r.statusCode()).as(bad[0] + " " + bad[1]).isEqualTo(400);
            assertThat(json(r).get("code").asText()).isEqualTo("gpio:request.invalid");
        }
        assertThat(post("/gpio/sim0/2", "{\"level\":1,\"pad\":\"" + "x".repeat(300) + "\"}").statusCode()).isEqualTo(413);
        assertThat(button).as("no bad request changed the line").isEmpty();
    }

    @Test
    void linesAreCheckedWhenRequested() {
        assertThatThrownBy(() -> gpio.open(new LineSpec("sim0", 8, Direction.OUT, false, false, "x"), v -> { }))
                .isInstanceOf(GpioException.class).hasMessageContaining("gpio:line.range");
        assertThatThrownBy(() -> gpio.open(new LineSpec("sim0", 1, Direction.OUT, false, false, "x"), v -> { }))
                .isInstanceOf(GpioException.class).hasMessageContaining("gpio:line.busy").hasMessageContaining("default/lamp-1 powerstatus");
        assertThatThrownBy(() -> gpio.line("sim0", 2).write(true)).hasMessageContaining("gpio:line.input");
        lamp.close();
        GpioLine again = gpio.open(new LineSpec("sim0", 1, Direction.OUT, true, true, "y"), v -> { });
        assertThat(again.read()).isTrue();
        assertThat(gpio.level("sim0", 1)).as("active-low output, initially active").isZero();
    }
}
