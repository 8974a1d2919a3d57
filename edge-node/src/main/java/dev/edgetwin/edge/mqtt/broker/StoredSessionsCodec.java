package dev.edgetwin.edge.mqtt.broker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgetwin.log.model.JsonValues;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The persistent sessions kept across a restart of the embedded broker, as a JSON document
 * (format in edge-node/MQTT.md, "Sessions across restarts"):
 * <pre>{"format":"edgetwin-mqtt-sessions","version":1,
 *  "sessions":[{"clientId":"mapper-1","subscriptions":[{"filter":"$hw/events/device/+/twin/update/delta","qos":1}]},
 *   {"clientId":"app-5","expirySeconds":3600,"subscriptions":[{"filter":"lamps/#","qos":1,"noLocal":true,"retainAsPublished":true,
 *    "subscriptionId":7}]}]}</pre>
 * Sessions in the order they are to be restored; an MQTT 5 client's session with the expiry
 * interval it asked for and its subscriptions' option flags and identifiers (each only when given,
 * so a file of MQTT 3.1.1 sessions reads as before). No I/O here: the adapter reads and writes the file.
 */
public final class StoredSessionsCodec {
    public static final String FORMAT = "edgetwin-mqtt-sessions";
    public static final int VERSION = 1;
    /** The largest MQTT 5 Subscription Identifier (a variable byte integer of at most four bytes). */
    public static final int MAX_SUBSCRIPTION_ID = 268_435_455;

    private StoredSessionsCodec() {
    }

    public static byte[] encode(List<Broker.StoredSession> sessions) {
        ObjectNode root = JsonValues.MAPPER.createObjectNode();
        root.put("format", FORMAT).put("version", VERSION);
        ArrayNode list = root.putArray("sessions");
        for (Broker.StoredSession s : sessions) {
            ObjectNode o = list.addObject().put("clientId", s.clientId());
            if (s.expirySeconds() != Broker.SERVER_EXPIRY) o.put("expirySeconds", s.expirySeconds());
            ArrayNode subs = o.putArray("subscriptions");
            s.subscriptions().forEach((filter, options) -> {
                ObjectNode sub = subs.addObject().put("filter", filter).put("qos", SubscriptionOptions.qos(options));
                if (SubscriptionOptions.noLocal(options)) sub.put("noLocal", true);
                if (SubscriptionOptions.retainAsPublished(options)) sub.put("retainAsPublished", true);
                Integer id = s.subscriptionIds().get(filter);
                if (id != null) sub.put("subscriptionId", id);
            });
        }
        try {
            return JsonValues.MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sessions of a document {@link #encode} wrote; anything else fails with a message saying what is wrong. */
    public static List<Broker.StoredSession> decode(byte[] bytes) {
        JsonNode root;
        try {
            root = JsonValues.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText(null))) {
            throw new IllegalArgumentException("not a \"" + FORMAT + "\" document");
        }
        if (root.path("version").asInt(-1) != VERSION) {
            throw new IllegalArgumentException("version " + root.path("version") + " is not " + VERSION);
        }
        JsonNode list = root.path("sessions");
        if (!list.isArray()) throw new IllegalArgumentException("\"sessions\" must be an array");
        List<Broker.StoredSession> out = new ArrayList<>(list.size());
        for (JsonNode s : list) {
            JsonNode id = s.path("clientId");
            if (!id.isTextual() || id.asText().isEmpty()) throw new IllegalArgumentException("session " + out.size() + ": no clientId");
            JsonNode expiry = s.path("expirySeconds");
            if (!expiry.isMissingNode() && (!expiry.canConvertToLong() || !expiry.isIntegralNumber() || expiry.asLong() < 0
                    || expiry.asLong() > Broker.NEVER_EXPIRES)) {
                throw new IllegalArgumentException("session " + id.asText() + ": \"expirySeconds\" must be 0.." + Broker.NEVER_EXPIRES + ", got " + expiry);
            }
            JsonNode subs = s.path("subscriptions");
            if (!subs.isArray()) throw new IllegalArgumentException("session " + id.asText() + ": \"subscriptions\" must be an array");
            Map<String, Integer> filters = new LinkedHashMap<>();
            Map<String, Integer> ids = new LinkedHashMap<>();
            for (JsonNode sub : subs) {
                JsonNode filter = sub.path("filter");
                JsonNode qos = sub.path("qos");
                if (!filter.isTextual() || !qos.isInt() || qos.asInt() < 0 || qos.asInt() > 2) {
                    throw new IllegalArgumentException("session " + id.asText() + ": a subscription needs a \"filter\" string and a \"qos\" of 0, 1 or 2, got "
                            + sub);
                }
                filters.put(filter.asText(), SubscriptionOptions.request(qos.asInt(), flag(sub, "noLocal", id.asText()),
                        flag(sub, "retainAsPublished", id.asText()), 0));
                JsonNode subscriptionId = sub.path("subscriptionId");
                if (!subscriptionId.isMissingNode()) {
                    if (!subscriptionId.isInt() || subscriptionId.asInt() < 1 || subscriptionId.asInt() > MAX_SUBSCRIPTION_ID) {
                        throw new IllegalArgumentException("session " + id.asText() + ": \"subscriptionId\" must be 1.." + MAX_SUBSCRIPTION_ID
                                + ", got " + subscriptionId);
                    }
                    ids.put(filter.asText(), subscriptionId.asInt());
                }
            }
            out.add(new Broker.StoredSession(id.asText(), filters, expiry.isMissingNode() ? Broker.SERVER_EXPIRY : expiry.asLong(), ids));
        }
        return out;
    }

    private static boolean flag(JsonNode sub, String name, String clientId) {
        JsonNode f = sub.path(name);
        if (f.isMissingNode()) return false;
        if (!f.isBoolean()) throw new IllegalArgumentException("session " + clientId + ": \"" + name + "\" must be true or false, got " + f);
        return f.asBoolean();
    }
}
