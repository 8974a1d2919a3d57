package dev.edgetwin.log;

import java.util.Arrays;

/**
 * One entry of a stream as stored and as replicated. {@code bytes} is the complete encoded
 * entry (see twin-log/FORMAT.md) — exactly what travels to a peer and what the peer appends;
 * the other fields are decoded views of it. {@code payload} is the encoded event
 * ({@link dev.edgetwin.log.model.EventCodec}). {@code hash} is this entry's chain hash, which
 * the next entry of the stream carries as its {@code prevHash}.
 */
public record JournalEntry(String stream, long seq, long hlc, String origin, long wallTime,
                           String clientToken, long prevHash, long hash, byte[] payload, byte[] bytes) {

    @Override
    public boolean equals(Object o) {
        return o instanceof JournalEntry e && Arrays.equals(bytes, e.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "JournalEntry[" + stream + "@" + seq + ", hlc=" + hlc + ", origin=" + origin + ", " + bytes.length + " bytes]";
    }
}
