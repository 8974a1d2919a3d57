package dev.edgetwin.gpio.config;

import dev.edgetwin.gpio.Direction;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigReaderTest {
    static MapperConfig yaml(String text) {
        return ConfigReader.parse("test.yaml", text, false);
    }

    static ConfigException problems(String text) {
        try {
            yaml(text);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("accepted: " + text);
    }

    @Test
    void theSimExampleMapsToTheLampAndTheButton() {
        MapperConfig c = ConfigReader.read(Path.of("examples/lamp-sim.yaml"));
        assertThat(c.devices()).extracting(DeviceConfig::id).containsExactly("default/lamp-1", "default/button-1");
        PropertyConfig lamp = c.devices().get(0).properties().get(0);
        assertThat(lamp).isEqualTo(new PropertyConfig("powerstatus", "sim", "sim0", 17, Direction.OUT, false, "OFF",
                Duration.ZERO, Duration.ZERO, new ValueMapping("ON", "OFF"), "string", Duration.ZERO, Optional.empty()));
        PropertyConfig button = c.devices().get(1).properties().get(0);
        assertThat(button.direction()).isEqualTo(Direction.IN);
        assertThat(button.values()).isEqualTo(new ValueMapping("true", "false"));
        assertThat(button.debounce()).isEqualTo(Duration.ofMillis(20));
        assertThat(button.toggles()).contains(new Toggle("default/lamp-1", "powerstatus"));
        MapperConfig.Mqtt d = MapperConfig.Mqtt.DEFAULTS;
        assertThat(c.mqtt()).as("the demo reconnects quickly after an edge restart").isEqualTo(new MapperConfig.Mqtt(d.clientIdPrefix(),
                d.keepAlive(), Duration.ofMillis(250), Duration.ofSeconds(2), d.maxInflight(), d.ackTimeout(), d.maxMessageBytes(), d.resyncRetry()));
        assertThat(c.node()).isEmpty();
    }

    @Test
    void theRaspberryPiExampleUsesTheCharacterDeviceLine18() {
        MapperConfig c = ConfigReader.read(Path.of("examples/lamp-raspberry-pi.yaml"));
        PropertyConfig lamp = c.devices().get(0).properties().get(0);
        assertThat(lamp.backend()).isEqualTo("chardev");
        assertThat(lamp.chip()).isEqualTo("gpiochip0");
        assertThat(lamp.line()).isEqualTo(18);
        assertThat(lamp.reportInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.node()).contains("edge-a");
    }

    @Test
    void theCharacterDeviceSpeaksUapiV2UnlessToldV1() {
        assertThat(ConfigReader.read(Path.of("examples/lamp-raspberry-pi.yaml")).chardev())
                .isEqualTo(new MapperConfig.Chardev(Path.of("/dev"), "v2"));
        String lamp = "devices: [{name: lamp-1, properties: {p: {backend: chardev, chip: gpiochip0, line: 18, direction: out}}}]\n";
        assertThat(yaml("chardev: {uapi: v1}\n" + lamp).chardev()).isEqualTo(new MapperConfig.Chardev(Path.of("/dev"), "v1"));
        assertThat(yaml("chardev: {dev: /tmp/dev, uapi: v2}\n" + lamp).chardev()).isEqualTo(new MapperConfig.Chardev(Path.of("/tmp/dev"), "v2"));
        assertThat(problems("chardev: {uapi: 2, api: v1}\n" + lamp).problems()).containsExactlyInAnyOrder(
                "chardev.api: unknown field (known: dev, uapi)",
                "chardev.uapi: must be one of v2, v1, got '2'");
    }

    @Test
    void sysfsInputsArePolledByDefault() {
        MapperConfig c = ConfigReader.read(Path.of("examples/lamp-sysfs.yaml"));
        PropertyConfig door = c.devices().get(1).properties().get(0);
        assertThat(door.poll()).isEqualTo(Duration.ofMillis(20));
        assertThat(door.activeLow()).isTrue();
        assertThat(c.devices().get(0).properties().get(0).poll()).as("outputs are not polled").isZero();
    }

    @Test
    void jsonWorksToo() {
        MapperConfig c = ConfigReader.parse("c.json", """
                {"mqtt": {"keepAlive": "10s", "reconnect": {"initial": 100, "max": "2m"}},
                 "devices": [{"name": "relay-1", "namespace": "farm",
                   "properties": {"state": {"backend": "sim", "chip": "s", "line": 3, "direction": "out",
                                            "activeLow": true, "type": "int", "initial": "1"}}}]}""", true);
        assertThat(c.devices().get(0).id()).isEqualTo("farm/relay-1");
        PropertyConfig p = c.devices().get(0).properties().get(0);
        assertThat(p.values()).isEqualTo(new ValueMapping("1", "0"));
        assertThat(p.initial()).isEqualTo("1");
        assertThat(p.activeLow()).isTrue();
        assertThat(c.mqtt().keepAlive()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.mqtt().reconnectInitial()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.mqtt().reconnectMax()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void everyProblemIsReportedWithThePathOfItsField() {
        ConfigException e = problems("""
                mqtt: {keepAlive: soon, maxInflight: 0}
                devices:
                  - name: Lamp_1
                    properties:
                      powerstatus: {backend: gpio, chip: sim0, line: 70000, direction: sideways, activelow: true}
                      bad key!: {backend: sim, chip: sim0, line: 1, direction: in, initial: "ON"}
                """);
        assertThat(e.code()).isEqualTo("config:invalid");
        assertThat(e.problems()).containsExactlyInAnyOrder(
                "mqtt.keepAlive: must be a duration such as 250ms, 2s or 1m, got 'soon'",
                "mqtt.maxInflight: must be an integer 1..65535, got 0",
                "devices[0].name: must be a Kubernetes object name (lower-case letters, digits, '-', '.'), got 'Lamp_1'",
                "devices[0].properties.powerstatus.activelow: unknown field (known: activeLow, backend, chip, debounce, direction, initial, line, poll, reportInterval, toggles, type, values)",
                "devices[0].properties.powerstatus.backend: must be one of sim, sysfs, chardev, got 'gpio'",
                "devices[0].properties.powerstatus.line: must be an integer 0..65535, got 70000",
                "devices[0].properties.powerstatus.direction: must be one of out, in, got 'sideways'",
                "devices[0].properties.bad key!: a property name must be 1-128 of the characters A-Z a-z 0-9 - _ . , : / @ # (KubeEdge's rule)",
                "devices[0].properties.bad key!.initial: applies to outputs only");
        assertThat(e.getMessage()).startsWith("config:invalid: test.yaml: 9 problems:");
    }

    @Test
    void requiredFieldsAreNamed() {
        assertThat(problems("devices: []").problems()).containsExactly("devices: must list at least one device");
        assertThat(problems("node: edge-a").problems()).containsExactly("devices: is required: the devices this mapper serves");
        assertThat(problems("devices: [{name: lamp-1, properties: {p: {backend: sim}}}]").problems()).containsExactly(
                "devices[0].properties.p.chip: is required (a chip name such as gpiochip0 or sim0)",
                "devices[0].properties.p.line: is required: the line offset on the chip",
                "devices[0].properties.p.direction: is required: out (a lamp, a relay) or in (a button, a contact)");
        assertThat(problems("devices: [{name: lamp-1}]").problems()).containsExactly(
                "devices[0].properties: must map at least one property name to its line");
    }

    @Test
    void valueMappingsMustHaveOneValuePerLevelAndFitTheType() {
        assertThat(problems(prop("values: {ON: 1, LIT: 1}")).problems()).contains(
                "devices[0].properties.p.values.LIT: 'ON' already maps to 1",
                "devices[0].properties.p.values: must map one value to 1 and one to 0, e.g. {ON: 1, OFF: 0}");
        assertThat(problems(prop("values: {ON: 2, OFF: 0}")).problems()).contains("devices[0].properties.p.values.ON: must be an integer 0..1, got 2");
        assertThat(problems(prop("type: boolean, values: {yes: 1, no: 0}")).problems()).containsExactly(
                "devices[0].properties.p.values: a boolean property maps true and false");
        assertThat(problems(prop("values: {\"ON NOW\": 1, OFF: 0}")).problems()).containsExactly(
                "devices[0].properties.p.values.ON NOW: a twin value must be 1-512 of the characters A-Z a-z 0-9 - _ . , : / @ # (KubeEdge's rule)");
        assertThat(problems(prop("initial: \"on\"")).problems()).containsExactly(
                "devices[0].properties.p.initial: must be one of the mapped values ON, OFF, got 'on'");
        assertThat(problems(prop("initial: ON")).problems()).containsExactly(
                "devices[0].properties.p.initial: must be one of the mapped values ON, OFF, got 'true'"
                        + " (YAML reads unquoted on/off/yes/no as true/false: quote the value, e.g. \"ON\")");
        assertThat(problems(prop("type: double")).problems()).containsExactly(
                "devices[0].properties.p.type: must be one of string, boolean, int, integer, got 'double'");
    }

    static String prop(String extra) {
        return "devices: [{name: lamp-1, properties: {p: {backend: sim, chip: sim0, line: 1, direction: out, " + extra + "}}}]";
    }

    @Test
    void crossChecks() {
        ConfigException e = problems("""
                devices:
                  - name: lamp-1
                    properties:
                      a: {backend: sim, chip: sim0, line: 1, direction: out, debounce: 5ms}
                  - name: lamp-1
                    properties:
                      b: {backend: sim, chip: sim0, line: 1, direction: in, toggles: {device: lamp-9, property: a}}
                      c: {backend: sysfs, chip: gpiochip0, line: 2, direction: in, poll: 0ms}
                      d: {backend: chardev, chip: spi0, line: 3, direction: out}
                """);
        assertThat(e.problems()).containsExactlyInAnyOrder(
                "devices[0].properties.a.debounce: applies to inputs only",
                "devices[1].name: device default/lamp-1 is already defined at devices[0]",
                "devices[1].properties.b.line: line sim:sim0/1 is already used by devices[0].properties.a",
                "devices[1].properties.b.toggles: must name an output property of this config; 'default/lamp-9 a' is none",
                "devices[1].properties.c.poll: must be more than 0: sysfs inputs are polled",
                "devices[1].properties.d.chip: a character-device chip is gpiochipN, N or /dev/gpiochipN, got 'spi0'");
    }

    @Test
    void syntaxErrorsGiveTheLine() {
        assertThatThrownBy(() -> yaml("devices:\n  - name: [lamp\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("test.yaml: line 2").hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> ConfigReader.parse("c.json", "{\"devices\": [}", true))
                .isInstanceOf(ConfigException.class).hasMessageContaining("line 1 column 14").hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> yaml("- just\n- a list\n")).hasMessageContaining("must be a mapping with a 'devices' list");
    }
}
