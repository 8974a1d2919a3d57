package dev.edgetwin.bench.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.edgetwin.bench.Workload;

/**
 * Stand-in journal entries for the raw Chronicle baseline while {@code EntryCodec} and
 * {@code EventCodec} are not on main: each has the size of a twin-log v1 entry
 * (twin-log/FORMAT.md: 56 fixed bytes, stream {@code edge/edge-a}, origin {@code edge-a}, no
 * client token) around a payload naming the event ({@code ReportedSet <device> <property>
 * <value>}), i.e. about 110–125 bytes. Only the size and the variety of the bytes matter to
 * a raw append; they are not decodable entries.
 */
public final class SampleEntries {
    static final String STREAM = "edge/" + Workload.NODE;
    private static final int FIXED = 56;

    private SampleEntries() {
    }

    /** One stand-in entry per update, in order. */
    public static byte[][] of(List<Workload.TwinUpdate> updates) {
        byte[] stream = STREAM.getBytes(StandardCharsets.UTF_8);
        byte[] origin = Workload.NODE.getBytes(StandardCharsets.UTF_8);
        byte[][] out = new byte[updates.size()][];
        long seq = 0;
        for (Workload.TwinUpdate u : updates) {
            byte[] payload = ("ReportedSet " + Workload.NAMESPACE + "/" + u.device() + " " + u.property() + " \"" + u.value() + "\"")
                    .getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(FIXED + stream.length + origin.length + payload.length);
            b.putInt(0x45544A45).put((byte) 1).put((byte) 0).putInt(b.capacity()).putLong(seq++)
                    .putLong(seq * 31).putLong(1_760_000_000_000L + seq).putLong(seq * 0x9E3779B97F4A7C15L)
                    .putShort((short) stream.length).putShort((short) origin.length).putShort((short) 0).putInt(payload.length)
                    .put(stream).put(origin).put(payload).putInt((int) seq);
            out[(int) seq - 1] = b.array();
        }
        return out;
    }
}
