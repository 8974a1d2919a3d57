package dev.edgetwin.edge.mqtt;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MqttSettingsTest {
    final MqttSettings defaults = MqttSettings.embedded("edge-a", "127.0.0.1", 1883);

    @Test
    void defaultsAreAtLeastKubeEdges() {
        assertThat(defaults.twin().maxKeyBytes()).isGreaterThanOrEqualTo(128);
        assertThat(defaults.twin().maxValueBytes()).isGreaterThanOrEqualTo(512);
        assertThat(defaults.twin().qos()).isEqualTo(1);
        assertThat(defaults.twin().retain()).isFalse();
        assertThat(defaults.broker().maxTopicBytes()).isEqualTo(65_535);
        assertThat(defaults.clientId()).isEqualTo("edgetwin-edge-a");
    }

    @Test
    void propertiesOverrideDefaults() {
        Properties p = new Properties();
        p.setProperty("twin.maxValueBytes", "4096");
        p.setProperty("mqtt.maxInflight", "50");
        p.setProperty("twin.retain", "true");
        p.setProperty("mqtt.flushAfterWrites", "0");
        p.setProperty("mqtt.encodeDirectly", "false");
        p.setProperty("mqtt.maxOfflineSessions", "0");
        p.setProperty("mqtt.maxSubscriptions", "5");
        p.setProperty("mqtt.maxConnections", "7");
        p.setProperty("mqtt.sessionExpirySeconds", "0");
        p.setProperty("mqtt.maxQueuedBytes", "1048576");
        p.setProperty("mqtt.maxRetainedBytes", "0");
        p.setProperty("mqtt.persistMessages", "false");
        p.setProperty("mqtt.messageSaveSeconds", "0");
        p.setProperty("mqtt.topicAliasMaximum", "0");
        MqttSettings s = defaults.withProperties(p, "f");
        assertThat(defaults.topicAliasMaximum()).as("mosquitto's max_topic_alias").isEqualTo(10);
        assertThat(s.topicAliasMaximum()).isZero();
        assertThat(defaults.persistence()).isEqualTo(new MqttSettings.Persistence(true, true, 10));
        assertThat(s.persistence()).isEqualTo(new MqttSettings.Persistence(true, false, 0));
        assertThat(defaults.broker().sessionExpirySeconds()).as("a day").isEqualTo(86_400);
        assertThat(s.broker().sessionExpirySeconds()).isZero();
        assertThat(defaults.broker().maxQueuedBytes()).isEqualTo(64 * 1024 * 1024);
        assertThat(s.broker().maxQueuedBytes()).isEqualTo(1_048_576);
        assertThat(defaults.broker().maxRetainedBytes()).isEqualTo(64 * 1024 * 1024);
        assertThat(s.broker().maxRetainedBytes()).isZero();
        assertThat(defaults.broker().maxOfflineSessions()).isEqualTo(10_000);
        assertThat(s.broker().maxOfflineSessions()).isZero();
        assertThat(defaults.broker().maxSubscriptions()).isEqualTo(10_000);
        assertThat(s.broker().maxSubscriptions()).isEqualTo(5);
        assertThat(defaults.broker().maxConnections()).isEqualTo(10_000);
        assertThat(s.broker().maxConnections()).isEqualTo(7);
        assertThat(defaults.encodeDirectly()).isTrue();
        assertThat(s.encodeDirectly()).isFalse();
        assertThat(defaults.flushAfterWrites()).isEqualTo(4_096);
        assertThat(s.flushAfterWrites()).isZero();
        assertThat(s.twin().maxValueBytes()).isEqualTo(4096);
        assertThat(s.broker().maxInflight()).isEqualTo(50);
        assertThat(s.twin().retain()).isTrue();
        assertThat(s.twin().maxKeyBytes()).isEqualTo(128);
    }

    @Test
    void storedSessionsAreCheckedForExpiryAQuarterOfTheirTimeApartWithinBounds() {
        assertThat(EmbeddedBroker.sweepMillis(1)).as("at least a quarter second").isEqualTo(250);
        assertThat(EmbeddedBroker.sweepMillis(2)).isEqualTo(500);
        assertThat(EmbeddedBroker.sweepMillis(86_400)).as("at most a second: MQTT 5 clients bring their own intervals").isEqualTo(1_000);
        assertThat(EmbeddedBroker.sweepMillis(Integer.MAX_VALUE)).isEqualTo(1_000);
        assertThat(EmbeddedBroker.sweepMillis(0)).as("no expiry by the setting: still wills and MQTT 5 sessions").isEqualTo(1_000);
    }

    @Test
    void badSettingsNameTheKey() {
        Properties typo = new Properties();
        typo.setProperty("twin.maxValuBytes", "1");
        assertThatThrownBy(() -> defaults.withProperties(typo, "f")).hasMessageContaining("unknown settings [twin.maxValuBytes]");
        Properties negative = new Properties();
        negative.setProperty("mqtt.maxQueued", "-1");
        assertThatThrownBy(() -> defaults.withProperties(negative, "f")).hasMessageContaining("mqtt.maxQueued");
        Properties connections = new Properties();
        connections.setProperty("mqtt.maxConnections", "0");
        assertThatThrownBy(() -> defaults.withProperties(connections, "f")).hasMessageContaining("maxConnections must be >= 1");
        Properties sessions = new Properties();
        sessions.setProperty("mqtt.maxOfflineSessions", "-1");
        assertThatThrownBy(() -> defaults.withProperties(sessions, "f")).hasMessageContaining("mqtt.maxOfflineSessions");
        Properties expiry = new Properties();
        expiry.setProperty("mqtt.sessionExpirySeconds", "1d");
        assertThatThrownBy(() -> defaults.withProperties(expiry, "f")).hasMessageContaining("mqtt.sessionExpirySeconds must be a non-negative integer");
        Properties bytes = new Properties();
        bytes.setProperty("mqtt.maxQueuedBytes", "4294967296");
        assertThatThrownBy(() -> defaults.withProperties(bytes, "f")).hasMessageContaining("mqtt.maxQueuedBytes");
        Properties save = new Properties();
        save.setProperty("mqtt.messageSaveSeconds", "soon");
        assertThatThrownBy(() -> defaults.withProperties(save, "f")).hasMessageContaining("mqtt.messageSaveSeconds must be a non-negative integer");
        Properties aliases = new Properties();
        aliases.setProperty("mqtt.topicAliasMaximum", "65536");
        assertThatThrownBy(() -> defaults.withProperties(aliases, "f")).hasMessageContaining("mqtt.topicAliasMaximum must be 0..65535");
        Properties qos = new Properties();
        qos.setProperty("twin.qos", "2");
        assertThatThrownBy(() -> defaults.withProperties(qos, "f")).hasMessageContaining("QoS");
        assertThatThrownBy(() -> MqttSettings.parseExternal("mqtt://x:1")).hasMessageContaining("tcp://host:1883");
        assertThat(MqttSettings.parseExternal("tcp://broker:1884").getPort()).isEqualTo(1884);
    }
}
