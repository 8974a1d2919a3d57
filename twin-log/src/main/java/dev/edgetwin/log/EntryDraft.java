package dev.edgetwin.log;

/** What a local writer supplies for a new entry; the journal adds stream, seq, chain hash and CRC. */
public record EntryDraft(long hlc, String origin, long wallTime, String clientToken, byte[] payload) {
    public EntryDraft {
        clientToken = clientToken == null ? "" : clientToken;
    }
}
