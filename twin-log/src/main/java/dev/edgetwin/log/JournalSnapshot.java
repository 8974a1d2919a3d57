package dev.edgetwin.log;

import java.util.List;

/**
 * A stream's state below seq {@code upTo} after retention trimmed it (FORMAT.md §6): the
 * compacted entries ({@link StreamCompaction}: original entries, increasing seqs, all below
 * {@code upTo}) and {@code hash}, the chain hash of entry {@code upTo - 1}, which the stream's
 * next entry carries as its prevHash. Immutable once built.
 */
public record JournalSnapshot(String stream, long upTo, long hash, List<JournalEntry> entries) {
    public JournalSnapshot {
        if (stream == null || stream.isEmpty()) throw new JournalException("journal:snapshot.invalid", "snapshot without a stream");
        if (upTo < 1) throw new JournalException("journal:snapshot.invalid", stream + ": snapshot up to " + upTo);
        entries = List.copyOf(entries);
        long last = -1;
        for (JournalEntry e : entries) {
            if (!e.stream().equals(stream) || e.seq() <= last || e.seq() >= upTo) {
                throw new JournalException("journal:snapshot.invalid", "snapshot of " + stream + " below " + upTo + " holds "
                        + e.stream() + "@" + e.seq() + " after seq " + last);
            }
            last = e.seq();
        }
    }

    /** Bytes of the entries. */
    public long bytes() {
        long n = 0;
        for (JournalEntry e : entries) n += e.bytes().length;
        return n;
    }

    /** Decodes a snapshot received from a peer (each entry checked by its CRC). */
    public static JournalSnapshot of(String stream, long upTo, long hash, List<byte[]> encoded) {
        List<JournalEntry> entries = new java.util.ArrayList<>(encoded.size());
        for (byte[] b : encoded) entries.add(EntryCodec.decode(b.clone()));
        return new JournalSnapshot(stream, upTo, hash, entries);
    }
}
