package dev.edgetwin.gpio.config;

import dev.edgetwin.gpio.GpioException;

import java.util.List;

/** A config file that cannot be used: code {@code config:invalid}, every problem with the path of its field. */
public final class ConfigException extends GpioException {
    private final List<String> problems;

    public ConfigException(String source, List<String> problems) {
        super("config:invalid", source + ": " + (problems.size() == 1 ? problems.get(0)
                : problems.size() + " problems:\n  " + String.join("\n  ", problems)));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as {@code path: what is wrong}, e.g. {@code devices[0].properties.powerstatus.line: must be 0..65535, got -1}. */
    public List<String> problems() {
        return problems;
    }
}
