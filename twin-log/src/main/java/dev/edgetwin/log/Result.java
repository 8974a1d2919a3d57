package dev.edgetwin.log;

import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.TwinError;

import java.util.List;

/** What {@link TwinStore#execute} did: appended entries and the twin after them, or a coded rejection. */
public sealed interface Result {
    record Applied(List<JournalEntry> entries, DeviceTwin twin) implements Result {
        public Applied {
            entries = List.copyOf(entries);
        }
    }

    record Rejected(TwinError error) implements Result {
    }
}
