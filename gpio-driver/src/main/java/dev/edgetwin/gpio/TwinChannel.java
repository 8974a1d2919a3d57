package dev.edgetwin.gpio;

import java.util.concurrent.CompletionStage;

/**
 * The MQTT connection of one device, as its {@link DeviceAgent} sees it (the adapter is
 * {@code dev.edgetwin.gpio.mqtt.DeviceLink}; tests use an in-memory one).
 */
public interface TwinChannel {
    /** Whether publishing can succeed now. */
    boolean connected();

    /**
     * Publishes with QoS 1, retain false. The stage completes when the broker has acknowledged
     * (PUBACK) and fails when the message may be lost (not connected, connection lost, ack timeout).
     */
    CompletionStage<Void> publish(String topic, byte[] payload);
}
