package dev.edgetwin.edge.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * KubeEdge's example messages (copied from shared/kubeedge-vectors into the test resources)
 * and a field-by-field comparison of the edge's replies with them.
 *
 * <p>Variable fields, and only these, are compared by shape instead of value: every
 * {@code timestamp} (the edge's clock: an int64 of milliseconds within the test's run),
 * {@code event_id}s the edge generates (a UUID where the vector has a UUID), and
 * {@code last_online}/{@code lastOnlineTime} (RFC 3339 UTC in seconds). Every other member
 * must be present with the same value; the reply may not carry members the vector lacks,
 * except {@code error} (EdgeTwin's stable error code) beside a {@code code}.
 */
public final class Vectors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern RFC3339_SECONDS = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    private final Set<String> used = new HashSet<>();
    private final long since = System.currentTimeMillis();

    public ObjectNode load(String name) {
        used.add(name);
        try (InputStream in = Vectors.class.getResourceAsStream("/kubeedge-vectors/" + name)) {
            if (in == null) throw new AssertionError("no vector " + name);
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String text(String name) {
        return load(name).toString();
    }

    public Set<String> used() {
        return new TreeSet<>(used);
    }

    /** Asserts {@code actual} matches vector {@code name} field by field (see the class comment). */
    public void assertMatches(String name, JsonNode actual) {
        compare(load(name), actual, "$");
    }

    private void compare(JsonNode e, JsonNode a, String path) {
        String key = path.substring(path.lastIndexOf('.') + 1);
        assertThat(a).as(path + " present").isNotNull();
        if (key.equals("timestamp")) {
            assertThat(a.isIntegralNumber()).as(path + " is an int64, got " + a).isTrue();
            assertThat(a.longValue()).as(path + " is the edge's clock during the test").isBetween(since - 60_000, System.currentTimeMillis());
            return;
        }
        if (key.equals("event_id") && UUID.matcher(e.asText()).matches()) {
            assertThat(a.asText()).as(path + " is a generated UUID").matches(UUID);
            return;
        }
        if (key.equals("last_online") || key.equals("lastOnlineTime")) {
            assertThat(a.asText()).as(path).matches(RFC3339_SECONDS);
            return;
        }
        if (e.isObject()) {
            assertThat(a.isObject()).as(path + " is an object, got " + a).isTrue();
            Set<String> expectedKeys = names(e);
            Set<String> actualKeys = names(a);
            if (e.has("code")) actualKeys.remove("error");
            assertThat(actualKeys).as(path + " members").isEqualTo(expectedKeys);
            for (String k : expectedKeys) compare(e.get(k), a.get(k), path + "." + k);
            return;
        }
        if (e.isArray()) {
            assertThat(a.isArray()).as(path + " is an array, got " + a).isTrue();
            assertThat(a.size()).as(path + " size").isEqualTo(e.size());
            for (int i = 0; i < e.size(); i++) compare(e.get(i), a.get(i), path + "[" + i + "]");
            return;
        }
        assertThat(a).as(path).isEqualTo(e);
    }

    private static Set<String> names(JsonNode n) {
        Set<String> out = new TreeSet<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }
}
