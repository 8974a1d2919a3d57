package dev.edgetwin.log.crash;

import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.chronicle.JournalVerifier;
import dev.edgetwin.log.model.EventCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a child JVM that writes through {@link TwinStore} with SIGKILL at seeded random
 * moments — during open and replay, between commands and in the middle of appends — and
 * checks after every kill: every acknowledged entry is in the journal, every entry decodes
 * and chains (no half-written entry is visible), and the projection equals a rebuild.
 */
class CrashRecoveryTest {
    static final int KILLS = 20;

    @TempDir
    Path dir;

    @Test
    void sigkillAtRandomPointsLosesNothingAcknowledged() throws Exception {
        Random random = new Random(20261123L);
        String stream = "edge/" + CrashWriter.NODE;
        long acknowledged = -1;
        for (int kill = 0; kill < KILLS; kill++) {
            int ackTarget = kill % 5 == 0 ? 0 : random.nextInt(400);
            List<Long> acks = runAndKill(random.nextLong(), ackTarget, random.nextInt(30));
            for (long seq : acks) acknowledged = Math.max(acknowledged, seq);

            try (TwinStore store = TwinStore.open(dir, CrashWriter.NODE, StoreOptions.edge())) {
                long next = store.journal().nextSeq(stream);
                assertThat(next).as("kill %d: every acknowledged seq is present", kill).isGreaterThan(acknowledged);
                long count = 0;
                try (JournalCursor c = store.journal().read(stream, 0)) {
                    for (JournalEntry e = c.next(); e != null; e = c.next()) {
                        assertThat(e.seq()).isEqualTo(count++);
                        EventCodec.decode(e.payload());
                    }
                }
                assertThat(count).isEqualTo(next);
                String live = store.projection().digest();
                store.rebuildProjection();
                assertThat(store.projection().digest()).as("kill %d: projection equals a rebuild", kill).isEqualTo(live);
            }
            JournalVerifier.Report report = JournalVerifier.verify(dir.resolve("journal"));
            assertThat(report.ok()).as("kill %d: %s", kill, report).isTrue();
        }
        assertThat(acknowledged).as("the writer made progress").isGreaterThan(100);
    }

    /** Starts the writer, waits for {@code ackTarget} acks (plus a little), SIGKILLs it; returns the acked seqs. */
    private List<Long> runAndKill(long seed, int ackTarget, int extraMillis) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashWriter.class.getName());
        command.add(dir.toString());
        command.add(Long.toString(seed));
        // output is piped, never inherited: a child writing into surefire's channel corrupts it
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<Long> acks = new CopyOnWriteArrayList<>();
        List<String> other = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.startsWith("ack ")) acks.add(Long.parseLong(line.substring(4).trim()));
                    else other.add(line);
                }
            } catch (Exception ignored) {
                // the pipe breaks when the child dies
            }
        });
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acks.size() < ackTarget && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(1);
        Thread.sleep(extraMillis);
        assertThat(p.isAlive()).as("writer died on its own: %s", other).isTrue();
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);
        return acks;
    }
}
