package dev.edgetwin.sync;

import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.sync.wire.Frame;
import dev.edgetwin.sync.wire.SyncCode;
import dev.edgetwin.sync.wire.SyncException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * The sending half of a session (PROTOCOL.md §2.3, §4, §7): serves the receiver's position
 * with a snapshot if needed, then entries from the journal within the credit granted, and
 * checks the receiver's acks.
 *
 * <p><b>Memory.</b> It holds no copy of what it sent (after a reconnect the journal is read
 * again): one batch being built, one carried entry, and per unacknowledged frame two longs.
 * Whatever credit the receiver grants, it never has more than its own window in flight:
 * {@code windowEntries} entries past the last ack and {@code windowBytes} bytes of entries
 * past it. Not thread-safe; the cursor it opens belongs to the session's thread.
 */
final class StreamSender {
    /** An entries frame in flight: its end seq and the running byte total of entry frames after it. */
    private record InFlight(long next, long entryBytesAfter) {
    }

    private final SourceStream source;
    private final SyncOptions options;
    private final int peerMaxBatchBytes;
    private final Deque<InFlight> inFlight = new ArrayDeque<>();
    private long next;              // next seq to send
    private long acked;             // the receiver holds everything below
    private long untilSeq;          // the receiver's limits, as granted
    private long untilBytes;
    private long sessionBytes;      // entry bytes of every data frame sent (what the receiver's byte limit counts)
    private long entryFrameBytes;   // of those, in entries frames (what this side's own byte window counts)
    private long ackedEntryFrameBytes;
    private JournalCursor cursor;
    private JournalEntry carry;     // read, but did not fit the last frame
    private Iterator<byte[]> snapshotEntries;
    private byte[] snapshotCarry;
    private long sentBeforeSnapshot = -1;
    private long sentEntries;

    StreamSender(SourceStream source, SyncOptions options, Frame.Handshake peer) {
        this.source = source;
        this.options = options;
        this.peerMaxBatchBytes = peer.maxBatchBytes();
        this.acked = peer.receives().next();
        this.next = peer.receives().next();
        this.untilSeq = peer.credit().untilSeq();
        this.untilBytes = peer.credit().untilBytes();
    }

    /** Plans from the receiver's position; returns the snapshot header to send first, if any. */
    Frame.SnapshotHeader start(Frame.StreamPosition peer) {
        CatchUpPlan plan = CatchUpPlanner.plan(source, peer);
        if (plan instanceof CatchUpPlan.Diverged d) throw new SyncException(SyncCode.DIVERGED, d.reason());
        if (plan instanceof CatchUpPlan.StreamFrom f) {
            next = f.seq();
            return null;
        }
        long upTo = ((CatchUpPlan.SnapshotRequired) plan).upTo();
        StreamSnapshot s = source.snapshot();
        if (s == null || s.upTo() != upTo) {
            throw new SyncException(SyncCode.INTERNAL, source.name() + " is trimmed below " + upTo + " but holds no snapshot up to there");
        }
        sentBeforeSnapshot = next;
        next = upTo;
        snapshotEntries = s.entries().get();
        if (s.count() == 0) finishSnapshot();
        return new Frame.SnapshotHeader(s.stream(), s.upTo(), s.hash(), s.count(), s.bytes());
    }

    /** An ack from the receiver: checks it, takes its credit (limits only grow). */
    void onAck(Frame.Ack ack) {
        if (!ack.stream().equals(source.name())) {
            throw new SyncException(SyncCode.STREAM, "ack for " + ack.stream() + " on the connection of " + source.name());
        }
        if (ack.next() < acked || ack.next() > next) {
            throw new SyncException(SyncCode.ACK_INVALID, source.name() + ": ack " + ack.next() + " outside " + acked + ".." + next);
        }
        acked = ack.next();
        while (!inFlight.isEmpty() && inFlight.peekFirst().next() <= acked) ackedEntryFrameBytes = inFlight.removeFirst().entryBytesAfter();
        untilSeq = Math.max(untilSeq, ack.credit().untilSeq());
        untilBytes = Math.max(untilBytes, ack.credit().untilBytes());
    }

    /** The data frames the credit allows now (possibly none): the snapshot's, then the journal's. */
    List<Frame.Data> pump() {
        List<Frame.Data> out = new ArrayList<>();
        while (true) {
            Frame.Data d = snapshotEntries != null ? nextSnapshotFrame() : nextEntriesFrame();
            if (d == null) return out;
            sessionBytes += d.bytes();
            sentEntries += d.entries().size();
            out.add(d);
        }
    }

    private Frame.Data nextEntriesFrame() {
        long maxEntries = Math.min(options.maxBatchEntries(), Math.min(untilSeq, acked + options.windowEntries()) - next);
        long maxBytes = Math.min(peerMaxBatchBytes, Math.min(untilBytes - sessionBytes,
                ackedEntryFrameBytes + options.windowBytes() - entryFrameBytes));
        if (maxEntries <= 0 || maxBytes <= 0) return null;
        if (cursor == null) cursor = source.read(next);
        List<byte[]> batch = new ArrayList<>();
        long bytes = 0;
        long first = next;
        while (batch.size() < maxEntries) {
            JournalEntry e = carry != null ? carry : cursor.next();
            carry = null;
            if (e == null) break;
            if (e.seq() != next) throw new IllegalStateException(source.name() + ": cursor returned seq " + e.seq() + ", expected " + next);
            if (bytes + e.bytes().length > maxBytes) {
                carry = e;
                if (batch.isEmpty()) checkFits(e.bytes().length, e.seq());
                break;
            }
            batch.add(e.bytes());
            bytes += e.bytes().length;
            next++;
        }
        if (batch.isEmpty()) return null;
        entryFrameBytes += bytes;
        inFlight.addLast(new InFlight(next, entryFrameBytes));
        return Frame.Data.entries(source.name(), first, source.head(), batch);
    }

    /** Snapshot frames spend the receiver's byte credit only: the receiver buffers them at once. */
    private Frame.Data nextSnapshotFrame() {
        long maxBytes = Math.min(peerMaxBatchBytes, untilBytes - sessionBytes);
        if (maxBytes <= 0) return null;
        List<byte[]> batch = new ArrayList<>();
        long bytes = 0;
        while (batch.size() < options.maxBatchEntries()) {
            byte[] e;
            if (snapshotCarry != null) {
                e = snapshotCarry;
                snapshotCarry = null;
            } else if (snapshotEntries.hasNext()) {
                e = snapshotEntries.next();
            } else {
                break;
            }
            if (bytes + e.length > maxBytes) {
                snapshotCarry = e;
                if (batch.isEmpty()) checkFits(e.length, -1);
                break;
            }
            batch.add(e);
            bytes += e.length;
        }
        // done as soon as the last entry is in a frame, so a ping after it already says "sent up to upTo"
        if (snapshotCarry == null && !snapshotEntries.hasNext()) finishSnapshot();
        if (!batch.isEmpty()) return Frame.Data.snapshot(source.name(), source.head(), batch);
        return snapshotEntries == null ? nextEntriesFrame() : null;
    }

    private void finishSnapshot() {
        snapshotEntries = null;
        sentBeforeSnapshot = -1;
    }

    /** An entry that cannot fit even an empty frame under full credit would stall the stream for ever. */
    private void checkFits(int size, long seq) {
        if (size > peerMaxBatchBytes || size > options.windowBytes()) {
            throw new SyncException(SyncCode.BATCH_TOO_LARGE, source.name() + (seq >= 0 ? "@" + seq : " snapshot entry") + " is " + size
                    + " bytes, more than one frame may carry (" + Math.min(peerMaxBatchBytes, options.windowBytes()) + ")");
        }
    }

    /** The seq up to which entries were sent on this connection (pings carry it); a snapshot counts once all of it is sent. */
    long sent() {
        return sentBeforeSnapshot >= 0 ? sentBeforeSnapshot : next;
    }

    long next() {
        return next;
    }

    long acked() {
        return acked;
    }

    long sentEntries() {
        return sentEntries;
    }

    long sentBytes() {
        return sessionBytes;
    }

    /** Entry bytes sent and not yet acknowledged (never more than this side's byte window). */
    long unackedBytes() {
        return entryFrameBytes - ackedEntryFrameBytes;
    }

    void close() {
        if (cursor != null) cursor.close();
        cursor = null;
        carry = null;
        snapshotEntries = null;
    }
}
