package dev.edgetwin.log;

/** A position in the journal: an entry of a stream, and its HLC. */
public record Position(String stream, long seq, long hlc) {
    @Override
    public String toString() {
        return stream + ":" + seq;
    }
}
