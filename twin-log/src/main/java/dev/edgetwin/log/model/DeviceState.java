package dev.edgetwin.log.model;

import java.util.Locale;
import java.util.Optional;

/** Device connection state; KubeEdge accepts these five words, case-insensitively. */
public enum DeviceState {
    ONLINE, OFFLINE, OK, UNKNOWN, UNHEALTHY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isOnline() {
        return this == ONLINE || this == OK;
    }

    public static Optional<DeviceState> parse(String text) {
        if (text == null) return Optional.empty();
        for (DeviceState s : values()) {
            if (s.name().equalsIgnoreCase(text.trim())) return Optional.of(s);
        }
        return Optional.empty();
    }
}
