package dev.edgetwin.gpio.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A field of a parsed config file with its path ({@code devices[0].properties.powerstatus}); getters
 * record a problem naming the path and return a fallback instead of throwing, so that one run
 * reports every mistake in a file.
 */
final class ConfigNode {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)?");

    private final String path;
    private final JsonNode node;
    private final List<String> problems;

    ConfigNode(String path, JsonNode node, List<String> problems) {
        this.path = path;
        this.node = node;
        this.problems = problems;
    }

    String path() {
        return path;
    }

    boolean isObject() {
        return node != null && node.isObject();
    }

    void problem(String what) {
        problems.add((path.isEmpty() ? "(top level)" : path) + ": " + what);
    }

    private String childPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Reports keys other than {@code known} (typos such as {@code activelow}). */
    void onlyKeys(String... known) {
        if (!isObject()) return;
        Set<String> allowed = Set.of(known);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                new ConfigNode(childPath(key), null, problems).problem("unknown field (known: " + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
    }

    boolean isBoolean() {
        return node != null && node.isBoolean();
    }

    boolean has(String key) {
        return isObject() && node.has(key) && !node.get(key).isNull();
    }

    ConfigNode get(String key) {
        return new ConfigNode(childPath(key), isObject() ? node.get(key) : null, problems);
    }

    /** An object field; absent is an empty object. */
    ConfigNode object(String key) {
        ConfigNode child = get(key);
        if (child.node != null && !child.node.isNull() && !child.node.isObject()) child.problem("must be a mapping");
        return child;
    }

    /** The elements of a list field; absent or wrong is an empty list (wrong is a problem). */
    List<ConfigNode> list(String key) {
        ConfigNode child = get(key);
        List<ConfigNode> items = new ArrayList<>();
        if (child.node == null || child.node.isNull()) return items;
        if (!child.node.isArray()) {
            child.problem("must be a list");
            return items;
        }
        for (int i = 0; i < child.node.size(); i++) items.add(new ConfigNode(child.path + "[" + i + "]", child.node.get(i), problems));
        return items;
    }

    /** The entries of a mapping field, in file order. */
    List<Map.Entry<String, ConfigNode>> entries() {
        List<Map.Entry<String, ConfigNode>> entries = new ArrayList<>();
        if (isObject()) node.fields().forEachRemaining(e -> entries.add(Map.entry(e.getKey(), new ConfigNode(childPath(e.getKey()), e.getValue(), problems))));
        return entries;
    }

    Optional<String> optString(String key) {
        ConfigNode child = get(key);
        if (child.node == null || child.node.isNull()) return Optional.empty();
        if (!child.node.isValueNode() || child.node.isBinary()) {
            child.problem("must be a text value");
            return Optional.empty();
        }
        return Optional.of(child.node.asText());
    }

    String string(String key, String fallback) {
        return optString(key).orElse(fallback);
    }

    /** A required text field matching {@code rule} (described by {@code what} in the problem). */
    String required(String key, Pattern rule, String what) {
        Optional<String> value = optString(key);
        if (value.isEmpty()) {
            get(key).problem("is required (" + what + ")");
            return "";
        }
        if (!rule.matcher(value.get()).matches()) get(key).problem("must be " + what + ", got '" + value.get() + "'");
        return value.get();
    }

    String oneOf(String key, String fallback, String... choices) {
        String value = string(key, fallback);
        for (String c : choices) if (c.equals(value)) return value;
        get(key).problem("must be one of " + String.join(", ", choices) + ", got '" + value + "'");
        return fallback;
    }

    int integer(String key, int fallback, int min, int max) {
        ConfigNode child = get(key);
        if (child.node == null || child.node.isNull()) return fallback;
        return child.asInt(min, max, fallback);
    }

    int asInt(int min, int max, int fallback) {
        if (node == null || !node.canConvertToInt() || !node.isIntegralNumber()) {
            problem("must be an integer " + min + ".." + max + ", got " + describe());
            return fallback;
        }
        int value = node.intValue();
        if (value < min || value > max) {
            problem("must be an integer " + min + ".." + max + ", got " + value);
            return fallback;
        }
        return value;
    }

    boolean bool(String key, boolean fallback) {
        ConfigNode child = get(key);
        if (child.node == null || child.node.isNull()) return fallback;
        if (!child.node.isBoolean()) {
            child.problem("must be true or false, got " + child.describe());
            return fallback;
        }
        return child.node.booleanValue();
    }

    /** A duration: {@code 250ms}, {@code 2s}, {@code 1m}, {@code 1h}, or a plain number of milliseconds. */
    Duration duration(String key, Duration fallback, Duration max) {
        ConfigNode child = get(key);
        if (child.node == null || child.node.isNull()) return fallback;
        String text = child.node.isIntegralNumber() ? child.node.asText() + "ms" : child.node.isTextual() ? child.node.asText().trim() : "";
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            child.problem("must be a duration such as 250ms, 2s or 1m, got " + child.describe());
            return fallback;
        }
        long amount = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2) == null ? "ms" : m.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofMillis(amount);
        };
        if (d.compareTo(max) > 0) {
            child.problem("must be at most " + max.toMillis() + "ms, got " + text);
            return fallback;
        }
        return d;
    }

    private String describe() {
        if (node == null) return "nothing";
        return node.isTextual() ? "'" + node.asText() + "'" : node.toString();
    }
}
