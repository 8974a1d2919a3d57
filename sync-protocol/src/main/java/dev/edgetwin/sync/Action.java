package dev.edgetwin.sync;

import dev.edgetwin.sync.wire.Frame;
import dev.edgetwin.sync.wire.SyncCode;

import java.util.List;

/** What a {@link SyncSession} asks its adapter to do, in order. */
public sealed interface Action {

    /** Write this frame to the peer. */
    record Send(Frame frame) implements Action {
    }

    /**
     * Append these verified entries of {@code stream} (seqs {@code firstSeq .. next-1}) to the
     * replica through the node's writer, then call {@link SyncSession#appended(long)} with
     * {@code next} (or {@link SyncSession#appendFailed}).
     */
    record Append(String stream, long firstSeq, long next, List<byte[]> entries) implements Action {
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
