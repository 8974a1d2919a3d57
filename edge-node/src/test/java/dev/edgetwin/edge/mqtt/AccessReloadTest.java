package dev.edgetwin.edge.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.exceptions.ConnectionFailedException;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import dev.edgetwin.edge.EdgeConfig;
import dev.edgetwin.edge.EdgeNode;
import dev.edgetwin.edge.mqtt.broker.Acl;
import dev.edgetwin.edge.mqtt.broker.Credentials;
import dev.edgetwin.edge.testkit.ChildEdge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Reloading the embedded broker's users and ACL files while it runs (SIGHUP, as mosquitto does):
 * new rules apply to new CONNECTs and to the next PUBLISH and SUBSCRIBE of connected clients,
 * subscriptions the new ACL no longer grants are revoked, a file that cannot be used changes
 * nothing; and a real SIGHUP to an edge in a child JVM reloads instead of stopping it.
 */
class AccessReloadTest {
    @TempDir
    Path dir;

    static Mqtt3BlockingClient client(int port, String user, String password) {
        return MqttClient.builder().useMqttVersion3().identifier(user).serverHost("127.0.0.1").serverPort(port).simpleAuth()
                .username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
    }

    /** An edge whose broker takes its users and ACL from these files. */
    EdgeNode edgeWith(Path users, Path aclFile) {
        EdgeConfig config = EdgeConfig.local("edge-reload", dir.resolve("data"));
        return EdgeNode.start(config.withMqtt(config.mqtt().withUsers(Credentials.load(users)).withAcl(Acl.load(aclFile))));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aReloadPutsNewRulesInForceAndRevokesWhatTheyNoLongerGrant() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "mapper-a:secret-a\nadmin:secret-admin\n");
        Path aclFile = Files.writeString(dir.resolve("acl"), "user mapper-a\ntopic readwrite room/1/#\nuser admin\ntopic readwrite room/#\n");
        try (EdgeNode edge = edgeWith(users, aclFile)) {
            int port = edge.mqttPort();
            Mqtt3BlockingClient admin = client(port, "admin", "secret-admin");
            Mqtt3BlockingClient mapper = client(port, "mapper-a", "secret-a");
            admin.connect();
            mapper.connect();
            try (var seen = mapper.publishes(MqttGlobalPublishFilter.ALL)) {
                mapper.subscribeWith().topicFilter("room/1/#").qos(MqttQos.AT_LEAST_ONCE).send();
                admin.publishWith().topic("room/1/lamp").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("before")).send();
                assertThat(new String(seen.receive(20, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("before");

                // mapper-a moves to room 2; a new user appears
                Files.writeString(aclFile, "user mapper-a\ntopic readwrite room/2/#\nuser admin\ntopic readwrite room/#\nuser mapper-b\ntopic read room/#\n");
                Files.writeString(users, "mapper-a:secret-a\nadmin:secret-admin\nmapper-b:secret-b\n");
                assertThat(edge.reloadMqttAccess()).contains("1 subscriptions revoked");

                admin.publishWith().topic("room/1/lamp").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("after")).send();
                assertThat(seen.receive(500, TimeUnit.MILLISECONDS)).as("room/1/# was revoked").isEmpty();
                mapper.subscribeWith().topicFilter("room/2/#").qos(MqttQos.AT_LEAST_ONCE).send();
                admin.publishWith().topic("room/2/lamp").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("room 2")).send();
                assertThat(new String(seen.receive(20, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("room 2");

                Mqtt3BlockingClient newcomer = client(port, "mapper-b", "secret-b");
                newcomer.connect();
                newcomer.disconnect();

                // a file that cannot be used: refused, the rules in force stay (the same publishes flow: HiveMQ
                // registers a new one asynchronously, and a message arriving first is dropped by the client)
                Files.writeString(aclFile, "user mapper-a\ntopic read room/#/lamp\n");
                assertThatThrownBy(edge::reloadMqttAccess).hasMessageContaining("line 2").hasMessageContaining("not a topic filter");
                admin.publishWith().topic("room/2/lamp").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("still")).send();
                assertThat(new String(seen.receive(20, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("still");
            }
            assertThat(edge.core().metrics().scrape()).contains("edgetwin_mqtt_access_reloads_total 1.0")
                    .contains("edgetwin_mqtt_access_reload_failures_total 1.0");

            // a user taken out of the file cannot connect again
            Files.writeString(aclFile, "user mapper-a\ntopic readwrite room/2/#\nuser admin\ntopic readwrite room/#\n");
            Files.writeString(users, "admin:secret-admin\n");
            edge.reloadMqttAccess();
            mapper.disconnect();
            assertThatThrownBy(() -> client(port, "mapper-a", "secret-a").connect()).isInstanceOfAny(Mqtt3ConnAckException.class,
                    ConnectionFailedException.class);
            admin.disconnect();
        }
    }

    @Test
    void aStoredSessionLosesWhatTheNewAclNoLongerGrantsWhenItsClientComesBack() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "keeper:k\nadmin:a\n");
        Path aclFile = Files.writeString(dir.resolve("acl"), "user keeper\ntopic read room/#\nuser admin\ntopic readwrite room/#\n");
        try (EdgeNode edge = edgeWith(users, aclFile)) {
            int port = edge.mqttPort();
            Mqtt3BlockingClient keeper = client(port, "keeper", "k");
            keeper.connectWith().cleanSession(false).send();
            keeper.subscribeWith().topicFilter("room/1/#").qos(MqttQos.AT_LEAST_ONCE).send();
            keeper.subscribeWith().topicFilter("room/2/#").qos(MqttQos.AT_LEAST_ONCE).send();
            keeper.disconnect();
            Mqtt3BlockingClient admin = client(port, "admin", "a");
            admin.connect();
            admin.publishWith().topic("room/1/lamp").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("room 1, while away")).send();
            admin.publishWith().topic("room/2/lamp").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("room 2, while away")).send();

            Files.writeString(aclFile, "user keeper\ntopic read room/2/#\nuser admin\ntopic readwrite room/#\n");
            edge.reloadMqttAccess();
            try (var seen = keeper.publishes(MqttGlobalPublishFilter.ALL)) {
                assertThat(keeper.connectWith().cleanSession(false).send().isSessionPresent()).isTrue();
                assertThat(new String(seen.receive(20, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(), StandardCharsets.UTF_8))
                        .as("the message on room 1 queued before the reload is not delivered").isEqualTo("room 2, while away");
                admin.publishWith().topic("room/1/lamp").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("room 1, after")).send();
                admin.publishWith().topic("room/2/lamp").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("room 2, after")).send();
                assertThat(new String(seen.receive(20, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(), StandardCharsets.UTF_8))
                        .as("room/1/# was revoked at the CONNECT").isEqualTo("room 2, after");
            }
            keeper.disconnect();
            admin.disconnect();
        }
    }

    @Test
    void anEdgeWithoutTheFilesHasNothingToReload() {
        try (EdgeNode edge = EdgeNode.start(EdgeConfig.local("edge-open", dir.resolve("data")))) {
            assertThatThrownBy(edge::reloadMqttAccess).hasMessageContaining("nothing to reload");
        }
    }

    @Test
    void sighupReloadsARunningEdgeInsteadOfStoppingIt() throws Exception {
        Path aclFile = Files.writeString(dir.resolve("acl"), "topic readwrite open/#\n");
        Path log = dir.resolve("edge.log");
        Process edge = ChildEdge.start("edge-hup", dir.resolve("data"), log, "--mqtt-acl", aclFile.toString());
        try {
            int port = ChildEdge.mqttPort(log);
            Mqtt3BlockingClient c = MqttClient.builder().useMqttVersion3().identifier("anon").serverHost("127.0.0.1").serverPort(port).buildBlocking();
            c.connect();
            try (var seen = c.publishes(MqttGlobalPublishFilter.ALL)) {
                c.subscribeWith().topicFilter("open/#").qos(MqttQos.AT_LEAST_ONCE).send();
                c.publishWith().topic("later/x").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("refused")).send();
                Files.writeString(aclFile, "topic readwrite later/#\n");
                Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(edge.pid())).start();
                assertThat(hup.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(hup.exitValue()).isZero();
                await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(log).contains("mqtt access reloaded"));
                assertThat(edge.isAlive()).as("SIGHUP reloads, it does not stop the edge").isTrue();
                c.subscribeWith().topicFilter("later/#").qos(MqttQos.AT_LEAST_ONCE).send();
                c.publishWith().topic("later/x").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("allowed now")).send();
                assertThat(new String(seen.receive(20, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("allowed now");
            }
            assertThat(Files.readString(log)).contains("subscriptions [open/#] revoked");
            c.disconnect();
        } finally {
            edge.destroy();   // SIGTERM still stops it
            assertThat(edge.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
