package dev.edgetwin.edge.mqtt.broker;

import java.nio.charset.StandardCharsets;

/**
 * MQTT 3.1.1 topic names and topic filters (section 4.7): syntax checks and matching.
 *
 * <p>A name has no wildcard; a filter may use {@code +} for exactly one level and {@code #}
 * (last level only) for any number of levels including none. A topic starting with {@code $}
 * is not matched by a filter whose first level is a wildcard ({@code #} or {@code +/…}), so
 * broker-internal and KubeEdge {@code $hw/…} topics stay out of catch-all subscriptions.
 */
public final class Topics {
    private Topics() {
    }

    /**
     * Whether {@code name} (a client id or user name) can fill exactly one level of a topic: not empty,
     * without {@code /}, {@code +}, {@code #} or the NUL character.
     */
    public static boolean isOneLevel(String name) {
        if (name == null || name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '+' || c == '#' || c == 0) return false;
        }
        return true;
    }

    /** Null when {@code name} is a valid topic name of at most {@code maxBytes} UTF-8 bytes, else the reason. */
    public static String checkName(String name, int maxBytes) {
        String common = checkCommon(name, maxBytes);
        if (common != null) return common;
        if (name.indexOf('+') >= 0 || name.indexOf('#') >= 0) return "a topic name must not contain + or #";
        return null;
    }

    /** Null when {@code filter} is a valid topic filter of at most {@code maxBytes} UTF-8 bytes, else the reason. */
    public static String checkFilter(String filter, int maxBytes) {
        String common = checkCommon(filter, maxBytes);
        if (common != null) return common;
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.equals("#")) {
                if (i != levels.length - 1) return "# must be the last level of a filter";
            } else if (!level.equals("+") && (level.indexOf('#') >= 0 || level.indexOf('+') >= 0)) {
                return "a wildcard must fill a whole level";
            }
        }
        return null;
    }

    private static String checkCommon(String topic, int maxBytes) {
        if (topic == null || topic.isEmpty()) return "a topic must not be empty";
        if (topic.indexOf('\u0000') >= 0) return "a topic must not contain U+0000";
        // a char is at most 3 UTF-8 bytes: most topics need no encoding to know they fit
        if ((long) topic.length() * 3 > maxBytes && topic.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            return "a topic must not exceed " + maxBytes + " bytes";
        }
        return null;
    }

    /** The prefix of the broker's own topics (mosquitto's {@code $SYS/broker/...}): clients may not publish there, and they are not kept across restarts. */
    public static final String SYS = "$SYS/";
    /** How a shared subscription's filter starts: {@code $share/<group>/<filter>} (MQTT 5 section 4.8.2). */
    public static final String SHARED = "$share/";

    /** Whether {@code filter} is a shared subscription's ({@code $share/...}). */
    public static boolean isShared(String filter) {
        return filter.startsWith(SHARED);
    }

    /**
     * Null when {@code filter} is a valid shared subscription: {@code $share/}, a group name of at
     * least one character without {@code /}, {@code +} or {@code #}, {@code /}, and a valid topic filter.
     */
    public static String checkShared(String filter, int maxBytes) {
        String common = checkCommon(filter, maxBytes);
        if (common != null) return common;
        int slash = filter.indexOf('/', SHARED.length());
        if (slash <= SHARED.length()) return "a shared subscription is $share/<group>/<filter>";
        String group = filter.substring(SHARED.length(), slash);
        if (group.indexOf('+') >= 0 || group.indexOf('#') >= 0) return "a share group name must not contain + or #";
        return checkFilter(filter.substring(slash + 1), maxBytes);
    }

    /** Null when {@code filter} is valid in a SUBSCRIBE: a shared subscription's ({@link #checkShared}) or a plain topic filter. */
    public static String checkSubscription(String filter, int maxBytes) {
        return isShared(filter) ? checkShared(filter, maxBytes) : checkFilter(filter, maxBytes);
    }

    /** The topic filter {@code filter} reads: a (valid) shared subscription's own filter, any other filter itself. */
    public static String readFilter(String filter) {
        if (!isShared(filter)) return filter;
        int slash = filter.indexOf('/', SHARED.length());
        return slash < 0 ? filter : filter.substring(slash + 1);
    }

    /** True when the valid {@code filter} matches the valid topic {@code name}. */
    public static boolean matches(String filter, String name) {
        if (name.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) return false;
        String[] f = filter.split("/", -1);
        String[] n = name.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) return true;
            if (i >= n.length) return false;
            if (!f[i].equals("+") && !f[i].equals(n[i])) return false;
        }
        return f.length == n.length;
    }
}
