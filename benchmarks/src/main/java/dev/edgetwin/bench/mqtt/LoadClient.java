package dev.edgetwin.bench.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One simulated mapper: a Vert.x MQTT client publishing KubeEdge twin updates at QoS 1 for its
 * devices in turn, keeping {@code window} publications in flight, and recording the
 * publish→PUBACK latency of each. Runs on one event loop of the load generator's Vert.x.
 */
final class LoadClient implements MeasuredClient {
    private final MqttClient client;
    private final List<String> devices;
    private final int window;
    private final long[] sentAt = new long[65_536];
    private final Latencies latencies = new Latencies(1 << 20);
    private int inflight;
    private int next;
    private long sequence;
    private volatile boolean running;
    private volatile boolean measuring;
    private long acked;
    private long failed;

    LoadClient(Vertx vertx, String clientId, List<String> devices, int window) {
        MqttClientOptions options = new MqttClientOptions().setClientId(clientId).setCleanSession(true)
                .setMaxInflightQueue(window).setKeepAliveInterval(60).setAutoKeepAlive(true).setMaxMessageSize(1 << 20);
        options.setTcpNoDelay(true);
        this.client = MqttClient.create(vertx, options);
        this.devices = devices;
        this.window = window;
        client.publishCompletionHandler(this::acked);
        client.publishHandler(m -> { });
    }

    Future<Void> connect(String host, int port, boolean subscribeResults) {
        return client.connect(port, host).compose(ack -> {
            if (!subscribeResults) return Future.succeededFuture();
            Map<String, Integer> filters = new HashMap<>();
            for (String d : devices) filters.put("$hw/events/device/" + d + "/twin/update/result", 0);
            return client.subscribe(filters).mapEmpty();
        });
    }

    /** Starts publishing (call on the client's context). */
    void start() {
        running = true;
        pump();
    }

    @Override
    public void measure(boolean on) {
        measuring = on;
    }

    void stop() {
        running = false;
    }

    private void pump() {
        while (running && inflight < window) {
            String device = devices.get(next);
            next = (next + 1) % devices.size();
            long seq = sequence++;
            String body = body(client.clientId(), seq, System.currentTimeMillis());
            long start = System.nanoTime();
            Future<Integer> f = client.publish("$hw/events/device/" + device + "/twin/update",
                    Buffer.buffer(body.getBytes(StandardCharsets.UTF_8)), MqttQoS.AT_LEAST_ONCE, false, false);
            if (f.failed()) {
                failed++;
                return;
            }
            inflight++;
            f.onSuccess(id -> sentAt[id] = start);
        }
    }

    /** The twin/update body of publication {@code seq} of client {@code clientId} (what {@link RawLoadClient.TemperatureFeed} encodes too). */
    static String body(String clientId, long seq, long millis) {
        return "{\"event_id\":\"" + clientId + "-" + seq + "\",\"timestamp\":" + millis
                + ",\"twin\":{\"temperature\":{\"actual\":{\"value\":\"" + (15 + seq % 150 / 10.0)
                + "\"},\"metadata\":{\"type\":\"float\"}}}}";
    }

    private void acked(int packetId) {
        inflight--;
        if (measuring) {
            acked++;
            latencies.record(System.nanoTime() - sentAt[packetId]);
        }
        pump();
    }

    @Override
    public long ackedWhileMeasuring() {
        return acked;
    }

    @Override
    public long failed() {
        return failed;
    }

    @Override
    public Latencies latencies() {
        return latencies;
    }

    Future<Void> disconnect() {
        return client.isConnected() ? client.disconnect() : Future.succeededFuture();
    }
}
