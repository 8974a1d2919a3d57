package dev.edgetwin.bench.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.edgetwin.bench.Workload;
import dev.edgetwin.log.EntryCodec;
import dev.edgetwin.log.EntryDraft;
import dev.edgetwin.log.model.Hlc;

/**
 * The workload's updates as journal input: one {@link EntryDraft} per update on stream
 * {@link #STREAM}, and the exact entry bytes ({@link EntryCodec}, FORMAT.md v1) a journal
 * writes for them from seq 0 — so the raw Chronicle baseline appends the same bytes the
 * journal does.
 *
 * <p>The payload is a stand-in for {@code EventCodec} (not on main yet): the UTF-8 text
 * {@code ReportedSet <ns>/<device> <property> "<value>"}, 40–50 bytes, which makes entries of
 * 115–130 bytes. Journal and raw benchmarks share it, so their ratio does not depend on it.
 */
public final class TwinEntries {
    public static final String STREAM = "edge/" + Workload.NODE;
    /** HLC of the first draft; later drafts count up from it. */
    static final long FIRST_HLC = Hlc.pack(1_760_000_000_000L, 0);

    private TwinEntries() {
    }

    /** The encoded event of {@code update}. */
    public static byte[] payload(Workload.TwinUpdate update) {
        return ("ReportedSet " + Workload.NAMESPACE + "/" + update.device() + " " + update.property() + " \"" + update.value() + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** One draft per update, written by {@link Workload#NODE}, with increasing HLCs. */
    public static List<EntryDraft> drafts(List<Workload.TwinUpdate> updates) {
        List<EntryDraft> out = new ArrayList<>(updates.size());
        for (int i = 0; i < updates.size(); i++) {
            long hlc = FIRST_HLC + i;
            out.add(new EntryDraft(hlc, Workload.NODE, Hlc.millis(hlc), "", payload(updates.get(i))));
        }
        return out;
    }

    /** The entries a journal writes for {@code drafts} on an empty {@link #STREAM}: seq 0.., hash-chained. */
    public static byte[][] encoded(List<EntryDraft> drafts) {
        byte[][] out = new byte[drafts.size()][];
        long prevHash = 0;
        for (int seq = 0; seq < drafts.size(); seq++) {
            EntryDraft d = drafts.get(seq);
            out[seq] = EntryCodec.encode(STREAM, seq, d.hlc(), d.origin(), d.wallTime(), d.clientToken(), prevHash, d.payload());
            prevHash = EntryCodec.hash(prevHash, out[seq]);
        }
        return out;
    }
}
