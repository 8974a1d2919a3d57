package dev.edgetwin.log.chronicle;

import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.JournalException;
import dev.edgetwin.log.JournalSnapshot;
import dev.edgetwin.log.StreamCompaction;
import dev.edgetwin.log.TrimResult;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.RollingResourcesCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One retention pass over the active segment (FORMAT.md §6): picks the longest prefix of its
 * cycle files (never the newest, which the appender writes) that the caller wants gone and
 * whose entries all lie below their streams' limits; writes each trimmed stream's snapshot
 * (compaction of the old snapshot plus the trimmed entries); moves the streams' first seqs;
 * then deletes the files. A crash anywhere leaves a journal that opens: a written snapshot
 * supersedes the entries below its base, deleted or not. Runs under the journal's lock.
 */
final class CycleTrimmer {
    private static final Logger LOG = LoggerFactory.getLogger(CycleTrimmer.class);
    private static final int DROP_BATCH = 65_536;

    private record Cycle(int cycle, File file, long bytes) {
    }

    private final ChronicleJournal journal;
    private final Segment segment;
    private final RollCycle rollCycle;

    CycleTrimmer(ChronicleJournal journal, Segment active) {
        this.journal = journal;
        this.segment = active;
        this.rollCycle = active.queue.rollCycle();
    }

    TrimResult trim(Map<String, Long> keepFrom, long cutoffMillis, long targetBytes, Consumer<List<JournalEntry>> beforeDrop) {
        List<Cycle> cycles = cycles();
        long total = journal.diskBytes();
        long remaining = total;
        int chosen = -1;
        Map<String, Long> cut = Map.of();
        boolean blocked = false;
        // the newest file is the appender's: never a candidate
        for (int i = 0; i < cycles.size() - 1; i++) {
            Cycle c = cycles.get(i);
            long end = segment.queue.epoch() + (c.cycle() + 1L) * rollCycle.lengthInMillis();
            boolean wanted = end <= cutoffMillis || (targetBytes >= 0 && remaining > targetBytes);
            if (!wanted) break;
            Map<String, Long> firsts = firstSeqsAfter(c.cycle(), keepFrom);
            if (firsts == null) {
                blocked = true;
                break;
            }
            chosen = i;
            cut = firsts;
            remaining -= c.bytes();
        }
        if (chosen < 0) return new TrimResult(0, 0, 0, Map.of(), blocked, total);
        long trimmed = 0;
        for (Map.Entry<String, Long> e : cut.entrySet()) trimmed += snapshot(e.getKey(), e.getValue(), beforeDrop);
        long freed = 0;
        for (int i = 0; i <= chosen; i++) {
            Cycle c = cycles.get(i);
            try {
                Files.deleteIfExists(c.file().toPath());
                freed += c.bytes();
            } catch (IOException ex) {
                throw new JournalException("journal:io", "cannot delete " + c.file() + ": " + ex, ex);
            }
        }
        segment.queue.refreshDirectoryListing();
        LOG.info("journal retention: deleted {} cycle file(s) ({} bytes), {} entries left the journal; streams now start at {}", chosen + 1,
                freed, trimmed, cut);
        return new TrimResult(chosen + 1, freed, trimmed, Map.copyOf(cut), blocked, total - freed);
    }

    /** The active segment's cycle files, oldest first, with their cycle numbers. */
    private List<Cycle> cycles() {
        RollingResourcesCache names = new RollingResourcesCache(rollCycle, segment.queue.epoch(), n -> new File(segment.dir.toFile(), n + ".cq4"),
                f -> f.getName().substring(0, f.getName().length() - 4));
        List<Cycle> out = new ArrayList<>();
        for (File f : CycleFileScan.cycleFiles(segment.dir)) {
            out.add(new Cycle(names.parseCount(f.getName().substring(0, f.getName().length() - 4)), f, f.length()));
        }
        out.sort((a, b) -> Integer.compare(a.cycle(), b.cycle()));
        return out;
    }

    /**
     * For deleting every active-segment file up to {@code cycle}: the new first seq of each
     * stream with entries in them, or null when one of those entries is not below its limit.
     */
    private Map<String, Long> firstSeqsAfter(int cycle, Map<String, Long> keepFrom) {
        long bound = rollCycle.toIndex(cycle, rollCycle.maxMessagesPerCycle() - 1);
        Map<String, Long> out = new HashMap<>();
        for (Map.Entry<String, StreamIndex> e : journal.streams.entrySet()) {
            StreamIndex s = e.getValue();
            long first = s.firstSeq();
            long next = s.nextSeq();
            // seqs are in journal order: binary search for the first one past the bound
            long lo = first;
            long hi = next;
            while (lo < hi) {
                long mid = (lo + hi) >>> 1;
                if (before(s, mid, bound)) lo = mid + 1;
                else hi = mid;
            }
            if (lo == first || s.segment(lo - 1) != segment.ordinal) continue; // nothing of it in those files
            if (lo > keepFrom.getOrDefault(e.getKey(), first)) return null;
            out.put(e.getKey(), lo);
        }
        return out;
    }

    private boolean before(StreamIndex s, long seq, long bound) {
        int seg = s.segment(seq);
        return seg < segment.ordinal || (seg == segment.ordinal && s.position(seq) <= bound);
    }

    /** Writes {@code stream}'s snapshot up to {@code upTo}, shows the trimmed entries to {@code beforeDrop}, moves the first seq. */
    private long snapshot(String stream, long upTo, Consumer<List<JournalEntry>> beforeDrop) {
        StreamIndex s = journal.streams.get(stream);
        long from = s.firstSeq();
        StreamCompaction compaction = new StreamCompaction(stream);
        journal.snapshots.read(stream).ifPresent(old -> old.entries().forEach(compaction::add));
        long hash = s.baseHash();
        List<JournalEntry> batch = new ArrayList<>();
        try (JournalCursor c = journal.read(stream, from)) {
            for (long seq = from; seq < upTo; seq++) {
                JournalEntry e = c.next();
                if (e == null || e.seq() != seq) throw new JournalException("journal:corrupt", stream + "@" + seq + " missing while trimming");
                compaction.add(e);
                hash = e.hash();
                batch.add(e);
                if (batch.size() == DROP_BATCH) {
                    beforeDrop.accept(batch);
                    batch = new ArrayList<>();
                }
            }
        }
        if (!batch.isEmpty()) beforeDrop.accept(batch);
        journal.snapshots.write(new JournalSnapshot(stream, upTo, hash, compaction.result()));
        s.trimTo(upTo, hash);
        return upTo - from;
    }

    static long bytesOf(List<File> files) {
        long n = 0;
        for (File f : files) n += f.length();
        return n;
    }
}
