package dev.edgetwin.sync;

import dev.edgetwin.log.EntryDraft;
import dev.edgetwin.log.InMemoryJournal;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.sync.wire.Frame;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class CatchUpPlannerTest {
    static final String STREAM = "edge/edge-a";

    static List<JournalEntry> fill(InMemoryJournal j, int n) {
        List<EntryDraft> drafts = new ArrayList<>();
        for (int i = 0; i < n; i++) drafts.add(new EntryDraft(10 + i, "edge-a", 0, "", new byte[]{(byte) i}));
        return j.append(STREAM, drafts);
    }

    @Test
    void aPrefixOfTheStreamIsServedFromWhereItEnds() {
        InMemoryJournal j = new InMemoryJournal();
        List<JournalEntry> e = fill(j, 10);
        JournalSource s = new JournalSource(j, STREAM);
        assertThat(CatchUpPlanner.plan(s, new Frame.StreamPosition(STREAM, 0, 0))).isEqualTo(new CatchUpPlan.StreamFrom(0));
        assertThat(CatchUpPlanner.plan(s, new Frame.StreamPosition(STREAM, 4, e.get(3).hash()))).isEqualTo(new CatchUpPlan.StreamFrom(4));
        assertThat(CatchUpPlanner.plan(s, new Frame.StreamPosition(STREAM, 10, e.get(9).hash()))).isEqualTo(new CatchUpPlan.StreamFrom(10));
    }

    @Test
    void aPeerAheadOfTheStreamOrOnAnotherChainHasDiverged() {
        InMemoryJournal j = new InMemoryJournal();
        List<JournalEntry> e = fill(j, 10);
        JournalSource s = new JournalSource(j, STREAM);
        assertThat(CatchUpPlanner.plan(s, new Frame.StreamPosition(STREAM, 11, 5))).isInstanceOfSatisfying(CatchUpPlan.Diverged.class,
                d -> assertThat(d.reason()).contains("holds 11 entries"));
        assertThat(CatchUpPlanner.plan(s, new Frame.StreamPosition(STREAM, 4, e.get(2).hash()))).isInstanceOf(CatchUpPlan.Diverged.class);
        assertThat(CatchUpPlanner.plan(s, new Frame.StreamPosition(STREAM, 0, 77))).isInstanceOf(CatchUpPlan.Diverged.class);
    }

    @Test
    void aPositionBelowTheTrimmedStartNeedsTheSnapshot() {
        InMemoryJournal j = new InMemoryJournal();
        List<JournalEntry> e = fill(j, 10);
        SourceStream trimmed = new SourceStream() {
            @Override
            public String name() {
                return STREAM;
            }

            @Override
            public long firstSeq() {
                return 6;
            }

            @Override
            public long head() {
                return 10;
            }

            @Override
            public long hashBefore(long seq) {
                return e.get((int) seq - 1).hash();
            }

            @Override
            public dev.edgetwin.log.JournalCursor read(long fromSeq) {
                return j.read(STREAM, fromSeq);
            }
        };
        assertThat(CatchUpPlanner.plan(trimmed, new Frame.StreamPosition(STREAM, 3, e.get(2).hash()))).isEqualTo(new CatchUpPlan.SnapshotRequired(6));
        assertThat(CatchUpPlanner.plan(trimmed, new Frame.StreamPosition(STREAM, 6, e.get(5).hash()))).isEqualTo(new CatchUpPlan.StreamFrom(6));
    }

    @Test
    void backoffGrowsWithFullJitterAndResets() {
        Backoff b = new Backoff(100, 5_000, new Random(1));
        long maxSeen = 0;
        for (int i = 0; i < 12; i++) {
            long cap = Math.min(5_000, 100L << i);
            long d = b.nextDelayMillis();
            assertThat(d).isBetween(0L, cap);
            maxSeen = Math.max(maxSeen, d);
        }
        assertThat(maxSeen).isGreaterThan(1_000);
        assertThat(b.attempts()).isEqualTo(12);
        b.reset();
        assertThat(b.nextDelayMillis()).isBetween(0L, 100L);
    }

    @Test
    void tokensParseStrictlyAndCompareExactly() {
        Tokens t = Tokens.parse(List.of("# comment", "", "edge-a  secret-aaaa  # trailing", "edge-b secret-bbbb"));
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.accepts("edge-a", "secret-aaaa")).isTrue();
        assertThat(t.accepts("edge-a", "secret-bbbb")).isFalse();
        assertThat(t.accepts("edge-c", "secret-aaaa")).isFalse();
        assertThat(t.accepts("edge-a", null)).isFalse();
        for (List<String> bad : List.of(List.of("edge-a"), List.of("edge-a a b"), List.of("Edge_A secret-aaaa"), List.of("edge-a short"),
                List.of("edge-a secret-aaaa", "edge-a secret-cccc"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Tokens.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("line ");
        }
    }
}
