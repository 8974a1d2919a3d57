package dev.edgetwin.sync;

import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.sync.wire.Frame;
import dev.edgetwin.sync.wire.SyncCode;

import java.util.ArrayList;
import java.util.List;

/** What a {@link SyncSession} asks its adapter to do, in order. */
public sealed interface Action {

    /** Write this frame to the peer. */
    record Send(Frame frame) implements Action {
    }

    /**
     * Append these verified entries of {@code stream} (seqs {@code firstSeq .. next-1}, decoded
     * and checked by the receiver: CRC, seq, chain) to the replica through the node's writer,
     * then call {@link SyncSession#appended(long)} with {@code next} (or
     * {@link SyncSession#appendFailed}). Consecutive appends may go to the writer together and
     * be acknowledged with the last one's {@code next}.
     */
    record Append(String stream, long firstSeq, long next, List<JournalEntry> decoded) implements Action {
        /** The entries' bytes, exactly as received. */
        public List<byte[]> entries() {
            List<byte[]> out = new ArrayList<>(decoded.size());
            for (JournalEntry e : decoded) out.add(e.bytes());
            return out;
        }
    }

    /**
     * Install a received snapshot of {@code stream} below {@code upTo} (its entries verified by
     * CRC), then call {@link SyncSession#appended(long)} with {@code upTo}.
     */
    record InstallSnapshot(String stream, long upTo, long hash, List<byte[]> entries) implements Action {
    }

    /** Send an error frame with this code and close the connection with its status. */
    record Close(SyncCode code, String message) implements Action {
    }
}
