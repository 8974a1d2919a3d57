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
 * shorter copy, and names the first entry that differs.
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
        for (String s : common) total += Math.min(local.nextSeq(s), peer.nextSeq(s));
        List<String> lengths = new ArrayList<>();
        try (Progress p = options.progress("verify: replicas vs " + peerName, total, "entries")) {
            for (String stream : common) {
                long here = local.nextSeq(stream);
                long there = peer.nextSeq(stream);
                long n = Math.min(here, there);
                try (JournalCursor a = local.read(stream, 0); JournalCursor b = peer.read(stream, 0)) {
                    for (long seq = 0; seq < n; seq++) {
                        JournalEntry ea = a.next();
                        JournalEntry eb = b.next();
                        if (!Arrays.equals(ea.bytes(), eb.bytes())) {
                            return Check.failed(NAME, stream + " here and at " + peerName + " are not prefixes of each other",
                                    stream + ":" + seq, "entry differs: here " + describe(ea) + "; at " + peerName + " " + describe(eb));
                        }
                        p.add(1);
                    }
                }
                lengths.add(stream + " " + (here == there ? here + " = " + there : here + " here, " + there + " there"));
            }
        }
        return Check.ok(NAME, common.size() + " stream(s) in common with " + peerName + ", each an exact prefix of the other ("
                + String.join("; ", lengths) + ")");
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
