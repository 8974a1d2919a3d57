package dev.edgetwin.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import dev.edgetwin.log.model.JsonValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The edge over TLS: the REST API over HTTPS ({@code --tls-cert/--tls-key}) and the embedded
 * broker speaking MQTT over TLS ({@code --mqtt-tls-cert/--mqtt-tls-key}), checked with clients
 * that verify the certificate (the JDK's HTTP client, HiveMQ's MQTT client), and refused in plain.
 */
public class EdgeTlsTest {
    @TempDir
    Path dir;

    public static Path resource(String name) throws Exception {
        return Path.of(EdgeTlsTest.class.getResource("/tls/" + name).toURI());
    }

    public static TrustManagerFactory trusting(Path cert) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            store.setCertificateEntry("edge", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return tmf;
    }

    @Test
    void restOverHttpsAndMqttOverTlsWithTheGivenCertificate() throws Exception {
        Path cert = resource("cert.pem");
        Path key = resource("key.pem");
        EdgeConfig defaults = EdgeConfig.local("edge-t", dir);
        try (EdgeNode edge = EdgeNode.start(defaults.withTls(cert, key).withMqtt(defaults.mqtt().withTls(cert, key)))) {
            TrustManagerFactory tmf = trusting(cert);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(ssl).build();
            HttpResponse<String> health = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + edge.httpPort() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            HttpClient untrusting = HttpClient.newHttpClient();
            assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(URI.create("https://localhost:" + edge.httpPort() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString())).as("a certificate nobody vouched for").hasMessageContaining("PKIX");

            // a mapper over TLS: a twin/get of an unknown device is answered on the get result topic
            Mqtt3BlockingClient mapper = MqttClient.builder().useMqttVersion3().identifier("mapper").serverHost("localhost")
                    .serverPort(edge.mqttPort()).sslConfig().trustManagerFactory(tmf).applySslConfig().buildBlocking();
            mapper.connect();
            String device = "$hw/events/device/default/nowhere/twin/get";
            try (Mqtt3BlockingClient.Mqtt3Publishes publishes = mapper.publishes(MqttGlobalPublishFilter.ALL)) {
                mapper.subscribeWith().topicFilter(device + "/result").qos(MqttQos.AT_LEAST_ONCE).send();
                mapper.publishWith().topic(device).qos(MqttQos.AT_LEAST_ONCE).payload("{\"event_id\":\"tls-1\"}".getBytes(StandardCharsets.UTF_8)).send();
                Mqtt3Publish result = publishes.receive(20, TimeUnit.SECONDS).orElseThrow();
                JsonNode body = JsonValues.MAPPER.readTree(result.getPayloadAsBytes());
                assertThat(body.path("event_id").asText()).isEqualTo("tls-1");
                assertThat(body.path("code").asInt()).as("KubeEdge's not-found code").isEqualTo(404);
            }
            mapper.disconnect();

            Mqtt3BlockingClient plain = MqttClient.builder().useMqttVersion3().identifier("plain").serverHost("127.0.0.1")
                    .serverPort(edge.mqttPort()).buildBlocking();
            assertThatThrownBy(plain::connect).as("plain MQTT on the TLS port").isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void tlsFlagsNameWhatIsWrong() throws Exception {
        Path cert = resource("cert.pem");
        assertThatThrownBy(() -> EdgeMain.parse("--node-id", "e", "--tls-cert", cert.toString()))
                .hasMessageContaining("--tls-key is missing");
        assertThatThrownBy(() -> EdgeMain.parse("--node-id", "e", "--tls-cert", dir.resolve("none.pem").toString(), "--tls-key", cert.toString()))
                .hasMessageContaining("--tls-cert: cannot read");
        assertThatThrownBy(() -> EdgeMain.parse("--node-id", "e", "--mqtt-tls-key", cert.toString()))
                .hasMessageContaining("--mqtt-tls-cert is missing");
        assertThatThrownBy(() -> EdgeMain.parse("--node-id", "e", "--mqtt-broker", "tcp://b:1883", "--mqtt-tls-cert", cert.toString(),
                "--mqtt-tls-key", cert.toString())).hasMessageContaining("not with --mqtt-broker");
        assertThatThrownBy(() -> EdgeMain.parse("--node-id", "e", "--mqtt-broker", "tcp://b:1883", "--mqtt-broker-ca", cert.toString()))
                .hasMessageContaining("--mqtt-broker-ca is for an ssl:// --mqtt-broker");
        assertThatThrownBy(() -> EdgeMain.parse("--node-id", "e", "--mqtt-broker", "http://b:1883")).hasMessageContaining("ssl://host:8883");
        EdgeConfig external = EdgeMain.parse("--node-id", "e", "--mqtt-broker", "ssl://b", "--mqtt-broker-ca", cert.toString());
        assertThat(external.mqtt().externalTls()).isTrue();
        assertThat(external.mqtt().externalCa()).isEqualTo(cert);
        assertThat(EdgeMain.parse("--node-id", "e", "--mqtt-broker", "mqtts://b:8884").mqtt().externalTls()).isTrue();
        EdgeConfig ok = EdgeMain.parse("--node-id", "e", "--tls-cert", cert.toString(), "--tls-key", resource("key.pem").toString(),
                "--mqtt-tls-cert", cert.toString(), "--mqtt-tls-key", resource("key.pem").toString());
        assertThat(ok.tlsCert()).isEqualTo(cert);
        assertThat(ok.mqtt().tlsKey()).isEqualTo(resource("key.pem"));
    }
}
