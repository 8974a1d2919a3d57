package dev.edgetwin.log.chronicle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.queue.impl.StoreFileListener;

/**
 * Checks a stopped journal without repairing it: every entry's format and CRC, every
 * stream's contiguity and hash chain, and what lies behind the last valid entry. For
 * {@code twinctl verify} and for diagnosing a journal that refuses to open.
 */
public final class JournalVerifier {

    /**
     * The outcome. {@code ok} means every entry verified and nothing follows them;
     * {@code tornTail} means only a cuttable damaged tail was found (open will cut it);
     * otherwise {@code firstProblem} names the first broken position and its cause.
     */
    public record Report(boolean ok, boolean tornTail, long entries, int streams, String firstProblem) {
    }

    private JournalVerifier() {
    }

    public static Report verify(Path dir) {
        return verify(dir, JournalOptions.DEFAULT);
    }

    public static Report verify(Path dir, JournalOptions options) {
        Manifest m = Files.exists(dir) ? Manifest.read(dir) : null;
        if (m == null) return new Report(false, false, 0, 0, "no journal manifest in " + dir);
        java.util.Map<String, SnapshotStore.Base> bases;
        try {
            bases = new SnapshotStore(dir).bases();
        } catch (dev.edgetwin.log.JournalException e) {
            return new Report(false, false, 0, 0, e.getMessage());
        }
        List<Segment> segments = new ArrayList<>();
        try {
            for (int i = 0; i < m.segments().size(); i++) {
                segments.add(new Segment(dir, m.segments().get(i), i, options, StoreFileListener.NO_OP, true));
            }
            JournalScan.Outcome o = new JournalScan(options, bases).scan(segments);
            if (o.problem() != null) {
                return new Report(false, false, o.entries(), o.streams().size(), o.problem().describe());
            }
            if (o.torn() != null) {
                return new Report(false, true, o.entries(), o.streams().size(), "torn tail: " + o.torn().damage().describe());
            }
            return new Report(true, false, o.entries(), o.streams().size(), null);
        } finally {
            segments.forEach(Segment::close);
        }
    }
}
