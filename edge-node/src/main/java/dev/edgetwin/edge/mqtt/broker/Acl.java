package dev.edgetwin.edge.mqtt.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which topics each client may publish to and subscribe to: the embedded broker's access
 * control list, from a file in (a subset of) mosquitto's {@code acl_file} syntax, one rule per
 * line, {@code #} comments:
 * <pre>
 * topic read $hw/events/node/+/membership/#      before any user line: anonymous clients
 * user mapper-a                                  the lines below, up to the next user line: this user
 * topic readwrite $hw/events/device/default/lamp-1/#
 * pattern readwrite $hw/events/device/default/%u/#   every client; %u its user name, %c its client id
 * </pre>
 * The access is {@code read}, {@code write} or {@code readwrite} (also when left out), or
 * {@code deny} (as in mosquitto 2): no access to the topics the rule matches, whatever other
 * rules grant. With an ACL, what no rule grants is refused: a PUBLISH to a topic no write rule of
 * the client matches (or a deny rule does) is acknowledged (MQTT 3.1.1 section 3.3.5) and dropped,
 * twin topics included; a SUBSCRIBE to a filter that no read rule covers (every topic it matches,
 * matched by the rule), or that a deny rule covers, gets 0x80; a message on a topic a deny rule
 * matches is not delivered to the client even through a subscription that was granted. A
 * pattern whose {@code %u} or {@code %c} would be filled with a name holding {@code /}, {@code +}
 * or {@code #} (or {@code %u} for a client without a user name) does not apply to that client.
 * Immutable.
 */
public final class Acl {
    /** One rule: a topic filter (a pattern's may hold %u and %c) and what it grants, or that it denies all access. */
    record Rule(String filter, boolean read, boolean write, boolean deny) {
    }

    private final List<Rule> anonymous;
    private final Map<String, List<Rule>> byUser;
    private final List<Rule> patterns;
    private final Path source;

    private Acl(List<Rule> anonymous, Map<String, List<Rule>> byUser, List<Rule> patterns, Path source) {
        this.anonymous = anonymous;
        this.byUser = byUser;
        this.patterns = patterns;
        this.source = source;
    }

    public static Acl load(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString()).from(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read MQTT ACL file " + file + ": " + e.getMessage(), e);
        }
    }

    private Acl from(Path file) {
        return new Acl(anonymous, byUser, patterns, file);
    }

    /** The file it was loaded from, or null (parsed from lines). */
    public Path source() {
        return source;
    }

    /** The ACL as its file now says ({@link #load}); itself when it has no file. Throws as {@code load} does. */
    public Acl reloaded() {
        return source == null ? this : load(source);
    }

    /** Parses ACL-file lines; {@code source} names the file in errors, which give the line. */
    public static Acl parse(List<String> lines, String source) {
        List<Rule> anonymous = new ArrayList<>();
        Map<String, List<Rule>> byUser = new HashMap<>();
        List<Rule> patterns = new ArrayList<>();
        List<Rule> current = anonymous;
        int rules = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String where = source + " line " + (i + 1) + ": ";
            String[] words = line.split("\\s+", 2);
            String keyword = words[0];
            String rest = words.length > 1 ? words[1].strip() : "";
            switch (keyword) {
                case "user" -> {
                    if (rest.isEmpty()) throw new IllegalArgumentException(where + "user needs a name");
                    current = byUser.computeIfAbsent(rest, u -> new ArrayList<>());
                }
                case "topic", "pattern" -> {
                    Rule rule = rule(rest, keyword.equals("pattern"), where);
                    (keyword.equals("pattern") ? patterns : current).add(rule);
                    rules++;
                }
                default -> throw new IllegalArgumentException(where + "expected user, topic or pattern, got '" + keyword + "'");
            }
        }
        if (rules == 0) throw new IllegalArgumentException(source + " has no topic or pattern rule: it would refuse everything");
        return new Acl(List.copyOf(anonymous), Map.copyOf(byUser), List.copyOf(patterns), null);
    }

    private static Rule rule(String text, boolean pattern, String where) {
        String[] words = text.split("\\s+", 2);
        boolean read = true;
        boolean write = true;
        boolean deny = false;
        String filter = text;
        if (words.length == 2) {
            switch (words[0]) {
                case "read" -> write = false;
                case "write" -> read = false;
                case "readwrite" -> { }
                case "deny" -> {
                    read = false;
                    write = false;
                    deny = true;
                }
                default -> words = null;
            }
            if (words != null) filter = words[1].strip();
        }
        if (filter.isEmpty()) throw new IllegalArgumentException(where + "a rule needs a topic");
        // a pattern is checked with sample names in place of %u and %c: after filling in, it must be a valid filter
        String checked = pattern ? filter.replace("%u", "u").replace("%c", "c") : filter;
        String bad = Topics.checkFilter(checked, Integer.MAX_VALUE);
        if (bad != null) throw new IllegalArgumentException(where + "'" + filter + "' is not a topic filter: " + bad);
        return new Rule(filter, read, write, deny);
    }

    /** The rules of one connection: its user's (the anonymous ones without a user name) and every pattern that applies to it. */
    public Grants grants(String username, String clientId) {
        List<Rule> own = new ArrayList<>(username == null ? anonymous : byUser.getOrDefault(username, List.of()));
        for (Rule p : patterns) {
            String f = p.filter();
            if (f.contains("%u")) {
                if (!Topics.isOneLevel(username)) continue;
                f = f.replace("%u", username);
            }
            if (f.contains("%c")) {
                if (!Topics.isOneLevel(clientId)) continue;
                f = f.replace("%c", clientId);
            }
            own.add(new Rule(f, p.read(), p.write(), p.deny()));
        }
        return new Grants(own);
    }

    /**
     * True when every topic {@code filter} matches is matched by {@code rule} (both valid filters):
     * {@code #} covers the rest; {@code +} covers one level, whatever it holds but {@code #};
     * a plain level covers only itself.
     */
    static boolean covers(String rule, String filter) {
        if (filter.startsWith("$") && (rule.startsWith("+") || rule.startsWith("#"))) return false;
        String[] r = rule.split("/", -1);
        String[] f = filter.split("/", -1);
        for (int i = 0; i < r.length; i++) {
            if (r[i].equals("#")) return true;
            if (i >= f.length || f[i].equals("#")) return false;
            if (!r[i].equals("+") && !r[i].equals(f[i])) return false;
        }
        return r.length == f.length;
    }

    /** What one connection may do. Not thread-safe (its cache): used on the connection's loop. */
    public static final class Grants {
        private static final int CACHE = 64;   // a connection publishes to a few topics; 10,000 connections hold at most 640,000 answers
        private final List<Rule> rules;
        private final List<String> denied;
        private final Map<String, Boolean> publishable = new HashMap<>();

        private Grants(List<Rule> rules) {
            this.rules = rules;
            this.denied = rules.stream().filter(Rule::deny).map(Rule::filter).toList();
        }

        /** Whether a write rule and no deny rule matches the topic name (remembered for the last {@value #CACHE} topics or so). */
        public boolean mayPublish(String topic) {
            Boolean known = publishable.get(topic);
            if (known != null) return known;
            boolean ok = false;
            for (Rule r : rules) {
                if (r.write() && Topics.matches(r.filter(), topic)) {
                    ok = true;
                    break;
                }
            }
            if (ok && isDenied(topic)) ok = false;
            if (publishable.size() >= CACHE) publishable.clear();
            publishable.put(topic, ok);
            return ok;
        }

        /**
         * Whether a read rule covers the topic filter (a shared subscription's: the filter it
         * reads) and no deny rule does; a topic name is a filter that matches only itself.
         */
        public boolean maySubscribe(String filter) {
            String read = Topics.readFilter(filter);
            for (String d : denied) {
                if (covers(d, read)) return false;
            }
            for (Rule r : rules) {
                if (r.read() && covers(r.filter(), read)) return true;
            }
            return false;
        }

        /** Whether a deny rule matches the topic name: nothing on it reaches the client. */
        public boolean isDenied(String topic) {
            for (String d : denied) {
                if (Topics.matches(d, topic)) return true;
            }
            return false;
        }

        /** Whether any deny rule applies to this connection (only then must deliveries be checked). */
        public boolean hasDenials() {
            return !denied.isEmpty();
        }
    }
}
