package dev.edgetwin.node.http;

import dev.edgetwin.log.JournalEntry;

/**
 * A journal position as the API spells it: {@code <stream>:<seq>}, e.g. {@code edge/edge-a:12}
 * (the entry with seq 12 of stream {@code edge/edge-a}). Used as the SSE event id of the change
 * stream, in {@code Last-Event-ID}, in {@code ?at=} and in history items.
 */
record JournalPosition(String stream, long seq) {

    static JournalPosition of(JournalEntry e) {
        return new JournalPosition(e.stream(), e.seq());
    }

    /** True when {@code text} names a position rather than a time: streams have a '/', ISO-8601 times never do. */
    static boolean looksLikePosition(String text) {
        return text.indexOf('/') >= 0;
    }

    /** Parses {@code stream:seq}; throws {@link IllegalArgumentException} naming the expected form. */
    static JournalPosition parse(String text) {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not a journal position <stream>:<seq>, e.g. edge/edge-a:12");
        }
        long seq;
        try {
            seq = Long.parseLong(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a journal position: seq '" + text.substring(colon + 1)
                    + "' is not a number", e);
        }
        if (seq < 0) throw new IllegalArgumentException("'" + text + "' is not a journal position: seq is negative");
        return new JournalPosition(text.substring(0, colon), seq);
    }

    @Override
    public String toString() {
        return stream + ":" + seq;
    }
}
