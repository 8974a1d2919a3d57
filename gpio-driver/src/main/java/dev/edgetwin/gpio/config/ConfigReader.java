package dev.edgetwin.gpio.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.edgetwin.gpio.Direction;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a mapper config (YAML, or JSON for a {@code .json} file). Every problem in the
 * file is reported at once, each with the path of its field; see {@code gpio-driver/README.md} for
 * the format and {@code gpio-driver/examples/} for samples.
 */
public final class ConfigReader {
    /** A Kubernetes object name (DNS-1123 subdomain), as KubeEdge device and node names are. */
    static final Pattern OBJECT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    /** A Kubernetes namespace (DNS-1123 label). */
    static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** KubeEdge's rule for twin property names. */
    static final Pattern TWIN_KEY = Pattern.compile("[A-Za-z0-9\\-_.,:/@#]{1,128}");
    /** KubeEdge's rule for twin values. */
    static final Pattern TWIN_VALUE = Pattern.compile("[A-Za-z0-9\\-_.,:/@#]{1,512}");
    static final Pattern CLIENT_ID_PREFIX = Pattern.compile("[A-Za-z0-9]{1,12}");
    static final Pattern CHARDEV_CHIP = Pattern.compile("(?:(?:/dev/)?gpiochip)?\\d{1,3}");
    private static final Duration DAY = Duration.ofDays(1);

    private ConfigReader() {
    }

    public static MapperConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot read the file: " + e));
        }
        return parse(file.toString(), text, file.getFileName().toString().endsWith(".json"));
    }

    /** Parses config text; {@code source} names it in errors. */
    public static MapperConfig parse(String source, String text, boolean json) {
        JsonNode tree;
        try {
            tree = (json ? new ObjectMapper() : new YAMLMapper()).readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr() + ": ";
            throw new ConfigException(source, List.of(where + "not valid " + (json ? "JSON" : "YAML") + ": " + e.getOriginalMessage()));
        }
        List<String> problems = new ArrayList<>();
        ConfigNode root = new ConfigNode("", tree, problems);
        if (!root.isObject()) {
            throw new ConfigException(source, List.of("must be a mapping with a 'devices' list"));
        }
        root.onlyKeys("node", "mqtt", "sim", "sysfs", "chardev", "devices");
        Optional<String> node = root.has("node") ? Optional.of(root.required("node", OBJECT_NAME, "a Kubernetes node name")) : Optional.empty();
        MapperConfig config = new MapperConfig(node, mqtt(root.object("mqtt")), sim(root.object("sim")),
                sysfs(root.object("sysfs")), chardev(root.object("chardev")), List.of());
        List<DeviceConfig> devices = devices(root, config.sysfs());
        if (!problems.isEmpty()) throw new ConfigException(source, problems);
        return new MapperConfig(config.node(), config.mqtt(), config.sim(), config.sysfs(), config.chardev(), devices);
    }

    private static MapperConfig.Mqtt mqtt(ConfigNode n) {
        MapperConfig.Mqtt d = MapperConfig.Mqtt.DEFAULTS;
        n.onlyKeys("clientIdPrefix", "keepAlive", "reconnect", "maxInflight", "ackTimeout", "maxMessageBytes", "resyncRetry");
        ConfigNode reconnect = n.object("reconnect");
        reconnect.onlyKeys("initial", "max");
        String prefix = n.has("clientIdPrefix") ? n.required("clientIdPrefix", CLIENT_ID_PREFIX, "1 to 12 letters or digits") : d.clientIdPrefix();
        Duration keepAlive = n.duration("keepAlive", d.keepAlive(), Duration.ofSeconds(65_535));
        Duration initial = reconnect.duration("initial", d.reconnectInitial(), DAY);
        Duration max = reconnect.duration("max", d.reconnectMax(), DAY);
        if (initial.isZero()) reconnect.get("initial").problem("must be more than 0");
        if (max.compareTo(initial) < 0) reconnect.get("max").problem("must be at least reconnect.initial (" + initial.toMillis() + "ms)");
        return new MapperConfig.Mqtt(prefix, keepAlive, initial, max,
                n.integer("maxInflight", d.maxInflight(), 1, 65_535),
                n.duration("ackTimeout", d.ackTimeout(), DAY),
                n.integer("maxMessageBytes", d.maxMessageBytes(), 1024, 268_435_455),
                positive(n, "resyncRetry", d.resyncRetry()));
    }

    private static Duration positive(ConfigNode n, String key, Duration fallback) {
        Duration d = n.duration(key, fallback, DAY);
        if (d.isZero()) n.get(key).problem("must be more than 0");
        return d;
    }

    private static MapperConfig.Sim sim(ConfigNode n) {
        MapperConfig.Sim d = MapperConfig.Sim.DEFAULTS;
        n.onlyKeys("lines", "http", "pressHold", "maxPressHold", "maxBodyBytes");
        ConfigNode http = n.object("http");
        http.onlyKeys("host", "port");
        return new MapperConfig.Sim(n.integer("lines", d.lines(), 1, 1024), http.string("host", d.httpHost()),
                http.integer("port", d.httpPort(), -1, 65_535), n.duration("pressHold", d.pressHold(), DAY),
                n.duration("maxPressHold", d.maxPressHold(), DAY), n.integer("maxBodyBytes", d.maxBodyBytes(), 64, 1 << 20));
    }

    private static MapperConfig.Sysfs sysfs(ConfigNode n) {
        MapperConfig.Sysfs d = MapperConfig.Sysfs.DEFAULTS;
        n.onlyKeys("root", "exportTimeout", "unexport", "poll");
        Duration poll = n.duration("poll", d.defaultPoll(), DAY);
        if (poll.isZero()) n.get("poll").problem("must be more than 0: sysfs inputs are polled");
        return new MapperConfig.Sysfs(Path.of(n.string("root", d.root().toString())),
                n.duration("exportTimeout", d.exportTimeout(), DAY), n.bool("unexport", d.unexport()), poll);
    }

    private static MapperConfig.Chardev chardev(ConfigNode n) {
        MapperConfig.Chardev d = MapperConfig.Chardev.DEFAULTS;
        n.onlyKeys("dev", "uapi");
        return new MapperConfig.Chardev(Path.of(n.string("dev", d.dev().toString())), n.oneOf("uapi", d.uapi(), "v2", "v1"));
    }

    private static List<DeviceConfig> devices(ConfigNode root, MapperConfig.Sysfs sysfs) {
        List<ConfigNode> items = root.list("devices");
        if (items.isEmpty() && !root.has("devices")) root.get("devices").problem("is required: the devices this mapper serves");
        else if (items.isEmpty()) root.get("devices").problem("must list at least one device");
        List<DeviceConfig> devices = new ArrayList<>();
        Map<String, String> deviceIds = new HashMap<>();
        Map<String, String> lines = new HashMap<>();
        List<Map.Entry<Toggle, ConfigNode>> toggles = new ArrayList<>();
        for (ConfigNode item : items) {
            if (!item.isObject()) {
                item.problem("must be a mapping with name and properties");
                continue;
            }
            item.onlyKeys("name", "namespace", "properties");
            String name = item.required("name", OBJECT_NAME, "a Kubernetes object name (lower-case letters, digits, '-', '.')");
            String namespace = item.has("namespace") ? item.required("namespace", NAMESPACE, "a Kubernetes namespace") : "default";
            String id = namespace + "/" + name;
            String earlier = deviceIds.putIfAbsent(id, item.path());
            if (earlier != null) item.get("name").problem("device " + id + " is already defined at " + earlier);
            List<PropertyConfig> properties = new ArrayList<>();
            ConfigNode props = item.object("properties");
            if (props.entries().isEmpty()) props.problem("must map at least one property name to its line");
            for (Map.Entry<String, ConfigNode> e : props.entries()) {
                PropertyConfig p = property(e.getKey(), e.getValue(), sysfs);
                if (p == null) continue;
                String user = lines.putIfAbsent(p.lineKey(), e.getValue().path());
                if (user != null) e.getValue().get("line").problem("line " + p.lineKey() + " is already used by " + user);
                p.toggles().ifPresent(t -> toggles.add(Map.entry(t, e.getValue().get("toggles"))));
                properties.add(p);
            }
            devices.add(new DeviceConfig(namespace, name, properties));
        }
        checkToggles(devices, toggles);
        return devices;
    }

    private static PropertyConfig property(String name, ConfigNode n, MapperConfig.Sysfs sysfs) {
        if (!TWIN_KEY.matcher(name).matches()) {
            n.problem("a property name must be 1-128 of the characters A-Z a-z 0-9 - _ . , : / @ # (KubeEdge's rule)");
        }
        if (!n.isObject()) {
            n.problem("must be a mapping (backend, chip, line, direction, ...)");
            return null;
        }
        n.onlyKeys("backend", "chip", "line", "direction", "activeLow", "initial", "debounce", "poll", "values", "type",
                "reportInterval", "toggles");
        String backend = n.oneOf("backend", "sim", "sim", "sysfs", "chardev");
        if (!n.has("backend")) n.get("backend").problem("is required: sim, sysfs or chardev");
        String chip = n.required("chip", Pattern.compile("[A-Za-z0-9_.:/-]{1,64}"), "a chip name such as gpiochip0 or sim0");
        if (backend.equals("chardev") && !chip.isEmpty() && !CHARDEV_CHIP.matcher(chip).matches()) {
            n.get("chip").problem("a character-device chip is gpiochipN, N or /dev/gpiochipN, got '" + chip + "'");
        }
        int line = 0;
        if (!n.has("line")) n.get("line").problem("is required: the line offset on the chip");
        else line = n.integer("line", 0, 0, 65_535);
        if (!n.has("direction")) n.get("direction").problem("is required: out (a lamp, a relay) or in (a button, a contact)");
        Direction direction = n.oneOf("direction", "out", "out", "in").equals("in") ? Direction.IN : Direction.OUT;
        String type = n.oneOf("type", "string", "string", "boolean", "int", "integer");
        ValueMapping values = values(n, type);
        String initial = values.inactive();
        if (n.has("initial")) {
            if (direction == Direction.IN) n.get("initial").problem("applies to outputs only");
            initial = n.string("initial", initial);
            if (values.level(initial).isEmpty()) {
                n.get("initial").problem("must be one of the mapped values " + values.active() + ", " + values.inactive() + ", got '" + initial + "'"
                        + (n.get("initial").isBoolean() ? " (YAML reads unquoted on/off/yes/no as true/false: quote the value, e.g. \"ON\")" : ""));
            }
        }
        for (String inputOnly : List.of("debounce", "poll", "toggles")) {
            if (direction == Direction.OUT && n.has(inputOnly)) n.get(inputOnly).problem("applies to inputs only");
        }
        Duration debounce = n.duration("debounce", Duration.ZERO, Duration.ofSeconds(10));
        Duration poll = n.duration("poll", backend.equals("sysfs") && direction == Direction.IN ? sysfs.defaultPoll() : Duration.ZERO, DAY);
        if (backend.equals("sysfs") && direction == Direction.IN && poll.isZero()) {
            n.get("poll").problem("must be more than 0: sysfs inputs are polled");
        }
        Duration reportInterval = n.duration("reportInterval", Duration.ZERO, DAY);
        Optional<Toggle> toggles = Optional.empty();
        if (n.has("toggles")) {
            ConfigNode t = n.object("toggles");
            t.onlyKeys("device", "namespace", "property");
            String device = t.required("device", OBJECT_NAME, "the name of the device to toggle");
            String ns = t.has("namespace") ? t.required("namespace", NAMESPACE, "a Kubernetes namespace") : "default";
            String property = t.required("property", TWIN_KEY, "the output property to toggle");
            toggles = Optional.of(new Toggle(ns + "/" + device, property));
        }
        return new PropertyConfig(name, backend, chip, line, direction, n.bool("activeLow", false), initial, debounce, poll,
                values, type, reportInterval, toggles);
    }

    /** {@code values: {ON: 1, OFF: 0}}: exactly one value for each logical level. */
    private static ValueMapping values(ConfigNode n, String type) {
        ValueMapping fallback = type.equals("boolean") ? new ValueMapping("true", "false")
                : type.startsWith("int") ? new ValueMapping("1", "0") : ValueMapping.ON_OFF;
        if (!n.has("values")) return fallback;
        ConfigNode values = n.object("values");
        String active = null;
        String inactive = null;
        for (Map.Entry<String, ConfigNode> e : values.entries()) {
            if (!TWIN_VALUE.matcher(e.getKey()).matches()) {
                e.getValue().problem("a twin value must be 1-512 of the characters A-Z a-z 0-9 - _ . , : / @ # (KubeEdge's rule)");
            }
            int level = e.getValue().asInt(0, 1, -1);
            if (level == 1) {
                if (active != null) e.getValue().problem("'" + active + "' already maps to 1");
                active = e.getKey();
            } else if (level == 0) {
                if (inactive != null) e.getValue().problem("'" + inactive + "' already maps to 0");
                inactive = e.getKey();
            }
        }
        if (active == null || inactive == null) {
            values.problem("must map one value to 1 and one to 0, e.g. {ON: 1, OFF: 0}");
            return fallback;
        }
        ValueMapping mapping = new ValueMapping(active, inactive);
        if (type.equals("boolean") && !(Set.of("true", "false").equals(Set.of(active, inactive)))) {
            values.problem("a boolean property maps true and false");
        }
        if (type.startsWith("int") && !(active.matches("-?\\d{1,18}") && inactive.matches("-?\\d{1,18}"))) {
            values.problem("an int property maps integers");
        }
        return mapping;
    }

    private static void checkToggles(List<DeviceConfig> devices, List<Map.Entry<Toggle, ConfigNode>> toggles) {
        Set<String> outputs = new HashSet<>();
        for (DeviceConfig d : devices) {
            for (PropertyConfig p : d.properties()) if (p.direction() == Direction.OUT) outputs.add(d.id() + " " + p.name());
        }
        for (Map.Entry<Toggle, ConfigNode> t : toggles) {
            if (!outputs.contains(t.getKey().toString())) {
                t.getValue().problem("must name an output property of this config; '" + t.getKey() + "' is none");
            }
        }
    }
}
