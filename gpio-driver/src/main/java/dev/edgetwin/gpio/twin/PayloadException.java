package dev.edgetwin.gpio.twin;

import dev.edgetwin.gpio.GpioException;

/** An MQTT payload that is not what the KubeEdge protocol says: code {@code mqtt:payload.invalid}. */
public final class PayloadException extends GpioException {
    public PayloadException(String message) {
        super("mqtt:payload.invalid", message);
    }
}
