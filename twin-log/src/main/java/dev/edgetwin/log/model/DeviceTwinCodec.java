package dev.edgetwin.log.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The full internal state of a {@link DeviceTwin} as bytes — stamps and tombstones included —
 * for the projection store. Deterministic: equal twins encode to equal bytes, so two
 * projections can be compared byte for byte. Layout, big-endian ({@code str}/{@code json} as
 * in {@link EventCodec}, {@code stamp} = i64 hlc | str origin, {@code ?x} = u8 presence then x):
 * <pre>
 *   u8 version (=1) | str namespace | str name | i64 maxHlc
 *   ?registration{stamp | str node | str model | u32 n {str | json} | u32 n {str | str type | bool readOnly}}
 *   ?removed{stamp}
 *   u32 n desired {str property | stamp | ?json value}
 *   u32 n reported {str property | stamp | ?json value}
 *   ?state{stamp | u8 ordinal}
 * </pre>
 */
public final class DeviceTwinCodec {
    public static final int VERSION = 1;

    private DeviceTwinCodec() {
    }

    public static byte[] encode(DeviceTwin t) {
        BinaryWriter w = BinaryWriter.reused().u8(VERSION).str(t.id().namespace()).str(t.id().name()).i64(t.maxHlc());
        Registration reg = t.registration();
        w.bool(reg != null);
        if (reg != null) {
            stamp(w, reg.stamp());
            w.str(reg.node()).str(reg.model()).i32(reg.attributes().size());
            reg.attributes().forEach((k, v) -> w.str(k).json(v));
            w.i32(reg.properties().size());
            reg.properties().forEach((k, d) -> w.str(k).str(d.type()).bool(d.readOnly()));
        }
        w.bool(t.removedStamp() != null);
        if (t.removedStamp() != null) stamp(w, t.removedStamp());
        fields(w, t.desiredFields());
        fields(w, t.reportedFields());
        w.bool(t.stateStamp() != null);
        if (t.stateStamp() != null) {
            stamp(w, t.stateStamp());
            w.u8(t.state().ordinal());
        }
        return w.toBytes();
    }

    public static DeviceTwin decode(byte[] bytes) {
        BinaryReader r = new BinaryReader(bytes);
        int version = r.u8();
        if (version != VERSION) throw new IllegalArgumentException("unknown twin state version " + version);
        DeviceId id = new DeviceId(r.str(), r.str());
        long maxHlc = r.i64();
        Registration reg = null;
        if (r.bool()) {
            Stamp s = stamp(r);
            String node = r.str();
            String model = r.str();
            int na = r.count(8);
            Map<String, JsonNode> attrs = new TreeMap<>();
            for (int i = 0; i < na; i++) attrs.put(r.str(), r.json());
            int np = r.count(9);
            Map<String, PropertyDef> props = new TreeMap<>();
            for (int i = 0; i < np; i++) props.put(r.str(), new PropertyDef(r.str(), r.bool()));
            reg = new Registration(s, node, model, Collections.unmodifiableMap(attrs), Collections.unmodifiableMap(props));
        }
        Stamp removed = r.bool() ? stamp(r) : null;
        Map<String, Field> desired = fields(r);
        Map<String, Field> reported = fields(r);
        Stamp stateStamp = null;
        DeviceState state = DeviceState.UNKNOWN;
        if (r.bool()) {
            stateStamp = stamp(r);
            state = EventCodec.state(r.u8());
        }
        r.end();
        return new DeviceTwin(id, reg, removed, desired, reported, stateStamp, state, maxHlc);
    }

    private static void stamp(BinaryWriter w, Stamp s) {
        w.i64(s.hlc()).str(s.origin());
    }

    private static Stamp stamp(BinaryReader r) {
        return new Stamp(r.i64(), r.str());
    }

    private static void fields(BinaryWriter w, Map<String, Field> fields) {
        w.i32(fields.size());
        fields.forEach((k, f) -> {
            w.str(k);
            stamp(w, f.stamp());
            w.bool(f.isSet());
            if (f.isSet()) w.json(f.value());
        });
    }

    private static Map<String, Field> fields(BinaryReader r) {
        int n = r.count(17);
        String[] keys = new String[n];
        Field[] values = new Field[n];
        for (int i = 0; i < n; i++) {
            keys[i] = r.str();
            Stamp s = stamp(r);
            values[i] = new Field(s, r.bool() ? r.json() : null);
        }
        FieldMap sorted = FieldMap.ofSorted(keys, values);
        if (sorted != null) return sorted;
        // not as encode writes it: the later of two equal keys wins, as it always did
        TreeMap<String, Field> out = new TreeMap<>();
        for (int i = 0; i < n; i++) out.put(keys[i], values[i]);
        return FieldMap.copyOf(out);
    }
}
