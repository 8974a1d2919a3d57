package dev.edgetwin.demo;

import dev.edgetwin.cloud.CloudConfig;
import dev.edgetwin.cloud.CloudMain;
import dev.edgetwin.edge.EdgeConfig;
import dev.edgetwin.edge.EdgeMain;
import dev.edgetwin.gpio.GpioMain;
import dev.edgetwin.node.EnvDefaults;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The launchers' real options, read from their picocli command classes (the same objects
 * {@code bin/twin-cloud}, {@code bin/twin-edge}, {@code bin/twin-gpio} and {@code bin/twin-demo} run):
 * what docker/ and the demo may pass them, as flags or as EDGETWIN_* variables.
 */
final class Launchers {
    private static final Pattern ENV_DEFAULT = Pattern.compile("^\\$\\{env:([A-Z0-9_]+)");

    /** A launcher, by its Docker target. */
    enum Role {
        CLOUD("cloud-node", "twin-cloud"), EDGE("edge-node", "twin-edge"), GPIO("gpio-driver", "twin-gpio"), DEMO("gpio-driver", "twin-demo");

        final String module;
        final String jar;

        Role(String module, String jar) {
            this.module = module;
            this.jar = jar;
        }

        static Role of(String target) {
            return valueOf(target.toUpperCase(java.util.Locale.ROOT));
        }

        CommandLine command() {
            return new CommandLine(switch (this) {
                case CLOUD -> new CloudMain();
                case EDGE -> new EdgeMain();
                case GPIO -> new GpioMain();
                case DEMO -> new DemoMain();
            });
        }
    }

    private Launchers() {
    }

    /**
     * Each option's environment variable → its long name: the nodes' from {@link EnvDefaults} (every
     * long option has one), the mapper's and the demo's from their {@code ${env:…}} defaults.
     */
    static Map<String, OptionSpec> variables(Role role) {
        Map<String, OptionSpec> vars = new LinkedHashMap<>();
        for (OptionSpec o : role.command().getCommandSpec().options()) {
            if (o.usageHelp() || o.versionHelp()) continue;
            if (role == Role.CLOUD || role == Role.EDGE) {
                vars.put(EnvDefaults.variable(o.longestName()), o);
            } else {
                Matcher m = ENV_DEFAULT.matcher(rawDefault(o));
                if (m.find()) vars.put(m.group(1), o);
            }
        }
        return vars;
    }

    /** The default as written in the {@code @Option} (picocli's {@code defaultValue()} has the variables resolved). */
    private static String rawDefault(OptionSpec o) {
        if (o.userObject() instanceof java.lang.reflect.Field f) {
            CommandLine.Option option = f.getAnnotation(CommandLine.Option.class);
            if (option != null) return option.defaultValue();
        }
        return "";
    }

    /**
     * The flags these variables stand for; an {@link AssertionError} names a variable the launcher
     * does not have. Empty values are skipped (the nodes ignore an empty variable, as compose's
     * {@code ${X:-}} gives); a boolean flag is given when its value is {@code true}.
     */
    static List<String> flags(Role role, Map<String, String> env) {
        Map<String, OptionSpec> vars = variables(role);
        List<String> args = new ArrayList<>();
        env.forEach((name, value) -> {
            if (!name.startsWith("EDGETWIN_")) return;
            OptionSpec o = vars.get(name);
            if (o == null) throw new AssertionError(role.jar + " has no option for " + name + " (it has: " + vars.keySet() + ")");
            if (value == null || value.isEmpty()) return;
            if (o.type() == boolean.class || o.type() == Boolean.class) {
                if (Boolean.parseBoolean(value)) args.add(o.longestName());
            } else {
                args.add(o.longestName());
                args.add(value);
            }
        });
        return args;
    }

    /** Parses a cloud's flags the way bin/twin-cloud does, checks included; throws on a bad one. */
    static CloudConfig cloud(List<String> args) {
        return CloudMain.parse(args.toArray(String[]::new));
    }

    static EdgeConfig edge(List<String> args) {
        return EdgeMain.parse(args.toArray(String[]::new));
    }

    /** Parses a mapper's or the demo's flags; returns the command line with its values. */
    static CommandLine.ParseResult parse(Role role, List<String> args) {
        return role.command().parseArgs(args.toArray(String[]::new));
    }
}
