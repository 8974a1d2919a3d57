package dev.edgetwin.sync.wire;

/**
 * Reads an ack frame in place when its text has exactly the shape {@link ControlCodec#encode}
 * writes: {@code {"type":"ack","stream":"…","next":N,"credit":{"untilSeq":N,"untilBytes":N}}}, the
 * stream printable ASCII without escapes, each number plain decimal digits without a leading zero
 * that fit a long. Anything else, valid or not, reads as null and is left to the JSON tree, which
 * then accepts or refuses it as before — so this path changes no answer, only its cost (the tree
 * costs about 2 KB of garbage per ack in JMH and 3 KB in a running edge, which reads one per append).
 */
final class AckText {
    private static final String HEAD = "{\"type\":\"ack\",\"stream\":\"";
    private static final String NEXT = "\",\"next\":";
    private static final String UNTIL_SEQ = ",\"credit\":{\"untilSeq\":";
    private static final String UNTIL_BYTES = ",\"untilBytes\":";
    private static final String TAIL = "}}";

    private final String text;
    private int at;

    private AckText(String text, int at) {
        this.text = text;
        this.at = at;
    }

    /** The ack {@code text} holds in the encoder's shape, or null. */
    static Frame.Ack read(String text) {
        if (!text.startsWith(HEAD)) return null;
        AckText r = new AckText(text, HEAD.length());
        int end = text.indexOf('"', r.at);
        if (end <= r.at) return null;
        String stream = text.substring(r.at, end);
        if (!ControlCodec.plain(stream)) return null;   // what the encoder writes without escapes
        r.at = end;
        long next = r.literal(NEXT) ? r.number() : -1;
        long untilSeq = next >= 0 && r.literal(UNTIL_SEQ) ? r.number() : -1;
        long untilBytes = untilSeq >= 0 && r.literal(UNTIL_BYTES) ? r.number() : -1;
        if (untilBytes < 0 || !r.literal(TAIL) || r.at != text.length()) return null;
        try {
            return new Frame.Ack(stream, next, new Frame.Credit(untilSeq, untilBytes));
        } catch (IllegalArgumentException e) {
            return null;   // a stream name the protocol refuses: the tree path says so in its words
        }
    }

    private boolean literal(String s) {
        if (!text.startsWith(s, at)) return false;
        at += s.length();
        return true;
    }

    /** Plain decimal digits without a leading zero, fitting a long; -1 for anything else. */
    private long number() {
        int start = at;
        long v = 0;
        while (at < text.length()) {
            int d = text.charAt(at) - '0';
            if (d < 0 || d > 9) break;
            if (v > (Long.MAX_VALUE - d) / 10) return -1;
            v = v * 10 + d;
            at++;
        }
        int digits = at - start;
        if (digits == 0 || (digits > 1 && text.charAt(start) == '0')) return -1;
        return v;
    }
}
