package dev.edgetwin.edge.mqtt.broker;

/**
 * The broker's view of one live network connection (the Vert.x adapter implements it). Called
 * only on the broker's thread.
 */
public interface ClientLink {
    /**
     * Sends a PUBLISH. {@code packetId} is 0 for QoS 0; {@code dup} marks a redelivery;
     * {@code subscriptionIds} are the MQTT 5 Subscription Identifiers of the client's subscriptions
     * the message matches, or null: none.
     */
    void send(Message message, int packetId, boolean dup, int[] subscriptionIds);

    /** Closes the connection (a session take-over); the adapter then reports {@link Broker#connectionLost}. */
    void close();
}
