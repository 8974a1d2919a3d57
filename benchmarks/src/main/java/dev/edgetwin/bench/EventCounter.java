package dev.edgetwin.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Counts twin events handled, so batched benchmarks report events/s (the secondary result
 * {@code events}) next to their primary batches/s. A benchmark method takes it as a parameter
 * and adds the size of each batch it handled.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class EventCounter {
    /** Events handled in this iteration; JMH reports it as a rate. */
    public long events;

    @Setup(Level.Iteration)
    public void reset() {
        events = 0;
    }
}
