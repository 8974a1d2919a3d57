package dev.edgetwin.log.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceState;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinEvent;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Picks the entries of one device without decoding every event. {@link EventCodec} writes
 * {@code u8 version | u8 kind | namespace | name} before anything kind-specific, so every
 * event of a device shares the payload bytes from offset 2 to the end of its name. The
 * bytes are taken from the codec itself (the encoding of a removal of that device), so the
 * filter follows any change in how the codec writes strings, and it checks on creation that
 * an event of every kind starts that way — if the layout ever changes, it matches everything
 * (slower, never wrong). Decoding the matches remains the authority: callers check
 * {@link TwinEvent#device()} after.
 */
final class DeviceFilter {
    private static final int HEADER = 2; // version, kind

    private final byte[] prefix; // null: match everything

    private DeviceFilter(byte[] prefix) {
        this.prefix = prefix;
    }

    static DeviceFilter of(DeviceId id) {
        byte[] prefix = EventCodec.encode(new TwinEvent.DeviceRemoved(id));
        JsonNode v = JsonValues.text("v");
        List<TwinEvent> samples = List.of(
                new TwinEvent.DeviceRegistered(id, "node", "model", Map.of("a", v), Map.of("p", PropertyDef.ANY)),
                new TwinEvent.DesiredSet(id, "p", v), new TwinEvent.DesiredCleared(id, "p"),
                new TwinEvent.ReportedSet(id, "p", v), new TwinEvent.ReportedCleared(id, "p"),
                new TwinEvent.DeviceStateChanged(id, DeviceState.ONLINE));
        DeviceFilter f = new DeviceFilter(prefix);
        for (TwinEvent e : samples) {
            if (!f.mayMatch(EventCodec.encode(e))) return new DeviceFilter(null);
        }
        return f;
    }

    /** False only when the payload cannot be an event of this device. */
    boolean mayMatch(byte[] payload) {
        return prefix == null || payload.length >= prefix.length && payload[0] == prefix[0]
                && Arrays.equals(payload, HEADER, prefix.length, prefix, HEADER, prefix.length);
    }
}
