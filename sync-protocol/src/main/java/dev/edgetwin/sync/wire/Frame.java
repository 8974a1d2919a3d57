package dev.edgetwin.sync.wire;

import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One protocol frame (PROTOCOL.md §3): control frames travel as JSON text messages
 * ({@link ControlCodec}), {@link Data} frames as binary messages ({@link DataCodec}).
 * Records validate what the wire format cannot express (ranges, non-empty names).
 */
public sealed interface Frame {

    /**
     * Credit as absolute limits (PROTOCOL.md §4): the peer may send entries with seq below
     * {@code untilSeq}, and data frames while the connection's running total of entry bytes
     * stays at or below {@code untilBytes}. Limits only grow; a stale one is harmless.
     */
    record Credit(long untilSeq, long untilBytes) {
        public Credit {
            if (untilSeq < 0 || untilBytes < 0) throw new IllegalArgumentException("credit limits must be >= 0: " + untilSeq + "/" + untilBytes);
        }
    }

    /** A receiver's position in a stream: the next seq it expects and the chain hash of the entry before it. */
    record StreamPosition(String stream, long next, long hash) {
        public StreamPosition {
            requireName(stream);
            if (next < 0) throw new IllegalArgumentException("next must be >= 0, got " + next);
        }

        @Override
        public String toString() {
            return stream + "@" + next + "#" + hex(hash);
        }
    }

    /** {@code hello} (edge, {@code welcome == false}) or {@code welcome} (cloud). */
    record Handshake(boolean welcome, int version, String node, String session, StreamPosition receives,
                     String sends, long head, Credit credit, int maxBatchBytes, int heartbeatMs) implements Frame {
        public Handshake {
            requireName(node);
            Objects.requireNonNull(receives, "receives");
            requireName(sends);
            Objects.requireNonNull(credit, "credit");
            if (welcome) requireName(session);
            if (head < 0) throw new IllegalArgumentException("head must be >= 0, got " + head);
            if (maxBatchBytes < 1) throw new IllegalArgumentException("maxBatchBytes must be >= 1");
            if (heartbeatMs < 100 || heartbeatMs > 600_000) {
                throw new IllegalArgumentException("heartbeatMs must be 100..600000, got " + heartbeatMs);
            }
        }
    }

    /** The receiver holds every entry of {@code stream} below {@code next}; grants {@code credit} more. */
    record Ack(String stream, long next, Credit credit) implements Frame {
        public Ack {
            requireName(stream);
            Objects.requireNonNull(credit, "credit");
            if (next < 0) throw new IllegalArgumentException("next must be >= 0, got " + next);
        }
    }

    /**
     * Heartbeat and status, sent every heartbeat interval whatever else travels: {@code head} is
     * the sender's head of the stream it writes, {@code sent} the seq up to which it sent entries
     * on this connection (a receiver holding less lost frames), and {@code ack} repeats its
     * latest acknowledgement of the stream it receives (so a lost ack cannot stall the peer).
     */
    record Ping(long head, long sent, Ack ack) implements Frame {
        public Ping {
            if (head < 0 || sent < 0) throw new IllegalArgumentException("head and sent must be >= 0");
            Objects.requireNonNull(ack, "ack");
        }
    }

    /** Announces a snapshot of {@code stream} below {@code upTo}, carried by the next kind-2 data frames. */
    record SnapshotHeader(String stream, long upTo, long hash, int entries, long bytes) implements Frame {
        public SnapshotHeader {
            requireName(stream);
            if (upTo < 1 || entries < 0 || bytes < 0) {
                throw new IllegalArgumentException("snapshot upTo must be >= 1, entries and bytes >= 0");
            }
        }
    }

    /** The reason of the close that follows ({@code "type":"error"}). */
    record ErrorFrame(SyncCode code, String message) implements Frame {
        public ErrorFrame {
            Objects.requireNonNull(code, "code");
            message = message == null ? "" : message;
        }
    }

    /**
     * A binary data frame: journal entries of one stream, back to back, exactly as stored.
     * {@code bytes} is the size of the entries section.
     */
    record Data(Kind kind, String stream, long firstSeq, long head, List<byte[]> entries, int bytes) implements Frame {
        public enum Kind {
            ENTRIES(1), SNAPSHOT(2);

            final int wire;

            Kind(int wire) {
                this.wire = wire;
            }
        }

        public Data {
            Objects.requireNonNull(kind, "kind");
            requireName(stream);
            entries = List.copyOf(entries);
            if (entries.isEmpty()) throw new IllegalArgumentException("a data frame carries at least one entry");
            if (firstSeq < 0 || head < 0) throw new IllegalArgumentException("firstSeq and head must be >= 0");
        }

        /** An entries frame (kind 1) of contiguous entries starting at {@code firstSeq}. */
        public static Data entries(String stream, long firstSeq, long head, List<byte[]> entries) {
            return new Data(Kind.ENTRIES, stream, firstSeq, head, entries, sizeOf(entries));
        }

        /** A snapshot frame (kind 2). */
        public static Data snapshot(String stream, long head, List<byte[]> entries) {
            return new Data(Kind.SNAPSHOT, stream, 0, head, entries, sizeOf(entries));
        }

        private static int sizeOf(List<byte[]> entries) {
            long n = 0;
            for (byte[] e : entries) n += e.length;
            if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("data frame over 2 GiB");
            return (int) n;
        }

        @Override
        public String toString() {
            return "Data[" + kind + " " + stream + "@" + firstSeq + " x" + entries.size() + ", " + bytes + " bytes, head " + head + "]";
        }
    }

    static void requireName(String s) {
        if (s == null || s.isEmpty()) throw new IllegalArgumentException("empty name");
    }

    /** A chain hash as 16 lowercase hex digits (the wire form). */
    static String hex(long hash) {
        return HexFormat.of().toHexDigits(hash);
    }
}
