package dev.edgetwin.gpio.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small KubeEdge edge for tests: a third-party MQTT client (HiveMQ) that answers the twin topics
 * the way KubeEdge's devicetwin does (KUBEEDGE-COMPAT.md section 4, the vectors in
 * kubeedge-vectors/): membership get, twin get, twin update (result, document, delta), state update.
 * Tests register devices, change expected values as the cloud would, and read what the mapper
 * reported. Not the EdgeTwin edge: the mapper must work against either.
 */
public final class FakeKubeEdge implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEVICE_TOPIC = Pattern.compile("\\$hw/events/device/([^/]*)/([^/]*)/(twin/update|twin/get|state/update)");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9\\-_.,:/@#]{1,128}");
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9\\-_.,:/@#]{1,512}");

    /** A stored twin property, KubeEdge's MsgTwin without versions. */
    static final class Prop {
        String expected;
        long expectedTs;
        String actual;
        long actualTs;
        boolean optional = true;
        String type = "string";
    }

    static final class Device {
        final String id;
        final Map<String, Prop> twin = new TreeMap<>();
        String state = "";
        String lastOnline = "";

        Device(String id) {
            this.id = id;
        }
    }

    /** One message the fake received. */
    public record Received(String topic, JsonNode body) {
    }

    private final String node;
    private final int port;
    private final Map<String, Device> devices = new LinkedHashMap<>();
    private final List<Received> received = new ArrayList<>();
    private Mqtt3AsyncClient client;
    private final Map<String, Integer> dropActualReports = new java.util.HashMap<>();
    private final Map<String, Integer> dropped = new java.util.HashMap<>();

    private FakeKubeEdge(String node, int port) {
        this.node = node;
        this.port = port;
    }

    /** Connects to the broker on 127.0.0.1:{@code port} as the edge of node {@code node}. */
    public static FakeKubeEdge connect(String node, int port) {
        FakeKubeEdge edge = new FakeKubeEdge(node, port);
        edge.reconnect();
        return edge;
    }

    /**
     * (Re)connects and subscribes, as the edge does after a broker restart; state is kept. Like
     * an edge, it tries again (for up to 15 s) when the broker closes the connection at once: a
     * Moquette just restarted by the test before may still drop a first connection.
     */
    public void reconnect() {
        if (client != null) disconnect();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            Mqtt3AsyncClient c = MqttClient.builder().useMqttVersion3().identifier("fake-kubeedge-" + node)
                    .serverHost("127.0.0.1").serverPort(port).buildAsync();
            try {
                c.connectWith().cleanSession(true).send().get(10, TimeUnit.SECONDS);
                client = c;
                for (String filter : List.of("$hw/events/device/+/+/twin/+", "$hw/events/device/+/+/state/update", "$hw/events/node/+/membership/get")) {
                    c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).callback(this::onPublish).send().get(10, TimeUnit.SECONDS);
                }
                return;
            } catch (Exception e) {
                if (client != null) disconnect();
                if (System.nanoTime() > deadline) throw new IllegalStateException("fake edge cannot connect to port " + port + ": " + e, e);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while connecting the fake edge", ie);
                }
            }
        }
    }

    /** Publishes raw bytes, as a misbehaving client could. */
    public void publishRaw(String topic, byte[] payload) {
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send().join();
    }

    public void disconnect() {
        try {
            client.disconnect().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the broker may be gone already
        }
        client = null;
    }

    @Override
    public void close() {
        if (client != null) disconnect();
    }

    // ---- test controls (as the cloud would)

    /** A device bound to this edge, with no properties; publishes membership/updated (added). */
    public synchronized void addDevice(String id) {
        devices.putIfAbsent(id, new Device(id));
        ObjectNode msg = base(UUID.randomUUID().toString());
        msg.putArray("added_devices").add(deviceRef(id));
        msg.putNull("removed_devices");
        publish("$hw/events/node/" + node + "/membership/updated", msg);
    }

    /** Knows the device without announcing it (as after an edge restart). */
    public synchronized void knowDevice(String id) {
        devices.putIfAbsent(id, new Device(id));
    }

    /** The cloud sets an expected value (stored as a non-optional string property when new); the edge sends the delta. */
    public synchronized void setExpected(String id, String property, String value) {
        Device d = device(id);
        Prop p = d.twin.computeIfAbsent(property, k -> {
            Prop n = new Prop();
            n.optional = false;
            return n;
        });
        p.expected = value;
        p.expectedTs = System.currentTimeMillis();
        publishDelta(d);
    }

    /** Sets an expected value with no message: what the cloud changed while nobody was connected. */
    public synchronized void setExpectedQuietly(String id, String property, String value) {
        Prop p = device(id).twin.computeIfAbsent(property, k -> new Prop());
        p.expected = value;
        p.expectedTs = System.currentTimeMillis();
    }

    /** Ignores the device's next {@code n} twin updates that carry an actual value, as if they were lost on the way. */
    public synchronized void dropActualReports(String id, int n) {
        dropActualReports.put(id, n);
    }

    /** How many of the device's reports were dropped so far. */
    public synchronized int dropped(String id) {
        return dropped.getOrDefault(id, 0);
    }

    public synchronized String actual(String id, String property) {
        Prop p = device(id).twin.get(property);
        return p == null ? null : p.actual;
    }

    public synchronized String expected(String id, String property) {
        Prop p = device(id).twin.get(property);
        return p == null ? null : p.expected;
    }

    public synchronized String state(String id) {
        return device(id).state;
    }

    /** Messages received on topics ending with {@code suffix}, in order. */
    public synchronized List<Received> received(String suffix) {
        return received.stream().filter(r -> r.topic().endsWith(suffix)).toList();
    }

    private Device device(String id) {
        Device d = devices.get(id);
        if (d == null) throw new IllegalArgumentException("unknown device " + id);
        return d;
    }

    // ---- the edge's side of the protocol

    private synchronized void onPublish(Mqtt3Publish message) {
        String topic = message.getTopic().toString();
        byte[] payload = message.getPayloadAsBytes();
        JsonNode body;
        try {
            body = JSON.readTree(payload);
        } catch (IOException e) {
            body = null;
        }
        received.add(new Received(topic, body));
        if (topic.endsWith("/membership/get")) {
            membershipGet(body);
            return;
        }
        Matcher m = DEVICE_TOPIC.matcher(topic);
        if (!m.matches()) return;
        String id = m.group(1) + "/" + m.group(2);
        switch (m.group(3)) {
            case "twin/get" -> twinGet(id, body);
            case "twin/update" -> twinUpdate(id, body);
            case "state/update" -> stateUpdate(id, body);
            default -> { }
        }
    }

    private void membershipGet(JsonNode body) {
        String topic = "$hw/events/node/" + node + "/membership/get/result";
        if (body == null || !body.isObject()) {
            publish(topic, error("", 400, "Unmarshal get membership info failed"));
            return;
        }
        ObjectNode result = base(text(body, "event_id"));
        var list = result.putArray("devices");
        for (Device d : devices.values()) {
            ObjectNode ref = deviceRef(d.id);
            if (!d.state.isEmpty()) ref.put("state", d.state);
            if (!d.lastOnline.isEmpty()) ref.put("last_online", d.lastOnline);
            list.add(ref);
        }
        publish(topic, result);
    }

    private void twinGet(String id, JsonNode body) {
        String topic = "$hw/events/device/" + id + "/twin/get/result";
        if (body == null || !body.isObject()) {
            publish(topic, error("", 400, "Unmarshal twin info failed"));
            return;
        }
        String eventId = text(body, "event_id");
        Device d = devices.get(id);
        if (d == null) {
            publish(topic, error(eventId, 404, "Device " + id + " not found while getting twin"));
            return;
        }
        ObjectNode result = base(eventId);
        ObjectNode twin = result.putObject("twin");
        d.twin.forEach((k, p) -> twin.set(k, msgTwin(p)));
        publish(topic, result);
    }

    private void twinUpdate(String id, JsonNode body) {
        String badBody = "$hw/events/device//twin/update/result";
        if (body == null || !body.isObject()) {
            publish(badBody, error("", 400, "Unmarshal update request body failed, please check the request"));
            return;
        }
        JsonNode twin = field(body, "twin");
        if (twin == null || twin.isNull()) {
            publish(badBody, error("", 400, "Update twin error, key:twin does not exist"));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = twin.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!KEY.matcher(e.getKey()).matches()) {
                publish(badBody, error("", 400, "The key of twin must only include upper or lowercase letters, number, english, and special letter - _ . , : / @ # and the length of key should be less than 128 bytes"));
                return;
            }
            for (String half : List.of("expected", "actual")) {
                String v = value(field(e.getValue(), half));
                if (v != null && !v.isEmpty() && !VALUE.matcher(v).matches()) {
                    publish(badBody, error("", 400, "The value of twin must only include upper or lowercase letters, number, english, and special letter - _ . , : / @ # and the length of value should be less than 512 bytes"));
                    return;
                }
            }
        }
        String eventId = text(body, "event_id");
        String resultTopic = "$hw/events/device/" + id + "/twin/update/result";
        Device d = devices.get(id);
        if (d == null) {
            publish(resultTopic, error(eventId, 404, "update rejected due to the device is not existed"));
            return;
        }
        boolean carriesActual = false;
        for (JsonNode p : twin) carriesActual |= field(p, "actual") != null && !field(p, "actual").isNull();
        if (carriesActual && dropActualReports.getOrDefault(id, 0) > 0) {
            dropActualReports.merge(id, -1, Integer::sum);
            dropped.merge(id, 1, Integer::sum);
            return;
        }
        long now = System.currentTimeMillis();
        Map<String, Prop> updated = new TreeMap<>();
        ObjectNode resultTwin = JSON.createObjectNode();
        ObjectNode document = JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = twin.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Prop stored = d.twin.get(e.getKey());
            JsonNode req = e.getValue();
            if (req.isNull()) {
                if (stored != null && stored.optional && (stored.expected != null || stored.actual != null)) {
                    resultTwin.putNull(e.getKey());
                    ObjectNode doc = document.putObject(e.getKey());
                    doc.set("last", msgTwin(stored));
                    doc.putNull("current");
                    updated.put(e.getKey(), null);
                }
                continue;
            }
            boolean added = stored == null;
            Prop next = copy(stored);
            JsonNode meta = field(req, "metadata");
            if (added) next.type = meta != null && field(meta, "type") != null ? field(meta, "type").asText() : "string";
            if (added && field(req, "optional") != null) next.optional = field(req, "optional").asBoolean();
            String expected = value(field(req, "expected"));
            String actual = value(field(req, "actual"));
            String wrong = typeError(next.type, actual);
            if (wrong == null && (added || stored.expected != null)) wrong = typeError(next.type, expected);
            if (wrong != null) {
                publish(resultTopic, error(eventId, 400, wrong));
                return; // nothing stored
            }
            ObjectNode out = JSON.createObjectNode();
            if (expected != null) {
                next.expected = expected;
                next.expectedTs = now;
                out.set("expected", half(expected, now));
            }
            if (actual != null) {
                next.actual = actual;
                next.actualTs = now;
                out.set("actual", half(actual, now));
            }
            if (expected == null && actual == null && !added) continue;
            out.put("optional", next.optional);
            out.putObject("metadata").put("type", next.type);
            resultTwin.set(e.getKey(), added ? msgTwin(next) : out);
            ObjectNode doc = document.putObject(e.getKey());
            if (added) doc.putNull("last");
            else doc.set("last", msgTwin(stored));
            doc.set("current", msgTwin(next));
            updated.put(e.getKey(), next);
        }
        updated.forEach((k, p) -> {
            if (p == null) d.twin.remove(k);
            else d.twin.put(k, p);
        });
        ObjectNode result = base(eventId);
        result.set("twin", resultTwin);
        publish(resultTopic, result);
        if (!updated.isEmpty()) {
            ObjectNode doc = base(eventId);
            doc.set("twin", document);
            publish("$hw/events/device/" + id + "/twin/update/document", doc);
        }
        publishDelta(d);
    }

    private void stateUpdate(String id, JsonNode body) {
        Device d = devices.get(id);
        String state = body == null ? null : text(body, "state");
        if (d == null || state == null || !List.of("online", "offline", "ok", "unknown", "unhealthy").contains(state.toLowerCase())) {
            return; // KubeEdge ignores these silently
        }
        d.state = state;
        boolean up = state.equalsIgnoreCase("online") || state.equalsIgnoreCase("ok");
        d.lastOnline = up ? Instant.now().truncatedTo(ChronoUnit.SECONDS).toString() : "";
        ObjectNode result = base(UUID.randomUUID().toString());
        ObjectNode dev = result.putObject("device");
        dev.put("name", id.substring(id.indexOf('/') + 1));
        dev.put("state", state);
        if (!d.lastOnline.isEmpty()) dev.put("lastOnlineTime", d.lastOnline);
        publish("$hw/events/device/" + id + "/state/update/result", result);
    }

    private void publishDelta(Device d) {
        ObjectNode twin = JSON.createObjectNode();
        ObjectNode delta = JSON.createObjectNode();
        d.twin.forEach((k, p) -> {
            if (p.expected == null || p.expected.isEmpty()) return;
            twin.set(k, msgTwin(p));
            if (!p.expected.equals(p.actual == null ? "" : p.actual)) delta.put(k, p.expected);
        });
        if (delta.isEmpty()) return;
        ObjectNode msg = base(UUID.randomUUID().toString());
        msg.set("twin", twin);
        msg.set("delta", delta);
        publish("$hw/events/device/" + d.id + "/twin/update/delta", msg);
    }

    // ---- JSON helpers

    private static String typeError(String type, String value) {
        if (value == null) return null;
        switch (type) {
            case "", "string", "deleted":
                return null;
            case "int", "integer":
                try {
                    Long.parseLong(value);
                    return null;
                } catch (NumberFormatException e) {
                    return "the value is not int or integer";
                }
            case "float":
                try {
                    Double.parseDouble(value);
                    return null;
                } catch (NumberFormatException e) {
                    return "the value is not float";
                }
            case "boolean":
                return value.equals("true") || value.equals("false") ? null : "the bool value must be true or false";
            default:
                return "the value type is not allowed";
        }
    }

    private static Prop copy(Prop p) {
        Prop c = new Prop();
        if (p == null) return c;
        c.expected = p.expected;
        c.expectedTs = p.expectedTs;
        c.actual = p.actual;
        c.actualTs = p.actualTs;
        c.optional = p.optional;
        c.type = p.type;
        return c;
    }

    private static ObjectNode msgTwin(Prop p) {
        ObjectNode t = JSON.createObjectNode();
        if (p.expected != null) t.set("expected", half(p.expected, p.expectedTs));
        if (p.actual != null) t.set("actual", half(p.actual, p.actualTs));
        t.put("optional", p.optional);
        t.putObject("metadata").put("type", p.type);
        return t;
    }

    private static ObjectNode half(String value, long ts) {
        ObjectNode h = JSON.createObjectNode();
        h.put("value", value);
        if (ts != 0) h.putObject("metadata").put("timestamp", ts);
        return h;
    }

    private static ObjectNode deviceRef(String id) {
        ObjectNode ref = JSON.createObjectNode();
        ref.put("id", id);
        ref.put("name", id.substring(id.indexOf('/') + 1));
        return ref;
    }

    private static ObjectNode base(String eventId) {
        ObjectNode n = JSON.createObjectNode();
        n.put("event_id", eventId);
        n.put("timestamp", System.currentTimeMillis());
        return n;
    }

    private static ObjectNode error(String eventId, int code, String reason) {
        ObjectNode n = base(eventId);
        n.put("code", code);
        n.put("reason", reason);
        return n;
    }

    private static JsonNode field(JsonNode o, String name) {
        if (o == null || !o.isObject()) return null;
        if (o.has(name)) return o.get(name);
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (k.equalsIgnoreCase(name)) return o.get(k);
        }
        return null;
    }

    private static String text(JsonNode o, String name) {
        JsonNode f = field(o, name);
        return f == null || f.isNull() ? "" : f.asText();
    }

    private static String value(JsonNode half) {
        JsonNode v = field(half, "value");
        return v == null || v.isNull() ? null : v.asText();
    }

    private void publish(String topic, ObjectNode body) {
        Mqtt3AsyncClient c = client;
        if (c == null) return;
        c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).send();
    }
}
