package dev.edgetwin.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker/docker-compose.yml read the way {@code docker compose config} resolves it for these checks:
 * {@code ${VAR}}, {@code ${VAR:-default}} and {@code ${VAR-default}} interpolated from a given
 * environment (an {@code --env-file}), services' {@code environment} as a map.
 */
final class ComposeFile {
    static final Path ROOT = Path.of(System.getProperty("edgetwin.root", "..")).toAbsolutePath().normalize();
    static final Path FILE = ROOT.resolve("docker/docker-compose.yml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?}");

    final JsonNode root;
    private final Map<String, String> env;

    ComposeFile(Map<String, String> env) {
        this.env = env;
        try {
            root = YAML.readTree(FILE.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An env file: {@code NAME=value} lines, {@code #} comments. */
    static Map<String, String> envFile(Path file) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String l = line.trim();
            if (l.isEmpty() || l.startsWith("#")) continue;
            int eq = l.indexOf('=');
            env.put(l.substring(0, eq), l.substring(eq + 1));
        }
        return env;
    }

    String interpolate(String text) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            boolean unsetOrEmpty = value == null || (":-".equals(m.group(2)) && value.isEmpty());
            if (m.group(2) != null && unsetOrEmpty) value = m.group(3);
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    List<String> services() {
        List<String> names = new ArrayList<>();
        root.path("services").fieldNames().forEachRemaining(names::add);
        return names;
    }

    JsonNode service(String name) {
        return root.path("services").path(name);
    }

    /** The service's Docker target (its role), or null for an image of someone else (mosquitto). */
    String target(String service) {
        JsonNode t = service(service).path("build").path("target");
        return t.isMissingNode() ? null : t.asText();
    }

    /** The service's environment, interpolated. */
    Map<String, String> environment(String service) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = service(service).path("environment").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            vars.put(e.getKey(), interpolate(e.getValue().asText()));
        }
        return vars;
    }

    List<String> strings(String service, String key) {
        List<String> list = new ArrayList<>();
        service(service).path(key).forEach(n -> list.add(interpolate(n.asText())));
        return list;
    }

    boolean active(String service, List<String> profiles) {
        JsonNode p = service(service).path("profiles");
        if (p.isMissingNode() || p.isEmpty()) return true;
        for (JsonNode n : p) if (profiles.contains(n.asText())) return true;
        return false;
    }
}
