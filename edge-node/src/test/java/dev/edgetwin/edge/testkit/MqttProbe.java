package dev.edgetwin.edge.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
import com.hivemq.client.mqtt.exceptions.MqttSessionExpiredException;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * A real third-party MQTT client (HiveMQ, MQTT 3.1.1) playing a mapper or an app: publishes,
 * and collects what it receives so a test can take the next message of a topic.
 */
public final class MqttProbe implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Mqtt3BlockingClient client;
    private final List<Mqtt3Publish> received = new ArrayList<>();

    private MqttProbe(Mqtt3BlockingClient client) {
        this.client = client;
    }

    /** Connects with a clean session and subscribes to {@code filters} at QoS 1. */
    public static MqttProbe connect(int port, String... filters) {
        return connect(port, "probe-" + UUID.randomUUID(), null, null, filters);
    }

    public static MqttProbe connect(int port, String clientId, String user, String password, String... filters) {
        // Moquette (external-broker tests) now and then closes a connection whose SUBSCRIBE follows
        // the CONNECT too closely ("SUBSCRIBE received on already closed connection"): a race in the
        // broker under test's harness, not in EdgeTwin, so setting up is tried again, at most 3 times
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(port, clientId, user, password, filters);
            } catch (MqttSessionExpiredException | ConnectionClosedException e) {
                if (attempt == 3) throw e;
            }
        }
    }

    private static MqttProbe attempt(int port, String clientId, String user, String password, String... filters) {
        var builder = MqttClient.builder().useMqttVersion3().identifier(clientId).serverHost("127.0.0.1").serverPort(port);
        if (user != null) builder = builder.simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
        MqttProbe probe = new MqttProbe(builder.buildBlocking());
        probe.client.toAsync().publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL, probe::collect);
        probe.client.connect();
        try {
            for (String f : filters) probe.client.subscribeWith().topicFilter(f).qos(MqttQos.AT_LEAST_ONCE).send();
        } catch (RuntimeException e) {
            if (probe.client.getState().isConnectedOrReconnect()) probe.client.disconnect();
            throw e;
        }
        return probe;
    }

    private void collect(Mqtt3Publish p) {
        synchronized (received) {
            received.add(p);
            received.notifyAll();
        }
    }

    /** Publishes at QoS 1 and returns once the broker acknowledged it (PUBACK). */
    public void publish(String topic, String payload) {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    public void publish(String topic, byte[] payload) {
        client.publishWith().topic(topic).payload(payload).qos(MqttQos.AT_LEAST_ONCE).send();
    }

    public Mqtt3BlockingClient client() {
        return client;
    }

    /** Takes the oldest unread message on {@code topic}, waiting up to {@code timeout}; fails when none comes. */
    public Mqtt3Publish take(String topic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            while (true) {
                for (Iterator<Mqtt3Publish> it = received.iterator(); it.hasNext(); ) {
                    Mqtt3Publish p = it.next();
                    if (p.getTopic().toString().equals(topic)) {
                        it.remove();
                        return p;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("no message on " + topic + " within " + timeout + "; unread: " + topics());
                try {
                    received.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** The next message on {@code topic} as JSON (waits up to 20 s). */
    public JsonNode json(String topic) {
        try {
            return JSON.readTree(take(topic, Duration.ofSeconds(20)).getPayloadAsBytes());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON on " + topic, e);
        }
    }

    public String text(String topic) {
        return new String(take(topic, Duration.ofSeconds(20)).getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    /** Topics of messages received and not taken yet. */
    public List<String> topics() {
        synchronized (received) {
            List<String> out = new ArrayList<>();
            received.forEach(p -> out.add(p.getTopic().toString()));
            return out;
        }
    }

    /** Waits {@code quiet} and fails if a message arrived on {@code topic} meanwhile (or before, unread). */
    public void assertNothingOn(String topic, Duration quiet) {
        try {
            Thread.sleep(quiet.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (topics().contains(topic)) throw new AssertionError("unexpected message on " + topic + ": " + topics());
    }

    @Override
    public void close() {
        try {
            if (client.getState().isConnected()) client.disconnect();
        } catch (RuntimeException ignored) {
            // already gone
        }
    }
}
