package dev.edgetwin.edge.mqtt;

import dev.edgetwin.edge.EdgeConfig;

import java.util.Properties;

/**
 * Every {@link EmbeddedBrokerTest} again with {@code mqtt.encodeDirectly=false}: the broker sends
 * PUBLISH and PUBACK through Vert.x MQTT's own methods, the path kept for a Vert.x whose
 * connection {@link Packets} cannot reach.
 */
class EmbeddedBrokerVertxEncoderTest extends EmbeddedBrokerTest {
    @Override
    EdgeConfig config(EdgeConfig defaults) {
        Properties p = new Properties();
        p.setProperty("mqtt.encodeDirectly", "false");
        return defaults.withMqtt(defaults.mqtt().withProperties(p, "test"));
    }
}
