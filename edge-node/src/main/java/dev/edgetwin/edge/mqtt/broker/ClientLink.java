package dev.edgetwin.edge.mqtt.broker;

/**
 * The broker's view of one live network connection (the Vert.x adapter implements it). Called
 * only on the broker's thread.
 */
public interface ClientLink {
    /** Sends a PUBLISH. {@code packetId} is 0 for QoS 0; {@code dup} marks a redelivery. */
    void send(Message message, int packetId, boolean dup);

    /** Closes the connection (a session take-over); the adapter then reports {@link Broker#connectionLost}. */
    void close();
}
