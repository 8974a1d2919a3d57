package dev.edgetwin.edge;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGHUP makes a running edge read its MQTT users and ACL files again
 * ({@link EdgeNode#reloadMqttAccess}), as mosquitto does, instead of the JVM's default of shutting
 * down; SIGTERM and SIGINT still stop it. The outcome is logged by the broker.
 */
final class HangUp {
    private static final Logger LOG = LoggerFactory.getLogger(HangUp.class);

    private HangUp() {
    }

    static void reloadOnSignal(EdgeNode node) {
        try {
            // the JVM runs each signal's handler on a thread of its own: waiting for the reload there blocks nothing else
            Signal.handle(new Signal("HUP"), signal -> {
                try {
                    node.reloadMqttAccess();
                } catch (IllegalStateException e) {
                    LOG.debug("SIGHUP: {}", e.getMessage());   // the broker logged why
                }
            });
        } catch (IllegalArgumentException e) {
            LOG.info("SIGHUP cannot be handled in this JVM ({}): no reload of the MQTT users and ACL on SIGHUP", e.getMessage());
        }
    }
}
