package dev.edgetwin.node;

import picocli.CommandLine;

import java.util.Locale;
import java.util.Map;

/**
 * Gives every long option of a command an environment variable: {@code --http-port} is
 * {@code EDGETWIN_HTTP_PORT}, {@code --node-id} is {@code EDGETWIN_NODE_ID}. A flag on the
 * command line wins over the variable, the variable over the option's built-in default.
 */
public final class EnvDefaults implements CommandLine.IDefaultValueProvider {
    private final Map<String, String> env;

    public EnvDefaults() {
        this(System.getenv());
    }

    public EnvDefaults(Map<String, String> env) {
        this.env = env;
    }

    /** The variable of an option: {@code --http-port} → {@code EDGETWIN_HTTP_PORT}. */
    public static String variable(String longName) {
        String bare = longName.replaceFirst("^-+", "");
        return "EDGETWIN_" + bare.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec arg) {
        if (arg instanceof CommandLine.Model.OptionSpec option && option.longestName().startsWith("--")) {
            String value = env.get(variable(option.longestName()));
            if (value != null && !value.isEmpty()) return value;
        }
        return arg.defaultValue();
    }
}
