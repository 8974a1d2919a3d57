package dev.edgetwin.log.chronicle;

import java.io.File;
import java.nio.file.Path;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.StoreFileListener;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * One Chronicle queue directory of a journal (FORMAT.md §3). A sealed segment is read only
 * up to its recorded last index; only the active segment is appended to.
 */
final class Segment implements AutoCloseable {
    /** One raw document: its Chronicle index, its bytes, and where it ends in which cycle file. */
    record Doc(long index, byte[] bytes, File file, long endOffset) {
    }

    final Manifest.Entry meta;
    final int ordinal;
    final Path dir;
    final SingleChronicleQueue queue;

    Segment(Path journalDir, Manifest.Entry meta, int ordinal, JournalOptions options, StoreFileListener listener) {
        this(journalDir, meta, ordinal, options, listener, false);
    }

    /**
     * @param readOnly map the queue's files read-only: nothing is created or written, so a
     *                 journal a running node appends to can be read without disturbing it
     */
    Segment(Path journalDir, Manifest.Entry meta, int ordinal, JournalOptions options, StoreFileListener listener,
            boolean readOnly) {
        this.meta = meta;
        this.ordinal = ordinal;
        this.dir = journalDir.resolve(meta.dirName());
        this.queue = SingleChronicleQueueBuilder.binary(dir.toFile())
                .rollCycle(options.rollCycle())
                .storeFileListener(listener)
                .readOnly(readOnly)
                .build();
    }

    boolean sealed() {
        return meta.sealed();
    }

    /** True when {@code index} lies past a sealed segment's end (never for the active one). */
    boolean beyondEnd(long index) {
        return meta.sealed() && (meta.lastIndex() < 0 || index > meta.lastIndex());
    }

    ExcerptTailer tailer() {
        ExcerptTailer t = queue.createTailer();
        t.singleThreadedCheckDisabled(true); // a cursor may be created on one thread and read on another
        return t;
    }

    /**
     * Reads the next data document, or null when none is complete yet. Chronicle skips its own
     * metadata and never shows a document whose header is still marked incomplete (a writer
     * killed mid-entry). May throw a Chronicle runtime exception on a damaged header.
     */
    static Doc next(ExcerptTailer tailer) {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) return null;
            Bytes<?> b = dc.wire().bytes();
            byte[] bytes = new byte[(int) Math.max(0, b.readRemaining())];
            long end = b.readLimit();
            b.read(bytes);
            File file = b instanceof MappedBytes mb ? mb.mappedFile().file() : null;
            return new Doc(dc.index(), bytes, file, end);
        }
    }

    @Override
    public void close() {
        queue.close();
    }
}
