package dev.edgetwin.edge.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.edgetwin.edge.EdgeConfig;
import dev.edgetwin.edge.EdgeNode;
import dev.edgetwin.log.model.JsonValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.TrustManagerFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.edgetwin.edge.EdgeTlsTest.resource;
import static dev.edgetwin.edge.EdgeTlsTest.trusting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * MQTT over WebSocket ({@code --mqtt-ws-port}, path /mqtt), as browser dashboards use it: the
 * same broker as the TCP port (a WebSocket client and a TCP client talk to each other, a mapper
 * over WebSocket gets its twin results), v3.1.1 and v5, and over TLS (wss) with the broker's
 * certificate. HiveMQ's client in its WebSocket mode.
 */
class WebSocketMqttTest {
    @TempDir
    Path dir;

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void webSocketAndTcpClientsShareOneBroker() throws Exception {
        EdgeConfig defaults = EdgeConfig.local("edge-ws", dir);
        try (EdgeNode edge = EdgeNode.start(defaults.withMqtt(defaults.mqtt().withWebSocketPort(0)))) {
            assertThat(edge.mqttWebSocketPort()).isPositive().isNotEqualTo(edge.mqttPort());
            Mqtt3BlockingClient browser = MqttClient.builder().useMqttVersion3().identifier("dashboard").serverHost("127.0.0.1")
                    .serverPort(edge.mqttWebSocketPort()).webSocketConfig().serverPath("mqtt").applyWebSocketConfig().buildBlocking();
            Mqtt3BlockingClient device = MqttClient.builder().useMqttVersion3().identifier("sensor").serverHost("127.0.0.1")
                    .serverPort(edge.mqttPort()).buildBlocking();
            browser.connect();
            device.connect();
            try (var seen = browser.publishes(MqttGlobalPublishFilter.ALL); var back = device.publishes(MqttGlobalPublishFilter.ALL)) {
                browser.subscribeWith().topicFilter("home/+/temperature").qos(MqttQos.AT_LEAST_ONCE).send();
                device.subscribeWith().topicFilter("home/+/setpoint").qos(MqttQos.AT_LEAST_ONCE).send();
                device.publishWith().topic("home/kitchen/temperature").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("21.5")).send();
                assertThat(new String(seen.receive(20, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("21.5");
                // a payload larger than a TCP segment and than Netty's default frame of 64 KiB, in one WebSocket frame
                byte[] big = utf8("x".repeat(200_000));
                browser.publishWith().topic("home/kitchen/setpoint").qos(MqttQos.AT_LEAST_ONCE).payload(big).send();
                assertThat(back.receive(20, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes()).isEqualTo(big);
            }

            // a mapper over WebSocket, MQTT 5: its twin/get is answered
            Mqtt5BlockingClient mapper = MqttClient.builder().useMqttVersion5().identifier("ws-mapper").serverHost("127.0.0.1")
                    .serverPort(edge.mqttWebSocketPort()).webSocketConfig().serverPath("mqtt").applyWebSocketConfig().buildBlocking();
            mapper.connect();
            String get = "$hw/events/device/default/nowhere/twin/get";
            try (var results = mapper.publishes(MqttGlobalPublishFilter.ALL)) {
                mapper.subscribeWith().topicFilter(get + "/result").qos(MqttQos.AT_LEAST_ONCE).send();
                mapper.publishWith().topic(get).qos(MqttQos.AT_LEAST_ONCE).payload(utf8("{\"event_id\":\"ws-1\"}")).send();
                var body = JsonValues.MAPPER.readTree(results.receive(20, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes());
                assertThat(body.path("event_id").asText()).isEqualTo("ws-1");
                assertThat(body.path("code").asInt()).as("an unknown device").isEqualTo(404);
            }
            mapper.disconnect();
            browser.disconnect();
            device.disconnect();
        }
    }

    @Test
    void overTlsTheWebSocketPortIsWss() throws Exception {
        Path cert = resource("cert.pem");
        Path key = resource("key.pem");
        EdgeConfig defaults = EdgeConfig.local("edge-wss", dir);
        try (EdgeNode edge = EdgeNode.start(defaults.withMqtt(defaults.mqtt().withTls(cert, key).withWebSocketPort(0)))) {
            TrustManagerFactory tmf = trusting(cert);
            Mqtt3BlockingClient browser = MqttClient.builder().useMqttVersion3().identifier("secure-dashboard").serverHost("localhost")
                    .serverPort(edge.mqttWebSocketPort()).sslConfig().trustManagerFactory(tmf).applySslConfig()
                    .webSocketConfig().serverPath("mqtt").applyWebSocketConfig().buildBlocking();
            browser.connect();
            try (var seen = browser.publishes(MqttGlobalPublishFilter.ALL)) {
                browser.subscribeWith().topicFilter("secure/#").qos(MqttQos.AT_LEAST_ONCE).send();
                browser.publishWith().topic("secure/echo").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("over wss")).send();
                Mqtt3Publish p = seen.receive(20, TimeUnit.SECONDS).orElseThrow();
                assertThat(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("over wss");
            }
            browser.disconnect();

            Mqtt3BlockingClient plain = MqttClient.builder().useMqttVersion3().identifier("plain-dashboard").serverHost("localhost")
                    .serverPort(edge.mqttWebSocketPort()).webSocketConfig().serverPath("mqtt").applyWebSocketConfig().buildBlocking();
            assertThatThrownBy(plain::connect).as("a plain ws:// client at the wss:// port").isInstanceOf(RuntimeException.class);
        }
    }
}
