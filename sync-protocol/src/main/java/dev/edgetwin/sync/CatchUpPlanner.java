package dev.edgetwin.sync;

import dev.edgetwin.sync.wire.Frame;

import java.util.HexFormat;

/** Decides how a sender serves a receiver's announced position. Pure. */
public final class CatchUpPlanner {
    private CatchUpPlanner() {
    }

    /**
     * @param source the sender's stream
     * @param peer   the receiver's position: the next seq it expects and the chain hash of the entry before
     */
    public static CatchUpPlan plan(SourceStream source, Frame.StreamPosition peer) {
        long first = source.firstSeq();
        long head = source.head();
        long next = peer.next();
        if (next > head) {
            return new CatchUpPlan.Diverged(peer.stream() + ": the peer holds " + next + " entries, this side wrote only " + head);
        }
        if (next < first) return new CatchUpPlan.SnapshotRequired(first);
        long expected = source.hashBefore(next);
        if (expected != peer.hash()) {
            return new CatchUpPlan.Diverged(peer.stream() + ": the peer's chain head before seq " + next + " is "
                    + HexFormat.of().toHexDigits(peer.hash()) + ", this side's is " + HexFormat.of().toHexDigits(expected));
        }
        return new CatchUpPlan.StreamFrom(next);
    }
}
