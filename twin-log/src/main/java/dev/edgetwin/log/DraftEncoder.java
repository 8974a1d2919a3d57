package dev.edgetwin.log;

/**
 * Turns one batch's drafts into entries of one stream: like {@link EntryCodec#create} per
 * draft, but the stream name is encoded once per batch and origin and client token only when
 * they change from the previous draft (a local writer's batch has one origin), which took a
 * third of the allocations off every local append. Same bytes, same checks, same errors.
 */
final class DraftEncoder {
    private static final byte[] NONE = new byte[0];

    private final String stream;
    private byte[] streamUtf8;
    private String origin;
    private byte[] originUtf8;
    private String token = "";
    private byte[] tokenUtf8 = NONE;

    DraftEncoder(String stream) {
        this.stream = stream;
    }

    /** The entry {@code seq} of the stream after chain hash {@code prevHash}, holding {@code d}. */
    JournalEntry create(long seq, long prevHash, EntryDraft d) {
        if (streamUtf8 == null) streamUtf8 = EntryCodec.utf8(stream, "stream", 1);
        String o = d.origin();
        if (o == null || !o.equals(origin)) {
            originUtf8 = EntryCodec.utf8(o, "origin", 1);
            origin = o;
        }
        if (!d.clientToken().equals(token)) {
            tokenUtf8 = EntryCodec.utf8(d.clientToken(), "clientToken", 0);
            token = d.clientToken();
        }
        byte[] bytes = EntryCodec.encode(streamUtf8, seq, d.hlc(), originUtf8, d.wallTime(), tokenUtf8, prevHash, d.payload());
        return new JournalEntry(stream, seq, d.hlc(), d.origin(), d.wallTime(), d.clientToken(),
                prevHash, EntryCodec.hash(prevHash, bytes), d.payload().clone(), bytes);
    }
}
