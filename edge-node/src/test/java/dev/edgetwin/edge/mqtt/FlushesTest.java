package dev.edgetwin.edge.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Flush consolidation is installed on a real Vert.x MQTT connection, and packets written outside a read still go out. */
class FlushesTest {
    final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void consolidatedPacketsWrittenFromLoopTasksAllArrive() throws Exception {
        List<String> received = run(256);
        assertThat(received).containsExactly("installed=true", "m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
    }

    @Test
    void zeroLeavesTheChannelAlone() throws Exception {
        assertThat(run(0)).startsWith("installed=false").hasSize(11);
    }

    private List<String> run(int flushAfterWrites) throws Exception {
        CompletableFuture<Boolean> installed = new CompletableFuture<>();
        MqttServer server = MqttServer.create(vertx, new MqttServerOptions().setHost("127.0.0.1").setPort(0));
        server.endpointHandler(endpoint -> {
            boolean ok = Flushes.consolidate(endpoint, flushAfterWrites);
            endpoint.accept(false);
            endpoint.subscribeHandler(s -> {
                endpoint.subscribeAcknowledge(s.messageId(), List.of(MqttQoS.AT_MOST_ONCE));
                // written from timer tasks, outside any read: only the scheduled flush sends them
                vertx.setTimer(20, t -> {
                    endpoint.publish("t", Buffer.buffer("installed=" + ok), MqttQoS.AT_MOST_ONCE, false, false);
                    for (int i = 0; i < 10; i++) endpoint.publish("t", Buffer.buffer("m" + i), MqttQoS.AT_MOST_ONCE, false, false);
                });
            });
            installed.complete(ok);
        });
        int port = server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        Mqtt3BlockingClient client = MqttClient.builder().useMqttVersion3().identifier("flush-test").serverHost("127.0.0.1")
                .serverPort(port).buildBlocking();
        client.connect();
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
            client.subscribeWith().topicFilter("t").send();
            assertThat(installed.get(10, TimeUnit.SECONDS)).isEqualTo(flushAfterWrites > 0);
            List<String> received = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                Mqtt3Publish p = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
                received.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            return received;
        } finally {
            client.disconnect();
        }
    }
}
