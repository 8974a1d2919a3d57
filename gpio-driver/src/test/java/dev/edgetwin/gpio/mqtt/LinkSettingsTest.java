package dev.edgetwin.gpio.mqtt;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reconnect backoff, the --mqtt address, and client ids. */
class LinkSettingsTest {
    @Test
    void backoffDoublesUpToTheMaximumWithJitterAndResets() {
        Backoff lowest = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), bound -> 0);
        Backoff highest = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), bound -> bound - 1);
        List<Long> low = new ArrayList<>();
        List<Long> high = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            low.add(lowest.nextDelayMillis());
            high.add(highest.nextDelayMillis());
        }
        assertThat(low).containsExactly(50L, 100L, 200L, 400L, 500L, 500L);
        assertThat(high).containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
        lowest.reset();
        assertThat(lowest.nextDelayMillis()).isEqualTo(50L);
        Backoff many = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), bound -> 0);
        for (int i = 0; i < 100; i++) assertThat(many.nextDelayMillis()).isBetween(250L, 15_000L);
    }

    @Test
    void brokerAddresses() {
        assertThat(BrokerAddress.parse("tcp://127.0.0.1:1883")).isEqualTo(new BrokerAddress("127.0.0.1", 1883));
        assertThat(BrokerAddress.parse("mqtt://edge-a")).isEqualTo(new BrokerAddress("edge-a", 1883));
        assertThatThrownBy(() -> BrokerAddress.parse("ssl://h:8883")).hasMessageContaining("scheme must be tcp://");
        assertThatThrownBy(() -> BrokerAddress.parse("tcp://h:1883/x")).hasMessageContaining("must be tcp://HOST:PORT");
        assertThatThrownBy(() -> BrokerAddress.parse("127.0.0.1:1883")).hasMessageContaining("--mqtt");
    }

    @Test
    void clientIdsFitMqtt311AndDifferPerDeviceAndNode() {
        String id = DeviceLink.clientId("gpio", "edge-a", "default/lamp-1");
        assertThat(id).hasSize(23).startsWith("gpio-").matches("[A-Za-z0-9-]+");
        assertThat(DeviceLink.clientId("gpio", "edge-a", "default/lamp-1")).as("stable").isEqualTo(id);
        assertThat(DeviceLink.clientId("gpio", "edge-b", "default/lamp-1")).isNotEqualTo(id);
        assertThat(DeviceLink.clientId("gpio", "edge-a", "default/lamp-2")).isNotEqualTo(id);
        assertThat(DeviceLink.clientId("abcdefghijkl", "n", "d/x")).hasSize(23);
    }
}
