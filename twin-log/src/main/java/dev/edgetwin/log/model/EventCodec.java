package dev.edgetwin.log.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.TreeMap;

/**
 * The binary payload of a journal entry: one {@link TwinEvent}. Deterministic (equal events,
 * equal bytes) and versioned. Layout, big-endian:
 * <pre>
 *   u8 version (=1) | u8 kind | str namespace | str name | kind-specific fields
 *   kind 1 DeviceRegistered : str node | str model | u32 n {str key | json value} | u32 n {str key | str type | bool readOnly}
 *   kind 2 DeviceRemoved    : -
 *   kind 3 DesiredSet       : str property | json value      kind 4 DesiredCleared  : str property
 *   kind 5 ReportedSet      : str property | json value      kind 6 ReportedCleared : str property
 *   kind 7 DeviceStateChanged : u8 state ordinal
 * </pre>
 * {@code str} is a u32 byte length and UTF-8; {@code json} a str holding canonical JSON text.
 */
public final class EventCodec {
    public static final int VERSION = 1;

    private EventCodec() {
    }

    public static byte[] encode(TwinEvent event) {
        BinaryWriter w = BinaryWriter.reused().u8(VERSION).u8(kind(event))
                .str(event.device().namespace()).str(event.device().name());
        if (event instanceof TwinEvent.DeviceRegistered r) {
            w.str(r.node()).str(r.model()).i32(r.attributes().size());
            r.attributes().forEach((k, v) -> w.str(k).json(v));
            w.i32(r.properties().size());
            r.properties().forEach((k, d) -> w.str(k).str(d.type()).bool(d.readOnly()));
        } else if (event instanceof TwinEvent.DesiredSet d) {
            w.str(d.property()).json(d.value());
        } else if (event instanceof TwinEvent.DesiredCleared d) {
            w.str(d.property());
        } else if (event instanceof TwinEvent.ReportedSet r) {
            w.str(r.property()).json(r.value());
        } else if (event instanceof TwinEvent.ReportedCleared r) {
            w.str(r.property());
        } else if (event instanceof TwinEvent.DeviceStateChanged c) {
            w.u8(c.state().ordinal());
        }
        return w.toBytes();
    }

    /** Decodes a payload; throws {@link IllegalArgumentException} naming what is wrong. */
    public static TwinEvent decode(byte[] bytes) {
        return decode(bytes, null);
    }

    /**
     * {@link #decode(byte[])}, with the event's device most likely {@code hint} (may be null):
     * when it is, the event holds that very instance — no new strings, and the hashes and
     * identity the hint's users computed already.
     */
    public static TwinEvent decode(byte[] bytes, DeviceId hint) {
        BinaryReader r = new BinaryReader(bytes);
        int version = r.u8();
        if (version != VERSION) throw new IllegalArgumentException("unknown event format version " + version);
        int kind = r.u8();
        DeviceId id = hint != null && r.strEquals(hint.namespace()) ? deviceNamed(r, hint) : new DeviceId(r.str(), r.str());
        TwinEvent event = switch (kind) {
            case 1 -> {
                String node = r.str();
                String model = r.str();
                int na = r.count(8);
                Map<String, JsonNode> attrs = new TreeMap<>();
                for (int i = 0; i < na; i++) attrs.put(r.str(), r.json());
                int np = r.count(9);
                Map<String, PropertyDef> props = new TreeMap<>();
                for (int i = 0; i < np; i++) props.put(r.str(), new PropertyDef(r.str(), r.bool()));
                yield new TwinEvent.DeviceRegistered(id, node, model, attrs, props);
            }
            case 2 -> new TwinEvent.DeviceRemoved(id);
            case 3 -> new TwinEvent.DesiredSet(id, r.str(), r.json());
            case 4 -> new TwinEvent.DesiredCleared(id, r.str());
            case 5 -> new TwinEvent.ReportedSet(id, r.str(), r.json());
            case 6 -> new TwinEvent.ReportedCleared(id, r.str());
            case 7 -> new TwinEvent.DeviceStateChanged(id, state(r.u8()));
            default -> throw new IllegalArgumentException("unknown event kind " + kind);
        };
        r.end();
        return event;
    }

    /** The device of a payload whose namespace matched {@code hint}'s: the hint itself when the name matches too. */
    private static DeviceId deviceNamed(BinaryReader r, DeviceId hint) {
        return r.strEquals(hint.name()) ? hint : new DeviceId(hint.namespace(), r.str());
    }

    static DeviceState state(int ordinal) {
        DeviceState[] all = DeviceState.values();
        if (ordinal >= all.length) throw new IllegalArgumentException("unknown device state " + ordinal);
        return all[ordinal];
    }

    /** A short name of the event's kind, as used in logs, history and audits (e.g. {@code DesiredSet}). */
    public static String kindName(TwinEvent event) {
        return event.getClass().getSimpleName();
    }

    private static int kind(TwinEvent e) {
        if (e instanceof TwinEvent.DeviceRegistered) return 1;
        if (e instanceof TwinEvent.DeviceRemoved) return 2;
        if (e instanceof TwinEvent.DesiredSet) return 3;
        if (e instanceof TwinEvent.DesiredCleared) return 4;
        if (e instanceof TwinEvent.ReportedSet) return 5;
        if (e instanceof TwinEvent.ReportedCleared) return 6;
        return 7;
    }
}
