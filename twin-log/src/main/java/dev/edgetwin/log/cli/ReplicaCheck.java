package dev.edgetwin.log.cli;

import dev.edgetwin.log.Journal;
import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.Hlc;
import dev.edgetwin.log.model.TwinEvent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * The replica part of {@code twinctl verify}: every stream held by both this node and a peer
 * must be an exact prefix of the other's copy (DESIGN.md §3: same seq, same bytes, so the same
 * hash chain) — whichever side wrote it. Compares entry bytes, stream by stream, up to the
 * shorter copy, and names the first entry that differs. Where either copy was trimmed, the
 * comparison starts at the later base, and a snapshot's chain hash must match the other
 * copy's entry just below it.
 */
final class ReplicaCheck {
    static final String NAME = "replicas";

    private ReplicaCheck() {
    }

    static Check compare(Journal local, Journal peer, String peerName, CommonOptions options) {
        TreeSet<String> common = new TreeSet<>(local.streams());
        common.retainAll(peer.streams());
        if (common.isEmpty()) return Check.ok(NAME, "no stream in common with " + peerName + ": nothing to compare");
        long total = 0;
        for (String s : common) total += Math.max(0, Math.min(local.nextSeq(s), peer.nextSeq(s)) - from(local, peer, s));
        List<String> lengths = new ArrayList<>();
        try (Progress p = options.progress("verify: replicas vs " + peerName, total, "entries")) {
            for (String stream : common) {
                long here = local.nextSeq(stream);
                long there = peer.nextSeq(stream);
                long n = Math.min(here, there);
                long from = from(local, peer, stream);
                Check base = bases(local, peer, peerName, stream);
                if (base != null) return base;
                if (from >= n) {
                    lengths.add(stream + " " + here + " here, " + there + " there, no entry held by both");
                    continue;
                }
                try (JournalCursor a = local.read(stream, from); JournalCursor b = peer.read(stream, from)) {
                    for (long seq = from; seq < n; seq++) {
                        JournalEntry ea = a.next();
                        JournalEntry eb = b.next();
                        if (!Arrays.equals(ea.bytes(), eb.bytes())) {
                            return Check.failed(NAME, stream + " here and at " + peerName + " are not prefixes of each other",
                                    stream + ":" + seq, "entry differs: here " + describe(ea) + "; at " + peerName + " " + describe(eb));
                        }
                        p.add(1);
                    }
                }
                lengths.add(stream + " " + (here == there ? here + " = " + there : here + " here, " + there + " there")
                        + (from > 0 ? ", compared from seq " + from : ""));
            }
        }
        return Check.ok(NAME, common.size() + " stream(s) in common with " + peerName + ", each an exact prefix of the other ("
                + String.join("; ", lengths) + ")");
    }

    /** Where both copies hold entries: a stream trimmed on either side starts at its snapshot's base there. */
    private static long from(Journal local, Journal peer, String stream) {
        return Math.max(local.firstSeq(stream), peer.firstSeq(stream));
    }

    /**
     * Where one copy starts from a snapshot at a base the other holds the entry before, the
     * snapshot's chain hash must be that entry's: the trimmed prefix was the same.
     */
    private static Check bases(Journal local, Journal peer, String peerName, String stream) {
        for (Journal[] pair : new Journal[][]{{local, peer}, {peer, local}}) {
            long base = pair[0].firstSeq(stream);
            if (base == 0 || base > pair[1].nextSeq(stream) || base - 1 < pair[1].firstSeq(stream)) continue;
            JournalEntry before;
            try (JournalCursor c = pair[1].read(stream, base - 1)) {
                before = c.next();
            }
            if (before != null && before.hash() != pair[0].baseHash(stream)) {
                String where = pair[0] == local ? "here" : "at " + peerName;
                return Check.failed(NAME, stream + " here and at " + peerName + " are not prefixes of each other", stream + ":" + (base - 1),
                        "the snapshot " + where + " continues a chain hash " + Long.toHexString(pair[0].baseHash(stream))
                                + ", the entry there has " + Long.toHexString(before.hash()));
            }
        }
        return null;
    }

    /** An entry in words: HLC time, origin, kind, device and property. */
    static String describe(JournalEntry e) {
        String event;
        try {
            TwinEvent ev = EventCodec.decode(e.payload());
            EventView v = new EventView(e, ev);
            event = v.kind() + " " + v.device() + (v.property() == null ? "" : " " + v.property())
                    + (v.value() == null ? "" : " = " + JsonOut.cell(v.value()));
        } catch (IllegalArgumentException undecodable) {
            event = "undecodable event";
        }
        return "[hlc " + Hlc.format(e.hlc()) + ", origin " + e.origin() + ", " + event + "]";
    }
}
