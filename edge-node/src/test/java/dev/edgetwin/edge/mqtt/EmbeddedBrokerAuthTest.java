package dev.edgetwin.edge.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import dev.edgetwin.edge.EdgeConfig;
import dev.edgetwin.edge.EdgeNode;
import dev.edgetwin.edge.mqtt.broker.Credentials;
import dev.edgetwin.edge.testkit.MqttProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Username and password on the embedded broker, from a users file, with a real client. */
class EmbeddedBrokerAuthTest {
    @TempDir
    Path dir;

    @Test
    void onlyListedUsersWithTheirPasswordConnect() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "mapper:lamp-secret\n");
        EdgeConfig config = EdgeConfig.local("edge-c", dir.resolve("edge"));
        try (EdgeNode edge = EdgeNode.start(config.withMqtt(config.mqtt().withUsers(Credentials.load(users))))) {
            int port = edge.mqttPort();
            try (MqttProbe ok = MqttProbe.connect(port, "mapper-1", "mapper", "lamp-secret", new String[]{"t"})) {
                ok.publish("t", "hello");
                assertThat(ok.text("t")).isEqualTo("hello");
            }
            assertThat(refusal(port, "mapper", "wrong")).isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD);
            assertThat(refusal(port, "intruder", "lamp-secret")).isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD);
            assertThat(refusal(port, null, null)).isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD);
        }
    }

    static Mqtt3ConnAckReturnCode refusal(int port, String user, String password) {
        var builder = MqttClient.builder().useMqttVersion3().identifier("refused").serverHost("127.0.0.1").serverPort(port);
        if (user != null) {
            builder = builder.simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
        }
        var client = builder.buildBlocking();
        Mqtt3ConnAckException e = catchThrowableOfType(Mqtt3ConnAckException.class, client::connect);
        assertThat(e).as("connection refused").isNotNull();
        return e.getMqttMessage().getReturnCode();
    }
}
