package dev.edgetwin.gpio;

import dev.edgetwin.gpio.config.ConfigReader;
import dev.edgetwin.gpio.config.MapperConfig;
import dev.edgetwin.gpio.mqtt.BrokerAddress;
import dev.edgetwin.gpio.testing.FakeKubeEdge;
import dev.edgetwin.gpio.testing.FakeSysfs;
import dev.edgetwin.gpio.testing.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The mapper against a real MQTT broker (Moquette) and a KubeEdge-like edge (a HiveMQ client
 * answering the twin topics): the smart-home lamp on a simulated chip, and a button that toggles it.
 */
class GpioMapperTest {
    static final String LAMP = "default/lamp-1";
    static final String BUTTON = "default/button-1";
    static final String CONFIG = """
            node: edge-a
            mqtt:
              reconnect: {initial: 50ms, max: 500ms}
              resyncRetry: 500ms
            devices:
              - name: lamp-1
                properties:
                  powerstatus: {backend: sim, chip: sim0, line: 17, direction: out, initial: "OFF"}
              - name: button-1
                properties:
                  pressed:
                    backend: sim
                    chip: sim0
                    line: 27
                    direction: in
                    type: boolean
                    debounce: 100ms
                    toggles: {device: lamp-1, property: powerstatus}
            """;

    /** One broker for the class (stopping Moquette takes seconds); tests that restart it leave it running. */
    static TestBroker broker;
    FakeKubeEdge edge;
    GpioMapper mapper;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @BeforeEach
    void start() {
        edge = FakeKubeEdge.connect("edge-a", broker.port());
    }

    @AfterEach
    void stop() {
        if (mapper != null) mapper.close();
        edge.close();
    }

    GpioMapper startMapper() {
        MapperConfig config = ConfigReader.parse("test", CONFIG, false);
        mapper = GpioMapper.start(config, new BrokerAddress("127.0.0.1", broker.port()), "edge-a", -1);
        return mapper;
    }

    static void eventually(Runnable assertion) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).untilAsserted(assertion::run);
    }

    int lampLevel() {
        return mapper.sim().level("sim0", 17);
    }

    @Test
    void lampFollowsDesiredValuesAndReportsWhatItWrote() {
        edge.knowDevice(LAMP);
        edge.knowDevice(BUTTON);
        startMapper();
        eventually(() -> {
            assertThat(edge.state(LAMP)).isEqualTo("online");
            assertThat(edge.actual(LAMP, "powerstatus")).isEqualTo("OFF");
            assertThat(edge.actual(BUTTON, "pressed")).isEqualTo("false");
        });
        assertThat(edge.received("/membership/get")).isNotEmpty();

        edge.setExpected(LAMP, "powerstatus", "ON");
        eventually(() -> {
            assertThat(lampLevel()).isEqualTo(1);
            assertThat(edge.actual(LAMP, "powerstatus")).isEqualTo("ON");
        });

        edge.setExpected(LAMP, "powerstatus", "OFF");
        eventually(() -> {
            assertThat(lampLevel()).isZero();
            assertThat(edge.actual(LAMP, "powerstatus")).isEqualTo("OFF");
        });
        // every report is KubeEdge's mapper shape: actual value, string type
        FakeKubeEdge.Received last = edge.received("lamp-1/twin/update").get(edge.received("lamp-1/twin/update").size() - 1);
        assertThat(last.body().at("/twin/powerstatus/actual/value").asText()).isEqualTo("OFF");
        assertThat(last.body().at("/twin/powerstatus/metadata/type").asText()).isEqualTo("string");
    }

    @Test
    void desiredValueKnownBeforeTheMapperStartsIsAppliedOnStart() {
        edge.knowDevice(LAMP);
        edge.knowDevice(BUTTON);
        edge.setExpectedQuietly(LAMP, "powerstatus", "ON");
        startMapper();
        eventually(() -> {
            assertThat(lampLevel()).isEqualTo(1);
            assertThat(edge.actual(LAMP, "powerstatus")).isEqualTo("ON");
        });
    }

    @Test
    void buttonPressTogglesTheLampsDesiredValue() {
        edge.knowDevice(LAMP);
        edge.knowDevice(BUTTON);
        startMapper();
        eventually(() -> assertThat(edge.actual(LAMP, "powerstatus")).isEqualTo("OFF"));

        mapper.sim().press("sim0", 27, 300);
        eventually(() -> {
            assertThat(edge.expected(LAMP, "powerstatus")).isEqualTo("ON");
            assertThat(lampLevel()).isEqualTo(1);
            assertThat(edge.actual(LAMP, "powerstatus")).isEqualTo("ON");
        });
        eventually(() -> assertThat(edge.received("button-1/twin/update").stream()
                .map(r -> r.body().at("/twin/pressed/actual/value").asText()).toList()).containsSubsequence("false", "true", "false"));

        mapper.sim().press("sim0", 27, 300);
        eventually(() -> {
            assertThat(edge.expected(LAMP, "powerstatus")).isEqualTo("OFF");
            assertThat(lampLevel()).isZero();
            assertThat(edge.actual(LAMP, "powerstatus")).isEqualTo("OFF");
        });
    }

    @Test
    void aBounceShorterThanTheDebounceIsNotReported() {
        edge.knowDevice(LAMP);
        edge.knowDevice(BUTTON);
        startMapper();
        eventually(() -> assertThat(edge.actual(BUTTON, "pressed")).isEqualTo("false"));
        int reports = edge.received("button-1/twin/update").size();

        mapper.sim().setLevel("sim0", 27, 1);
        mapper.sim().setLevel("sim0", 27, 0); // back within the 100 ms debounce
        mapper.sim().press("sim0", 27, 300); // a real press afterwards, so that the test waits for something

        eventually(() -> assertThat(edge.expected(LAMP, "powerstatus")).isEqualTo("ON"));
        // the button's own report and the lamp's toggle travel on different topics: either may be seen first
        eventually(() -> assertThat(edge.received("button-1/twin/update").subList(reports, edge.received("button-1/twin/update").size()).stream()
                .map(r -> r.body().at("/twin/pressed/actual/value").asText()).toList()).startsWith("true"));
        assertThat(edge.received("lamp-1/twin/update").stream().filter(r -> r.body().at("/twin/powerstatus/expected").isObject()))
                .as("exactly one toggle").hasSize(1);
    }

    @Test
    void theButtonCanBePressedOverHttp() throws Exception {
        edge.knowDevice(LAMP);
        edge.knowDevice(BUTTON);
        mapper = GpioMapper.start(ConfigReader.parse("test", CONFIG, false), new BrokerAddress("127.0.0.1", broker.port()), "edge-a", 0);
        assertThat(mapper.simHttpPort()).isPositive();
        eventually(() -> assertThat(edge.actual(LAMP, "powerstatus")).isEqualTo("OFF"));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> press = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mapper.simHttpPort() + "/gpio/sim0/27"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(press.statusCode()).isEqualTo(202);
        eventually(() -> assertThat(edge.actual(LAMP, "powerstatus")).isEqualTo("ON"));
        String gpio = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mapper.simHttpPort() + "/gpio")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(gpio).contains("\"17\":{\"direction\":\"out\",\"activeLow\":false,\"level\":1");
    }

    @Test
    void sysfsLinesAgainstAFakeTree(@TempDir Path dir) throws Exception {
        try (FakeSysfs sysfs = new FakeSysfs(dir.resolve("gpio"))) {
            edge.knowDevice(LAMP);
            edge.knowDevice("default/door-1");
            MapperConfig config = ConfigReader.parse("test", """
                    sysfs: {root: %s, poll: 10ms}
                    devices:
                      - name: lamp-1
                        properties:
                          powerstatus: {backend: sysfs, chip: gpiochip0, line: 18, direction: out}
                      - name: door-1
                        properties:
                          open: {backend: sysfs, chip: pinctrl-rp1, line: 4, direction: in, type: boolean, debounce: 20ms}
                    """.formatted(sysfs.root()), false);
            mapper = GpioMapper.start(config, new BrokerAddress("127.0.0.1", broker.port()), "edge-a", -1);
            eventually(() -> assertThat(edge.actual("default/door-1", "open")).isEqualTo("false"));
            edge.setExpected(LAMP, "powerstatus", "ON");
            eventually(() -> {
                assertThat(sysfs.read(18, "value")).isEqualTo("1");
                assertThat(edge.actual(LAMP, "powerstatus")).isEqualTo("ON");
            });
            sysfs.write(516, "value", "1"); // the door opens
            eventually(() -> assertThat(edge.actual("default/door-1", "open")).isEqualTo("true"));
            assertThat(sysfs.exported()).containsExactlyInAnyOrder(18, 516); // unexport on close: SysfsGpioTest
        }
    }

    @Test
    void saysOfflineOnACleanStop() {
        edge.knowDevice(LAMP);
        edge.knowDevice(BUTTON);
        startMapper();
        eventually(() -> assertThat(edge.state(LAMP)).isEqualTo("online"));
        mapper.close();
        mapper = null;
        eventually(() -> {
            assertThat(edge.state(LAMP)).isEqualTo("offline");
            assertThat(edge.state(BUTTON)).isEqualTo("offline");
        });
    }

    @Test
    void anUnknownDeviceWaitsForMembershipThenResyncs() {
        edge.knowDevice(BUTTON);
        startMapper();
        eventually(() -> assertThat(edge.received("lamp-1/twin/get")).isNotEmpty());
        eventually(() -> assertThat(edge.actual(BUTTON, "pressed")).isEqualTo("false"));

        edge.addDevice(LAMP); // the cloud binds the lamp to this edge
        eventually(() -> assertThat(edge.actual(LAMP, "powerstatus")).isEqualTo("OFF"));
        assertThat(edge.received("lamp-1/twin/get")).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void malformedMessagesChangeNothing() {
        edge.knowDevice(LAMP);
        edge.knowDevice(BUTTON);
        startMapper();
        eventually(() -> assertThat(edge.actual(LAMP, "powerstatus")).isEqualTo("OFF"));

        String delta = "$hw/events/device/default/lamp-1/twin/update/delta";
        edge.publishRaw(delta, "not json".getBytes(StandardCharsets.UTF_8));
        edge.publishRaw(delta, "{\"delta\":{\"powerstatus\":1}}".getBytes(StandardCharsets.UTF_8));
        edge.publishRaw(delta, "{\"delta\":{\"powerstatus\":\"BLUE\"}}".getBytes(StandardCharsets.UTF_8));
        edge.setExpected(LAMP, "powerstatus", "ON"); // the mapper still works afterwards
        eventually(() -> assertThat(edge.actual(LAMP, "powerstatus")).isEqualTo("ON"));
        assertThat(lampLevel()).isEqualTo(1);
        assertThat(edge.received("lamp-1/twin/update").stream()
                .map(r -> r.body().at("/twin/powerstatus/actual/value").asText()).toList()).doesNotContain("BLUE");
    }

    @Test
    void brokerRestartReconnectsResyncsAndLeavesNoOutputUnreported() {
        edge.knowDevice(LAMP);
        edge.knowDevice(BUTTON);
        startMapper();
        edge.setExpected(LAMP, "powerstatus", "ON");
        eventually(() -> assertThat(edge.actual(LAMP, "powerstatus")).isEqualTo("ON"));

        // the report of the next write is lost on the way: the edge still believes ON
        edge.dropActualReports(LAMP, 1);
        edge.setExpected(LAMP, "powerstatus", "OFF");
        eventually(() -> {
            assertThat(lampLevel()).isZero();
            assertThat(edge.dropped(LAMP)).isEqualTo(1);
        });
        assertThat(edge.actual(LAMP, "powerstatus")).isEqualTo("ON");

        broker.restart();
        edge.reconnect();
        eventually(() -> assertThat(edge.actual(LAMP, "powerstatus")).as("the lost report is made again").isEqualTo("OFF"));
        // said online on both connections: seen at the broker, since the edge may resubscribe only
        // after the mapper's reconnect said it (it then answers the mapper's twin get all the same)
        eventually(() -> assertThat(broker.published().stream()
                .filter(m -> m.topic().equals("$hw/events/device/" + LAMP + "/state/update"))
                .filter(m -> m.payload().contains("\"state\":\"online\"")).count()).isGreaterThanOrEqualTo(2));

        // while the broker is away, the cloud switches the lamp on; the mapper catches up on reconnect
        broker.stop();
        edge.setExpectedQuietly(LAMP, "powerstatus", "ON");
        assertThat(lampLevel()).as("outputs do not change while disconnected").isZero();
        broker.restart();
        edge.reconnect();
        eventually(() -> {
            assertThat(lampLevel()).isEqualTo(1);
            assertThat(edge.actual(LAMP, "powerstatus")).isEqualTo("ON");
        });
    }
}
