package dev.edgetwin.log.model;

/** An event as it sits in a stream: the event and its envelope. */
public record EventRecord(Envelope envelope, TwinEvent event) {
    /** The merge order key of this event: (hlc, origin). */
    public Stamp stamp() {
        return new Stamp(envelope.hlc(), envelope.origin());
    }
}
