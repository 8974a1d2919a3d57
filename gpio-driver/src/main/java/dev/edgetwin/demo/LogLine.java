package dev.edgetwin.demo;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the demo reads in its processes' log lines (slf4j-simple's {@code <time> <LEVEL> <Logger> - <message>}):
 * the ports they chose ({@code … http listening on 127.0.0.1:<port>}, DESIGN.md section 8) and the
 * few events worth a status line on the terminal.
 */
final class LogLine {
    private static final Pattern LISTENING = Pattern.compile("\\b(http|mqtt) listening on (\\S+):(\\d+)");
    private static final Pattern SHAPE = Pattern.compile("^\\S+ (TRACE|DEBUG|INFO|WARN|ERROR) \\S+ - (.*)$");
    private static final Pattern SYNC = Pattern.compile("^sync (\\S+) \\((edge|cloud)\\): (streaming|closed [^;]*)");
    private static final Pattern LEVEL_CHANGE = Pattern.compile("^gpio (\\S+) \\((\\S+) (\\S+)\\) level (\\d+) -> (\\d+) \\((\\w+)\\)");
    static final int MAX_WIDTH = 200;

    /** A port a process listens on: {@code http} or {@code mqtt}. */
    record Port(String name, int port) {
    }

    private LogLine() {
    }

    static Optional<Port> port(String line) {
        Matcher m = LISTENING.matcher(line);
        return m.find() ? Optional.of(new Port(m.group(1), Integer.parseInt(m.group(3)))) : Optional.empty();
    }

    /** The message of a log line, or the whole line when it is not one (a JVM error, a stack trace). */
    static String message(String line) {
        Matcher m = SHAPE.matcher(line);
        return m.matches() ? m.group(2) : line;
    }

    /** The status line a log line is worth on the terminal, or null: warnings, errors, sync connections, lamp lines. */
    static String notable(Topology.Role role, String line) {
        Matcher shape = SHAPE.matcher(line);
        if (!shape.matches()) return line.startsWith("error:") || line.startsWith("Exception") ? shorten(line) : null;
        String level = shape.group(1);
        String message = shape.group(2);
        if (level.equals("WARN") || level.equals("ERROR")) return shorten(level + " " + message);
        Matcher sync = SYNC.matcher(message);
        if (sync.find()) {
            String node = sync.group(1);
            boolean streaming = sync.group(3).equals("streaming");
            if (role == Topology.Role.EDGE) return streaming ? "connected to the cloud (sync streaming)" : "sync " + sync.group(3);
            if (role == Topology.Role.CLOUD) return node + (streaming ? " connected (sync streaming)" : " disconnected: sync " + sync.group(3));
        }
        Matcher lamp = LEVEL_CHANGE.matcher(message);
        if (lamp.find()) {
            String device = lamp.group(2).replaceFirst("^default/", "");
            return device + " " + lamp.group(3) + ": line " + lamp.group(1) + " level " + lamp.group(4) + " -> " + lamp.group(5)
                    + " (" + lamp.group(6) + ")";
        }
        return null;
    }

    static String shorten(String text) {
        return text.length() <= MAX_WIDTH ? text : text.substring(0, MAX_WIDTH - 1) + "…";
    }
}
