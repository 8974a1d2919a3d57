package dev.edgetwin.bench.log;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.edgetwin.bench.Workload;
import dev.edgetwin.log.EntryCodec;
import dev.edgetwin.log.EntryDraft;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.Hlc;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.TwinEvent;

/**
 * The workload's updates as journal input: one {@link TwinEvent.ReportedSet} per update,
 * its {@link EventCodec} payload, one {@link EntryDraft} on stream {@link #STREAM}, and the
 * exact entry bytes ({@link EntryCodec}, FORMAT.md v1) a journal writes for them from seq 0 —
 * so the raw Chronicle baseline appends the same bytes the journal does.
 *
 * <p>Values become JSON by the property's type: {@code int}/{@code float} properties as
 * numbers, the others as strings (KubeEdge sends them all as strings; EdgeTwin keeps JSON).
 * Entries of the standard workload come out at 116–123 bytes.
 */
public final class TwinEntries {
    public static final String STREAM = "edge/" + Workload.NODE;
    /** HLC of the first draft; later drafts count up from it. */
    static final long FIRST_HLC = Hlc.pack(1_760_000_000_000L, 0);

    private TwinEntries() {
    }

    /** The event of {@code update}: device {@code default/<device>} reports the value. */
    public static TwinEvent.ReportedSet event(Workload.TwinUpdate update) {
        return new TwinEvent.ReportedSet(new DeviceId(Workload.NAMESPACE, update.device()), update.property(),
                json(update.property(), update.value()));
    }

    /** The value of {@code property} as JSON: a number for numeric types, else a string. */
    public static JsonNode json(String property, String value) {
        return switch (Workload.typeOf(property)) {
            case "int", "float" -> JsonNodeFactory.instance.numberNode(new BigDecimal(value));
            default -> JsonValues.text(value);
        };
    }

    /** The encoded event of {@code update}. */
    public static byte[] payload(Workload.TwinUpdate update) {
        return EventCodec.encode(event(update));
    }

    /** The draft of update number {@code i}: written by {@link Workload#NODE}, HLC {@code FIRST_HLC + i}. */
    public static EntryDraft draft(int i, byte[] payload) {
        long hlc = FIRST_HLC + i;
        return new EntryDraft(hlc, Workload.NODE, Hlc.millis(hlc), "", payload);
    }

    /** One draft per update, with increasing HLCs. */
    public static List<EntryDraft> drafts(List<Workload.TwinUpdate> updates) {
        List<EntryDraft> out = new ArrayList<>(updates.size());
        for (int i = 0; i < updates.size(); i++) out.add(draft(i, payload(updates.get(i))));
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
