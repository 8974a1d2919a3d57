package dev.edgetwin.sync.vertx;

import dev.edgetwin.log.AppliedEvents;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.TwinListener;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.EventRecord;

import java.util.function.Consumer;

/**
 * The {@link TwinListener} that wakes the senders of the streams a node wrote to: once per run
 * of entries of the same stream in an applied batch, looking at the entries' stream names only,
 * so it makes nobody decode an event (a catch-up batch of another stream costs a string compare
 * per entry). {@code wake} runs on the writer thread and must only schedule.
 */
final class StreamWake implements TwinListener {
    private final Consumer<String> wake;

    StreamWake(Consumer<String> wake) {
        this.wake = wake;
    }

    @Override
    public void onChange(JournalEntry entry, EventRecord record, DeviceTwin after) {
        wake.accept(entry.stream());
    }

    @Override
    public void onApplied(AppliedEvents events) {
        String last = null;
        for (JournalEntry e : events.entries()) {
            if (!e.stream().equals(last)) {
                last = e.stream();
                wake.accept(last);
            }
        }
    }
}
