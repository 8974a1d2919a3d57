package dev.edgetwin.log.cli;

import picocli.CommandLine;

import java.time.Instant;

/**
 * The moment of {@code state --at}: a time (every event whose HLC time is at or before it —
 * the rule of {@code TwinStore.documentAt} and the REST API's {@code ?at=}) or a journal
 * position {@code STREAM:SEQ} (every entry this journal held right after it appended that
 * entry: exactly what the node showed at that moment, replicas included).
 */
record At(Instant time, String stream, long seq) {

    boolean isPosition() {
        return stream != null;
    }

    @Override
    public String toString() {
        return isPosition() ? stream + ":" + seq : time.toString();
    }

    /** Streams are {@code edge/…} or {@code cloud/…}: a '/' tells a position from a time. */
    static At parse(String text) {
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (t.indexOf('/') > 0 && colon > t.indexOf('/')) {
            try {
                long seq = Long.parseLong(t.substring(colon + 1));
                if (seq >= 0) return new At(null, t.substring(0, colon), seq);
            } catch (NumberFormatException bad) {
                // reported below
            }
            throw new CommandLine.TypeConversionException("'" + text + "' is not a journal position: use STREAM:SEQ, e.g. edge/edge-a:42");
        }
        return new At(Times.parse(t), null, -1);
    }

    /** Picocli converter for {@code --at}. */
    static final class Converter implements CommandLine.ITypeConverter<At> {
        @Override
        public At convert(String value) {
            return parse(value);
        }
    }
}
