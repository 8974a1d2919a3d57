package dev.edgetwin.log;

import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The queryable state derived from the journal: every device's merged twin, secondary
 * indexes and, per stream, the next seq to apply (its checkpoint).
 *
 * <p><b>Guarantees.</b> {@link #apply} is atomic: the twins, indexes and checkpoints a batch
 * changes become visible and durable together or not at all. It is idempotent: entries below
 * a stream's checkpoint are skipped, so replaying the journal from any point below the
 * checkpoints is harmless. A projection can always be dropped and rebuilt from the journal,
 * and the rebuild equals the live one byte for byte ({@link #digest}).
 *
 * <p><b>Threads.</b> One writer calls {@link #apply} at a time; queries may run concurrently
 * with it and see the state before or after each batch, never half a batch.
 */
public interface Projection extends AutoCloseable {

    /**
     * Merges a batch. Entries of one stream must be contiguous from its checkpoint (earlier
     * ones are skipped). Returns the twins the batch changed, after the change.
     */
    Map<DeviceId, DeviceTwin> apply(List<JournalEntry> entries);

    /** The next seq to apply of {@code stream} (0 if none applied). */
    long checkpoint(String stream);

    /** The twin of an existing device. */
    Optional<DeviceTwin> get(DeviceId id);

    /** The merged state of {@code id} whether or not it exists (removed and never-registered devices hold hidden state too). */
    DeviceTwin raw(DeviceId id);

    /** Existing devices matching {@code filter}, ordered by id, after {@code cursor} (null: from the start). */
    Page<DeviceTwin> list(ListFilter filter, String cursor, int limit);

    /** Journal positions of events of {@code id} with HLC in [fromHlc, toHlc], in HLC order, at most {@code limit}. */
    List<Position> history(DeviceId id, long fromHlc, long toHlc, int limit);

    /** A hex digest of the whole projection (every key and value), to compare projections; only while nothing applies to it. */
    String digest();

    @Override
    void close();
}
