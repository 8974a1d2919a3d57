package dev.edgetwin.sync;

import dev.edgetwin.log.EntryCodec;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.JournalException;
import dev.edgetwin.log.StreamChain;
import dev.edgetwin.sync.wire.Frame;
import dev.edgetwin.sync.wire.SyncCode;
import dev.edgetwin.sync.wire.SyncException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The receiving half of a session (PROTOCOL.md §4, §5, §7): checks every data frame against
 * the replica's position, the credit granted and the hash chain before handing it to the
 * writer, and acknowledges only what the writer appended. Not thread-safe: owned by its
 * {@link SyncSession}.
 *
 * <p>Positions: {@code expected} advances when a frame is accepted (frames are pipelined to
 * the writer), {@code appended} when the writer reports it done; acks carry the latter and
 * grant credit from it, so what waits for the writer never exceeds the window.
 */
final class StreamReceiver {
    /** An accepted frame waiting for the writer: where it ends, and the byte total after it. */
    private record Pending(long next, long bytesAfter) {
    }

    private final String stream;
    private final SyncOptions options;
    private final Deque<Pending> pending = new ArrayDeque<>();
    private long expected;
    private long expectedHash;
    private long appended;
    private long receivedBytes;   // entry bytes of every data frame of this connection
    private long releasedBytes;   // of those, appended (or buffered into a snapshot)
    private long peerHead;
    private long receivedEntries;
    private SnapshotAssembly snapshot;

    StreamReceiver(String stream, Frame.StreamPosition position, SyncOptions options) {
        this.stream = stream;
        this.options = options;
        this.expected = position.next();
        this.expectedHash = position.hash();
        this.appended = position.next();
    }

    /** The credit this side grants: a window of entries past what it holds, and of bytes past what it released. */
    Frame.Credit credit() {
        return new Frame.Credit(appended + options.windowEntries(), releasedBytes + options.windowBytes());
    }

    /** Checks a data frame; returns the action for the adapter (or null) or throws the coded refusal. */
    Action onData(Frame.Data d) {
        if (!d.stream().equals(stream)) throw new SyncException(SyncCode.STREAM, "data for " + d.stream() + " on the connection of " + stream);
        if (d.bytes() > options.maxBatchBytes()) {
            throw new SyncException(SyncCode.BATCH_TOO_LARGE, "entries section of " + d.bytes() + " bytes, limit " + options.maxBatchBytes());
        }
        Frame.Credit granted = credit();
        if (receivedBytes + d.bytes() > granted.untilBytes()) {
            throw new SyncException(SyncCode.CREDIT, d.bytes() + " bytes sent with " + (granted.untilBytes() - receivedBytes) + " bytes of credit left");
        }
        peerHead = Math.max(peerHead, d.head());
        if (d.kind() == Frame.Data.Kind.SNAPSHOT) return onSnapshotData(d);
        if (snapshot != null) throw new SyncException(SyncCode.SNAPSHOT_INVALID, "entries frame while a snapshot is half received");
        if (d.firstSeq() > expected) throw new SyncException(SyncCode.GAP, stream + " expects seq " + expected + ", got " + d.firstSeq());
        if (d.firstSeq() < expected) {
            throw new SyncException(SyncCode.OFFSET, stream + " expects seq " + expected + ", got " + d.firstSeq() + " (duplicate or replayed frame)");
        }
        if (expected + d.entries().size() > granted.untilSeq()) {
            throw new SyncException(SyncCode.CREDIT, d.entries().size() + " entries from seq " + expected + " but credit ends at seq " + granted.untilSeq());
        }
        List<JournalEntry> verified = verify(d.entries());
        long first = expected;
        expected += verified.size();
        expectedHash = verified.get(verified.size() - 1).hash();
        receivedBytes += d.bytes();
        receivedEntries += d.entries().size();
        pending.addLast(new Pending(expected, receivedBytes));
        return new Action.Append(stream, first, expected, verified);
    }

    private List<JournalEntry> verify(List<byte[]> entries) {
        try {
            return StreamChain.verifyReplica(stream, expected, expectedHash, entries, options.maxEntryBytes());
        } catch (JournalException e) {
            throw new SyncException(codeOf(e.code()), e.getMessage());
        }
    }

    static SyncCode codeOf(String journalCode) {
        return JournalCodes.toSync(journalCode);
    }

    /** A heartbeat: the peer says it sent everything below {@code sent}; holding less means frames were lost. */
    void onPing(Frame.Ping p) {
        peerHead = Math.max(peerHead, p.head());
        if (p.sent() > expected) {
            throw new SyncException(SyncCode.GAP, stream + ": the peer sent up to seq " + p.sent() + ", this side received up to " + expected);
        }
        if (p.sent() < expected) {
            throw new SyncException(SyncCode.OFFSET, stream + ": the peer says it sent up to seq " + p.sent() + ", this side already received "
                    + expected + " (stale or replayed ping)");
        }
    }

    /**
     * A snapshot announcement: the frames that follow must carry exactly what it says. Returns
     * the install action at once for an empty snapshot, null otherwise.
     */
    Action onSnapshotHeader(Frame.SnapshotHeader h, long maxSnapshotBytes) {
        if (!h.stream().equals(stream)) throw new SyncException(SyncCode.STREAM, "snapshot of " + h.stream() + " on the connection of " + stream);
        if (snapshot != null) throw new SyncException(SyncCode.SNAPSHOT_INVALID, "second snapshot announced before the first was complete");
        if (h.upTo() <= expected) {
            throw new SyncException(SyncCode.SNAPSHOT_INVALID, "snapshot up to " + h.upTo() + " but this side already expects seq " + expected);
        }
        if (h.bytes() > maxSnapshotBytes) {
            throw new SyncException(SyncCode.SNAPSHOT_INVALID, "snapshot of " + h.bytes() + " bytes, limit " + maxSnapshotBytes);
        }
        if ((h.entries() == 0) != (h.bytes() == 0)) {
            throw new SyncException(SyncCode.SNAPSHOT_INVALID, "snapshot of " + h.entries() + " entries and " + h.bytes() + " bytes");
        }
        snapshot = new SnapshotAssembly(h, options.maxEntryBytes());
        return h.entries() == 0 ? install() : null;
    }

    private Action onSnapshotData(Frame.Data d) {
        if (snapshot == null) throw new SyncException(SyncCode.SNAPSHOT_INVALID, "snapshot frame without a snapshot announcement");
        snapshot.add(d.entries(), d.bytes());
        receivedBytes += d.bytes();
        receivedEntries += d.entries().size();
        // buffered (bounded by the snapshot limit), not waiting for the writer: the credit goes
        // back at once, or a snapshot larger than the window would stall
        releasedBytes = receivedBytes;
        if (!snapshot.complete()) return new Action.Send(new Frame.Ack(stream, appended, credit()));
        return install();
    }

    private Action install() {
        Frame.SnapshotHeader h = snapshot.header();
        List<byte[]> entries = snapshot.entries();
        snapshot = null;
        expected = h.upTo();
        expectedHash = h.hash();
        pending.addLast(new Pending(h.upTo(), receivedBytes));
        return new Action.InstallSnapshot(stream, h.upTo(), h.hash(), entries);
    }

    /** The writer appended everything below {@code next}: the ack, granting credit from there. */
    Frame.Ack appended(long next) {
        if (next < appended || next > expected) throw new IllegalStateException("appended " + next + " outside " + appended + ".." + expected);
        while (!pending.isEmpty() && pending.peekFirst().next() <= next) releasedBytes = Math.max(releasedBytes, pending.removeFirst().bytesAfter());
        appended = next;
        return new Frame.Ack(stream, next, credit());
    }

    /** The acknowledgement of everything appended so far, with the credit from there (pings repeat it). */
    Frame.Ack lastAck() {
        return new Frame.Ack(stream, appended, credit());
    }

    long expected() {
        return expected;
    }

    long appendedNext() {
        return appended;
    }

    long peerHead() {
        return peerHead;
    }

    void peerHead(long head) {
        peerHead = Math.max(peerHead, head);
    }

    long receivedEntries() {
        return receivedEntries;
    }

    long receivedBytes() {
        return receivedBytes;
    }

    /** Bytes accepted but not yet appended (never more than the byte window). */
    long unappendedBytes() {
        return receivedBytes - releasedBytes;
    }

    /** A snapshot being received: entries checked one by one against the announcement. */
    private static final class SnapshotAssembly {
        private final Frame.SnapshotHeader header;
        private final int maxEntryBytes;
        private final List<byte[]> entries = new ArrayList<>();
        private long bytes;
        private long lastSeq = -1;

        SnapshotAssembly(Frame.SnapshotHeader header, int maxEntryBytes) {
            this.header = header;
            this.maxEntryBytes = maxEntryBytes;
        }

        void add(List<byte[]> frameEntries, int frameBytes) {
            if (entries.size() + frameEntries.size() > header.entries() || bytes + frameBytes > header.bytes()) {
                throw new SyncException(SyncCode.SNAPSHOT_INVALID, "snapshot frames exceed the announced " + header.entries()
                        + " entries / " + header.bytes() + " bytes");
            }
            for (byte[] b : frameEntries) {
                if (b.length > maxEntryBytes) throw new SyncException(SyncCode.BATCH_TOO_LARGE, "snapshot entry of " + b.length + " bytes");
                JournalEntry e;
                try {
                    e = EntryCodec.decode(b.clone());
                } catch (JournalException ex) {
                    throw new SyncException(codeOf(ex.code()), "snapshot entry: " + ex.getMessage());
                }
                if (!e.stream().equals(header.stream()) || e.seq() <= lastSeq || e.seq() >= header.upTo()) {
                    throw new SyncException(SyncCode.SNAPSHOT_INVALID, "snapshot entry " + e.stream() + "@" + e.seq() + " after seq " + lastSeq
                            + " in a snapshot of " + header.stream() + " below " + header.upTo());
                }
                lastSeq = e.seq();
                entries.add(b);
            }
            bytes += frameBytes;
        }

        boolean complete() {
            return entries.size() == header.entries() && bytes == header.bytes();
        }

        Frame.SnapshotHeader header() {
            return header;
        }

        List<byte[]> entries() {
            return entries;
        }
    }
}
