package dev.edgetwin.log.chronicle;

import dev.edgetwin.log.EntryCodec;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.JournalException;
import dev.edgetwin.log.StreamChain;
import java.io.File;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import net.openhft.chronicle.queue.ExcerptTailer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every segment once from the start, verifying each entry's format and CRC and each
 * stream's contiguity and hash chain, and rebuilds the per-stream index. Decides what a
 * damaged position means (FORMAT.md §3): a damaged tail of the active segment with nothing
 * valid behind it is {@link Outcome#torn() torn} (cuttable); anything else is a
 * {@link Outcome#problem() problem} (the journal is corrupt).
 */
final class JournalScan {
    private static final Logger LOG = LoggerFactory.getLogger(JournalScan.class);

    /** A damaged position: segment, the Chronicle index of the last valid document before it, and why. */
    record Damage(int segmentId, long lastValidIndex, String lastValidEntry, String cause) {
        String describe() {
            return "segment " + segmentId + " after chronicle index 0x" + Long.toHexString(lastValidIndex)
                    + " (last valid entry " + lastValidEntry + "): " + cause;
        }
    }

    /** The cut a torn tail needs: seal the active segment at {@code lastIndex} holding {@code entries}. */
    record Torn(Damage damage, long lastIndex, long entries, long droppedBytes, long droppedEntries) {
    }

    record Outcome(Map<String, StreamIndex> streams, long entries, long maxHlc, Damage problem, Torn torn) {
    }

    private final JournalOptions options;
    private final Map<String, SnapshotStore.Base> bases;
    private final boolean liveTail;
    private final Consumer<JournalEntry> visitor;
    private final Map<String, StreamIndex> streams = new HashMap<>();
    private long entries;
    private long maxHlc;
    private long nextProgress;

    JournalScan(JournalOptions options) {
        this(options, Map.of(), false, null);
    }

    /** With the bases of trimmed streams: their entries below the base are superseded by the snapshot and skipped. */
    JournalScan(JournalOptions options, Map<String, SnapshotStore.Base> bases) {
        this(options, bases, false, null);
    }

    /**
     * @param bases    the bases of trimmed streams ({@link SnapshotStore#bases()}): their entries below
     *                 the base are superseded by the snapshot, skipped and not shown to the visitor;
     *                 without them a trimmed stream's first entry looks like a chain break
     * @param liveTail trust the end Chronicle reports in the active segment and do not examine the
     *                 bytes behind it: a running writer may be in the middle of an append there, which
     *                 is not damage (read-only views of a live journal)
     * @param visitor  told of every entry, in append order, once it is verified; null for none
     */
    JournalScan(JournalOptions options, Map<String, SnapshotStore.Base> bases, boolean liveTail, Consumer<JournalEntry> visitor) {
        this.options = options;
        this.bases = bases;
        this.liveTail = liveTail;
        this.visitor = visitor;
    }

    private StreamIndex index(String stream) {
        SnapshotStore.Base b = bases.get(stream);
        return b == null ? new StreamIndex() : new StreamIndex(b.upTo(), b.hash());
    }

    Outcome scan(List<Segment> segments) {
        nextProgress = System.nanoTime() + options.progressInterval().toNanos();
        for (Segment seg : segments) {
            boolean last = seg == segments.get(segments.size() - 1);
            Outcome o = scanSegment(seg, last);
            if (o != null) return o;
        }
        bases.forEach((stream, b) -> streams.computeIfAbsent(stream, this::index));
        return new Outcome(streams, entries, maxHlc, null, null);
    }

    /** Returns a final outcome when the segment is damaged, null to go on. */
    private Outcome scanSegment(Segment seg, boolean active) {
        long lastIndex = -1;
        long count = 0;
        String lastEntry = "none";
        File lastFile = null;
        long lastEnd = 0;
        String cause = null;
        boolean cuttable = true;
        if (!seg.sealed() || seg.meta.lastIndex() >= 0) {
            try (ExcerptTailer tailer = seg.tailer()) {
                while (true) {
                    Segment.Doc d;
                    try {
                        d = Segment.next(tailer);
                    } catch (RuntimeException e) {
                        cause = "chronicle cannot read the next document: " + e;
                        break;
                    }
                    if (d == null) break;
                    JournalEntry e;
                    try {
                        e = EntryCodec.decode(d.bytes());
                    } catch (JournalException ex) {
                        cause = "document 0x" + Long.toHexString(d.index()) + " " + ex.getMessage();
                        break;
                    }
                    StreamIndex s = streams.computeIfAbsent(e.stream(), this::index);
                    if (e.seq() < s.firstSeq()) {
                        // superseded by the stream's snapshot (a replica's old prefix, or a trim cut short by a crash)
                        count++;
                        lastIndex = d.index();
                        lastFile = d.file();
                        lastEnd = d.endOffset();
                        if (seg.sealed() && d.index() == seg.meta.lastIndex()) break;
                        continue;
                    }
                    try {
                        StreamChain.check(e, e.stream(), s.nextSeq(), s.lastHash());
                    } catch (JournalException ex) {
                        cause = "document 0x" + Long.toHexString(d.index()) + " " + ex.getMessage();
                        cuttable = false; // a valid CRC with a broken chain is not a torn write
                        break;
                    }
                    s.add(e.seq(), e.hash(), seg.ordinal, d.index());
                    if (visitor != null) visitor.accept(e);
                    maxHlc = Math.max(maxHlc, e.hlc());
                    entries++;
                    count++;
                    lastIndex = d.index();
                    lastEntry = e.stream() + "@" + e.seq();
                    lastFile = d.file();
                    lastEnd = d.endOffset();
                    progress(seg);
                    if (seg.sealed() && d.index() == seg.meta.lastIndex()) break; // never read past the seal
                }
            }
        }
        if (seg.sealed()) {
            if (cause == null && (lastIndex != seg.meta.lastIndex() || count != seg.meta.entries())) {
                cause = "sealed segment ends at 0x" + Long.toHexString(lastIndex) + " with " + count
                        + " entries, manifest says 0x" + Long.toHexString(seg.meta.lastIndex()) + " with " + seg.meta.entries();
            }
            return cause == null ? null : corrupt(new Damage(seg.meta.id(), lastIndex, lastEntry, cause));
        }
        if (cause == null && liveTail) return null;
        List<File> files = CycleFileScan.cycleFiles(seg.dir);
        if (cause == null) {
            if (lastFile == null || CycleFileScan.cleanEnd(lastFile, lastEnd)) {
                // nothing after the last valid document, unless a damaged first header hides everything
                CycleFileScan.Found hidden = lastFile == null
                        ? CycleFileScan.findValidEntry(files, null, 0, options.maxEntryBytes()) : null;
                if (hidden == null) return null;
                return corrupt(new Damage(seg.meta.id(), lastIndex, lastEntry,
                        "valid entry at " + hidden.file().getName() + " offset " + hidden.offset() + " is unreadable by Chronicle"));
            }
            cause = "unreadable bytes after the last valid document (damaged header or a writer killed mid-entry)";
        }
        Damage damage = new Damage(seg.meta.id(), lastIndex, lastEntry, cause);
        if (!cuttable) return corrupt(damage);
        CycleFileScan.Found later = CycleFileScan.findValidEntry(files, lastFile, lastEnd, options.maxEntryBytes());
        if (later != null) {
            return corrupt(new Damage(seg.meta.id(), lastIndex, lastEntry, cause + "; a valid entry follows at "
                    + later.file().getName() + " offset " + later.offset()));
        }
        CycleFileScan.Extent extent = lastFile == null ? new CycleFileScan.Extent(-1, -1) : CycleFileScan.damageExtent(lastFile, lastEnd);
        return new Outcome(streams, entries, maxHlc, null, new Torn(damage, lastIndex, count, extent.bytes(), extent.entries()));
    }

    private Outcome corrupt(Damage d) {
        return new Outcome(streams, entries, maxHlc, d, null);
    }

    private void progress(Segment seg) {
        if ((entries & 0xFFF) != 0) return;
        long now = System.nanoTime();
        if (now >= nextProgress) {
            nextProgress = now + options.progressInterval().toNanos();
            LOG.info("journal scan: {} entries of {} streams verified (segment {})", entries, streams.size(), seg.meta.id());
        }
    }
}
