package dev.edgetwin.sync;

import dev.edgetwin.log.EntryCodec;
import dev.edgetwin.log.EntryDraft;
import dev.edgetwin.log.InMemoryJournal;
import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.sync.wire.ControlCodec;
import dev.edgetwin.sync.wire.DataCodec;
import dev.edgetwin.sync.wire.Frame;
import dev.edgetwin.sync.wire.SyncCode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The session state machine driven by hand: handshake, bounded sending, snapshots, timers. */
class SyncSessionTest {
    static final String UP = "edge/edge-a";
    static final String DOWN = "cloud/edge-a";
    final AtomicLong clock = new AtomicLong(1_000);
    final SyncOptions options = SyncOptions.DEFAULT.withWindow(16, 4 << 20).withBatch(1 << 20, 4).withTimers(500, 2_000, 3_000);

    static List<JournalEntry> fill(InMemoryJournal j, String stream, int n) {
        List<EntryDraft> drafts = new ArrayList<>();
        for (int i = 0; i < n; i++) drafts.add(new EntryDraft(100 + i, "edge-a", 0, "", new byte[]{(byte) i}));
        return j.append(stream, drafts);
    }

    SyncSession cloudSession(SourceStream source) {
        return new SyncSession(SyncSession.Side.CLOUD, "cloud", "edge-a", "s-1", options, source, clock::get, 1 << 20);
    }

    static Frame.Handshake hello(long next, long hash, Frame.Credit credit) {
        return new Frame.Handshake(false, 1, "edge-a", null, new Frame.StreamPosition(DOWN, next, hash), UP, 0, credit, 1 << 20, 500);
    }

    static List<Frame> sent(List<Action> actions) {
        List<Frame> out = new ArrayList<>();
        for (Action a : actions) if (a instanceof Action.Send s) out.add(s.frame());
        return out;
    }

    @Test
    void theSenderNeverHasMoreThanItsOwnWindowInFlightWhateverTheReceiverGrants() {
        InMemoryJournal j = new InMemoryJournal();
        fill(j, DOWN, 100);
        SyncSession s = cloudSession(new JournalSource(j, DOWN));
        s.positionLoaded(new Frame.StreamPosition(UP, 0, 0));
        List<Frame> out = sent(s.onText(ControlCodec.encode(hello(0, 0, new Frame.Credit(1_000_000_000L, 1L << 40)))));
        assertThat(out.get(0)).isInstanceOf(Frame.Handshake.class);
        int entries = out.stream().filter(f -> f instanceof Frame.Data).mapToInt(f -> ((Frame.Data) f).entries().size()).sum();
        assertThat(entries).isEqualTo(16);
        assertThat(out.stream().filter(f -> f instanceof Frame.Data)).allMatch(f -> ((Frame.Data) f).entries().size() <= 4);
        assertThat(s.pump()).isEmpty();
        // an ack for 8 frees 8 more
        List<Frame> more = sent(s.onText(ControlCodec.encode(new Frame.Ack(DOWN, 8, new Frame.Credit(1_000_000_000L, 1L << 40)))));
        assertThat(more.stream().mapToInt(f -> ((Frame.Data) f).entries().size()).sum()).isEqualTo(8);
        assertThat(((Frame.Data) more.get(0)).firstSeq()).isEqualTo(16);
        assertThat(s.stats().sentNext() - s.stats().peerAcked()).isEqualTo(16);
    }

    @Test
    void theSenderStopsAtTheReceiversCreditAndStaleAcksChangeNothing() {
        InMemoryJournal j = new InMemoryJournal();
        fill(j, DOWN, 50);
        SyncSession s = cloudSession(new JournalSource(j, DOWN));
        s.positionLoaded(new Frame.StreamPosition(UP, 0, 0));
        List<Frame> out = sent(s.onText(ControlCodec.encode(hello(0, 0, new Frame.Credit(5, 1 << 20)))));
        assertThat(out.stream().filter(f -> f instanceof Frame.Data).mapToInt(f -> ((Frame.Data) f).entries().size()).sum()).isEqualTo(5);
        List<Action> dup = s.onText(ControlCodec.encode(new Frame.Ack(DOWN, 0, new Frame.Credit(3, 10))));
        assertThat(dup).isEmpty();
        assertThat(s.onText(ControlCodec.encode(new Frame.Ack(DOWN, 9, new Frame.Credit(20, 1 << 20)))))
                .singleElement().isInstanceOfSatisfying(Action.Close.class, c -> assertThat(c.code()).isEqualTo(SyncCode.ACK_INVALID));
    }

    @Test
    void aTrimmedStreamShipsItsSnapshotThenContinues() {
        InMemoryJournal j = new InMemoryJournal();
        List<JournalEntry> all = fill(j, DOWN, 10);
        List<byte[]> snapshot = List.of(all.get(1).bytes(), all.get(4).bytes(), all.get(5).bytes());
        long snapBytes = snapshot.stream().mapToLong(b -> b.length).sum();
        SourceStream trimmed = new SourceStream() {
            public String name() {
                return DOWN;
            }

            public long firstSeq() {
                return 6;
            }

            public long head() {
                return 10;
            }

            public long hashBefore(long seq) {
                return all.get((int) seq - 1).hash();
            }

            public JournalCursor read(long fromSeq) {
                return j.read(DOWN, fromSeq);
            }

            public StreamSnapshot snapshot() {
                return new StreamSnapshot(DOWN, 6, all.get(5).hash(), 3, snapBytes, snapshot::iterator);
            }
        };
        SyncSession cloud = cloudSession(trimmed);
        SyncSession edge = new SyncSession(SyncSession.Side.EDGE, "edge-a", "edge-a", null, options, new JournalSource(new InMemoryJournal(), UP),
                clock::get, 1 << 20);
        List<Action> hello = edge.positionLoaded(new Frame.StreamPosition(DOWN, 0, 0));
        cloud.positionLoaded(new Frame.StreamPosition(UP, 0, 0));
        List<Action> toEdge = cloud.onText(ControlCodec.encode(sent(hello).get(0)));
        assertThat(sent(toEdge).get(1)).isEqualTo(new Frame.SnapshotHeader(DOWN, 6, all.get(5).hash(), 3, snapBytes));
        List<Action> atEdge = new ArrayList<>();
        for (Frame f : sent(toEdge)) {
            atEdge.addAll(f instanceof Frame.Data d ? edge.onBinary(DataCodec.encode(d)) : edge.onText(ControlCodec.encode(f)));
        }
        Action.InstallSnapshot install = (Action.InstallSnapshot) atEdge.stream().filter(a -> a instanceof Action.InstallSnapshot).findFirst().orElseThrow();
        assertThat(install.upTo()).isEqualTo(6);
        assertThat(install.entries()).containsExactlyElementsOf(snapshot);
        Action.Append append = (Action.Append) atEdge.stream().filter(a -> a instanceof Action.Append).findFirst().orElseThrow();
        assertThat(append.firstSeq()).isEqualTo(6);
        assertThat(append.next()).isEqualTo(10);
        assertThat(sent(edge.appended(6)).get(0)).isEqualTo(new Frame.Ack(DOWN, 6, new Frame.Credit(6 + 16, (4 << 20) + snapBytes)));
        assertThat(edge.state()).isEqualTo(SyncSession.State.STREAMING);
    }

    @Test
    void timersPingCloseIdleConnectionsAndEndSlowHandshakes() {
        InMemoryJournal j = new InMemoryJournal();
        SyncSession s = cloudSession(new JournalSource(j, DOWN));
        s.positionLoaded(new Frame.StreamPosition(UP, 0, 0));
        clock.addAndGet(3_001);
        assertThat(s.tick()).singleElement().isInstanceOfSatisfying(Action.Close.class,
                c -> assertThat(c.code()).isEqualTo(SyncCode.HANDSHAKE_TIMEOUT));

        SyncSession t = cloudSession(new JournalSource(j, DOWN));
        t.positionLoaded(new Frame.StreamPosition(UP, 0, 0));
        t.onText(ControlCodec.encode(hello(0, 0, new Frame.Credit(10, 1 << 20))));
        clock.addAndGet(500);
        assertThat(sent(t.tick())).singleElement().isInstanceOf(Frame.Ping.class);
        assertThat(t.tick()).isEmpty();
        clock.addAndGet(1_600); // 2,100 ms since the hello: over the 2,000 ms idle timeout
        assertThat(t.tick()).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(Action.Close.class,
                c -> assertThat(c.code()).isEqualTo(SyncCode.IDLE)));
        assertThat(t.state()).isEqualTo(SyncSession.State.CLOSED);
        assertThat(t.onText("garbage")).isEmpty();
    }

    @Test
    void aPeerClaimingMoreThanWasWrittenHasDiverged() {
        InMemoryJournal j = new InMemoryJournal();
        fill(j, DOWN, 3);
        SyncSession s = cloudSession(new JournalSource(j, DOWN));
        s.positionLoaded(new Frame.StreamPosition(UP, 0, 0));
        JournalEntry foreign = EntryCodec.create(DOWN, 4, 1, "cloud", 0, "", 0, new byte[1]);
        List<Action> out = s.onText(ControlCodec.encode(hello(5, foreign.hash(), new Frame.Credit(10, 1 << 20))));
        assertThat(out.get(out.size() - 1)).isInstanceOfSatisfying(Action.Close.class, c -> assertThat(c.code()).isEqualTo(SyncCode.DIVERGED));
    }
}
