package dev.edgetwin.gpio.config;

/** An input that, when it becomes active (a button press), flips the desired value of an output property. */
public record Toggle(String deviceId, String property) {
    @Override
    public String toString() {
        return deviceId + " " + property;
    }
}
