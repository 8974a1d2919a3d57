package dev.edgetwin.sync.vertx;

import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.sync.wire.Frame;
import dev.edgetwin.sync.wire.SyncCode;
import dev.edgetwin.sync.wire.SyncProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input from a peer that passed the upgrade: each case gets its coded close, and nothing
 * of the offending frame is appended (a valid prefix sent before it stays).
 */
class SyncBadInputTest {
    @TempDir
    static Path dir;
    static SyncFixture.Cloud cloud;
    static int nodes;

    @BeforeAll
    static void start() {
        // an entry window of 4,096 (not the default), so one frame can overrun it within maxBatchBytes
        cloud = SyncFixture.cloud(dir.resolve("cloud"), 0, new SyncServer.Options(SyncFixture.OPTIONS.withWindow(4096, 4 << 20), null, 64L << 20));
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    /** A fresh edge id per case, so each starts from an empty replica. */
    private static String node() {
        return "bad-" + (++nodes);
    }

    private static RawPeer handshake(String node) throws Exception {
        RawPeer p = new RawPeer().connect(cloud.port(), node);
        p.hello(node, 0, 0, 0);
        p.awaitWelcome();
        return p;
    }

    private static void assertClosed(RawPeer p, SyncCode code, String node, long held) {
        assertThat(p.awaitClose()).as("close status").isEqualTo(code.closeStatus());
        assertThat(p.errorCode()).isEqualTo(code.code());
        assertThat(p.closeReason()).isEqualTo(code.code());
        assertThat(cloud.store().journal().nextSeq(SyncProtocol.edgeStream(node))).as("entries held").isEqualTo(held);
    }

    @Test
    void garbageTextAndUnknownFramesAreFrameInvalid() throws Exception {
        for (String garbage : List.of("not json", "{\"type\":\"nope\"}", "[1,2]", "{\"type\":\"ack\",\"stream\":\"x\"}",
                "{\"type\":\"ping\",\"head\":-1,\"sent\":0}", "{\"type\":\"ping\"} trailing")) {
            String node = node();
            try (RawPeer p = handshake(node)) {
                p.text(garbage);
                assertClosed(p, SyncCode.FRAME_INVALID, node, 0);
            }
        }
    }

    @Test
    void garbageBinaryIsFrameInvalid() throws Exception {
        Random r = new Random(11);
        for (int size : new int[]{0, 5, 31, 64, 4096}) {
            String node = node();
            try (RawPeer p = handshake(node)) {
                byte[] junk = new byte[size];
                r.nextBytes(junk);
                p.binary(junk);
                assertClosed(p, SyncCode.FRAME_INVALID, node, 0);
            }
        }
    }

    @Test
    void dataBeforeTheHandshakeIsUnexpected() throws Exception {
        String node = node();
        String up = SyncProtocol.edgeStream(node);
        try (RawPeer p = new RawPeer().connect(cloud.port(), node)) {
            p.send(RawPeer.batch(up, 0, RawPeer.entries(up, node, 0, 0, 3, 0)));
            assertClosed(p, SyncCode.FRAME_UNEXPECTED, node, 0);
        }
        try (RawPeer p = handshake(node)) {
            p.hello(node, 0, 0, 0);
            assertClosed(p, SyncCode.FRAME_UNEXPECTED, node, 0);
        }
    }

    @Test
    void wrongOffsetsAreGapOrOffsetAndTheValidPrefixStays() throws Exception {
        String node = node();
        String up = SyncProtocol.edgeStream(node);
        List<JournalEntry> all = RawPeer.entries(up, node, 0, 0, 30, 0);
        try (RawPeer p = handshake(node)) {
            p.send(RawPeer.batch(up, 5, all.subList(5, 10)));
            assertClosed(p, SyncCode.GAP, node, 0);
        }
        try (RawPeer p = handshake(node)) {
            p.send(RawPeer.batch(up, 0, all.subList(0, 10)));
            p.awaitAck(up, 10);
            p.send(RawPeer.batch(up, 10, all.subList(10, 20)));
            p.send(RawPeer.batch(up, 15, all.subList(15, 25))); // overlaps what was just sent
            assertClosed(p, SyncCode.OFFSET, node, 20);
        }
        // the header says the right seq, the entries inside do not
        try (RawPeer p = new RawPeer().connect(cloud.port(), node)) {
            p.hello(node, 0, 0, 0);
            assertThat(p.awaitWelcome().receives().next()).isEqualTo(20);
            p.send(Frame.Data.entries(up, 20, 30, all.subList(21, 30).stream().map(JournalEntry::bytes).toList()));
            assertClosed(p, SyncCode.GAP, node, 20);
        }
    }

    @Test
    void damagedEntriesAreCrcOrChainAndNothingOfTheBatchIsAppended() throws Exception {
        String node = node();
        String up = SyncProtocol.edgeStream(node);
        List<JournalEntry> all = RawPeer.entries(up, node, 0, 0, 10, 0);
        try (RawPeer p = handshake(node)) {
            List<byte[]> bytes = new ArrayList<>(all.stream().map(JournalEntry::bytes).toList());
            byte[] damaged = bytes.get(7).clone();
            damaged[damaged.length - 10] ^= 0x5A;
            bytes.set(7, damaged);
            p.send(Frame.Data.entries(up, 0, 10, bytes));
            assertClosed(p, SyncCode.CRC, node, 0);
        }
        try (RawPeer p = handshake(node)) {
            List<JournalEntry> forked = RawPeer.entries(up, node, 5, 0xBADL, 5, 0); // seq 5.. chained after a different head
            List<byte[]> bytes = new ArrayList<>(all.subList(0, 5).stream().map(JournalEntry::bytes).toList());
            forked.forEach(e -> bytes.add(e.bytes()));
            p.send(Frame.Data.entries(up, 0, 10, bytes));
            assertClosed(p, SyncCode.CHAIN, node, 0);
        }
        try (RawPeer p = handshake(node)) {
            List<JournalEntry> other = RawPeer.entries("edge/someone-else", node, 0, 0, 3, 0);
            p.send(Frame.Data.entries(up, 0, 3, other.stream().map(JournalEntry::bytes).toList()));
            assertClosed(p, SyncCode.STREAM, node, 0);
        }
        try (RawPeer p = handshake(node)) {
            p.send(RawPeer.batch("edge/someone-else", 0, RawPeer.entries("edge/someone-else", node, 0, 0, 3, 0)));
            assertClosed(p, SyncCode.STREAM, node, 0);
        }
    }

    @Test
    void oversizedBatchesAndCreditOverrunsAreRefused() throws Exception {
        String node = node();
        String up = SyncProtocol.edgeStream(node);
        try (RawPeer p = handshake(node)) {
            // > 1 MiB of entries (the cloud's maxBatchBytes), under the transport's message limit
            p.send(RawPeer.batch(up, 0, RawPeer.entries(up, node, 0, 0, 1100, 1000)));
            assertClosed(p, SyncCode.BATCH_TOO_LARGE, node, 0);
        }
        try (RawPeer p = handshake(node)) {
            // 4,097 small entries: one more than the 4,096 entries of credit granted
            p.send(RawPeer.batch(up, 0, RawPeer.entries(up, node, 0, 0, 4097, 0)));
            assertClosed(p, SyncCode.CREDIT, node, 0);
        }
    }

    @Test
    void aReplayedOldSessionIsRefusedAndAppendsNothing() throws Exception {
        String node = node();
        String up = SyncProtocol.edgeStream(node);
        List<Object> recorded;
        try (RawPeer p = new RawPeer().connect(cloud.port(), node)) {
            p.hello(node, 0, 0, 10);
            p.awaitWelcome();
            p.send(RawPeer.batch(up, 0, RawPeer.entries(up, node, 0, 0, 10, 0)));
            p.awaitAck(up, 10);
            recorded = new ArrayList<>(p.sent);
        }
        // replayed with its original timing: hello, then (after the welcome) the old batch
        try (RawPeer replay = new RawPeer().connect(cloud.port(), node)) {
            replay.replay(recorded.subList(0, 1));
            assertThat(replay.awaitWelcome().receives().next()).isEqualTo(10);
            replay.replay(recorded.subList(1, recorded.size()));
            assertClosed(replay, SyncCode.OFFSET, node, 10);
        }
        // replayed blindly: the batch lands before the handshake completes, or as a duplicate
        try (RawPeer blind = new RawPeer().connect(cloud.port(), node)) {
            blind.replay(recorded);
            assertThat(blind.awaitClose()).isIn(SyncCode.OFFSET.closeStatus(), SyncCode.FRAME_UNEXPECTED.closeStatus());
            assertThat(cloud.store().journal().nextSeq(SyncProtocol.edgeStream(node))).isEqualTo(10);
        }
    }

    @Test
    void acksAndSnapshotsThatDoNotFitAreRefused() throws Exception {
        String node = node();
        try (RawPeer p = handshake(node)) {
            p.send(new Frame.Ack(SyncProtocol.cloudStream(node), 5, new Frame.Credit(100, 1 << 20)));
            assertClosed(p, SyncCode.ACK_INVALID, node, 0);
        }
        try (RawPeer p = handshake(node)) {
            String up = SyncProtocol.edgeStream(node);
            p.send(Frame.Data.snapshot(up, 3, RawPeer.entries(up, node, 0, 0, 3, 0).stream().map(JournalEntry::bytes).toList()));
            assertClosed(p, SyncCode.SNAPSHOT_INVALID, node, 0);
        }
        try (RawPeer p = handshake(node)) {
            // a ping claiming entries were sent that never arrived: frames were lost
            p.send(new Frame.Ping(10, 10, new Frame.Ack(SyncProtocol.cloudStream(node), 0, new Frame.Credit(4096, 1 << 20))));
            assertClosed(p, SyncCode.GAP, node, 0);
        }
    }

    @Test
    void aHugeMessageIsRefusedByTheTransport() throws Exception {
        String node = node();
        try (RawPeer p = handshake(node)) {
            byte[] huge = new byte[SyncServer.messageLimit(SyncFixture.OPTIONS) + 1];
            huge[0] = 'E';
            p.binary(huge);
            assertClosed(p, SyncCode.BATCH_TOO_LARGE, node, 0);
        }
    }
}
