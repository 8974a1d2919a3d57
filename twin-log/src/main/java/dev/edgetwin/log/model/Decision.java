package dev.edgetwin.log.model;

import java.util.List;

/** The outcome of {@link Decider#decide}: the events to write, or a coded rejection. */
public sealed interface Decision {
    record Accepted(List<TwinEvent> events) implements Decision {
        public Accepted {
            events = List.copyOf(events);
        }
    }

    record Rejected(TwinError error) implements Decision {
    }
}
