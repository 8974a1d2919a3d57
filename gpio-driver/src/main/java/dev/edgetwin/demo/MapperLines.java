package dev.edgetwin.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The lines a mapper config binds (gpio-driver/README.md, "Config"), read only for telling the user
 * where to look: which line lights a lamp, which one is its button. The mapper itself validates the file.
 */
record MapperLines(List<Line> lines) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * One bound line.
     *
     * @param toggles for a button, the device whose property it toggles; else null
     */
    record Line(String device, String property, String chip, int line, boolean output, String toggles) {
        String address() {
            return chip + "/" + line;
        }
    }

    static MapperLines read(Path config) {
        try {
            JsonNode root = YAML.readTree(config.toFile());
            List<Line> lines = new ArrayList<>();
            for (JsonNode d : root.path("devices")) {
                for (Iterator<Map.Entry<String, JsonNode>> it = d.path("properties").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> p = it.next();
                    JsonNode v = p.getValue();
                    JsonNode toggles = v.path("toggles").path("device");
                    lines.add(new Line(d.path("name").asText(), p.getKey(), v.path("chip").asText(), v.path("line").asInt(),
                            v.path("direction").asText().equals("out"), toggles.isMissingNode() ? null : toggles.asText()));
                }
            }
            return new MapperLines(lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mapper config " + config, e);
        }
    }

    List<Line> outputs() {
        return lines.stream().filter(Line::output).toList();
    }

    /** The button that toggles {@code device}, if the config has one. */
    Line buttonOf(String device) {
        return lines.stream().filter(l -> device.equals(l.toggles())).findFirst().orElse(null);
    }
}
