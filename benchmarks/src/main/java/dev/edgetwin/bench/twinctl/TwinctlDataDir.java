package dev.edgetwin.bench.twinctl;

import dev.edgetwin.bench.Workload;
import dev.edgetwin.bench.log.TwinEntries;
import dev.edgetwin.bench.projection.FleetJournal;
import dev.edgetwin.log.EntryDraft;
import dev.edgetwin.log.FsyncPolicy;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.chronicle.ChronicleJournal;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.HybridClock;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.TwinEvent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds an edge node's data directory of many events, to time {@code twinctl verify} and
 * {@code state --at} on it (benchmarks/RESULTS.md, section (e) "twinctl"). Not a test and not a JMH
 * benchmark: run it once, then time the CLI on the result.
 *
 * <p>Content: {@code devices} registrations written by the cloud ({@code cloud/edge-a}, origin
 * {@code cloud}, the cloud's clock), then {@code events} reported values of the
 * {@link Workload} (4 properties, seeded) written by the edge in batches of 1,000
 * ({@code edge/edge-a}, origin {@code edge-a}), with a batch of 1,000 desired values from the
 * cloud after every million. The entries are exactly those the two nodes' {@link TwinStore}s
 * would write for these commands; they go straight into the journal
 * ({@link ChronicleJournal#append}, fsync {@code never}) because deciding each command through
 * {@code TwinStore.executeAll} made the build take most of an hour on the shared box. The
 * projection is then built the way a node builds it on start: {@link TwinStore#open} replays the
 * journal into it (and closing flushes it).
 *
 * <pre>java @twin-log/target/classes/edgetwin-jvm.flags -cp benchmarks/target/benchmarks.jar \
 *     dev.edgetwin.bench.twinctl.TwinctlDataDir DIR [events=10000000] [devices=10000]</pre>
 */
public final class TwinctlDataDir {
    static final String CLOUD_STREAM = "cloud/" + Workload.NODE;
    private static final int CHUNK = 100_000;
    private static final int BATCH = 1_000;
    private static final int DESIRED_EVERY = 1_000_000;

    private TwinctlDataDir() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: TwinctlDataDir DIR [events=10000000] [devices=10000]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        long events = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
        int devices = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        long start = System.nanoTime();
        StoreOptions options = StoreOptions.edge();
        options = options.withJournal(options.journal().withFsync(FsyncPolicy.parse("never")));
        HybridClock cloudClock = HybridClock.system();
        HybridClock edgeClock = HybridClock.system();
        long written = 0;
        try (ChronicleJournal journal = ChronicleJournal.open(dir.resolve("journal"), options.journal())) {
            Workload base = new Workload(Workload.DEFAULT_SEED, devices, 4);
            List<EntryDraft> registrations = new ArrayList<>();
            for (int d = 0; d < devices; d++) registrations.add(draft(cloudClock, "cloud", FleetJournal.registration(base, d)));
            journal.append(CLOUD_STREAM, registrations);
            edgeClock.observe(journal.maxHlc());
            long nextLog = System.nanoTime() + 5_000_000_000L;
            for (int chunk = 0; written < events; chunk++) {
                Workload w = new Workload(Workload.DEFAULT_SEED + chunk, devices, 4);
                List<Workload.TwinUpdate> updates = w.updates((int) Math.min(CHUNK, events - written));
                for (int i = 0; i < updates.size(); i += BATCH) {
                    List<EntryDraft> batch = new ArrayList<>(BATCH);
                    for (Workload.TwinUpdate u : updates.subList(i, Math.min(i + BATCH, updates.size()))) {
                        batch.add(draft(edgeClock, Workload.NODE, TwinEntries.event(u)));
                    }
                    journal.append(TwinEntries.STREAM, batch);
                    long before = written;
                    written += batch.size();
                    if (before / DESIRED_EVERY != written / DESIRED_EVERY) {
                        cloudClock.observe(journal.maxHlc());
                        journal.append(CLOUD_STREAM, desired(cloudClock, w, written));
                        edgeClock.observe(journal.maxHlc());
                    }
                }
                if (System.nanoTime() > nextLog) {
                    nextLog = System.nanoTime() + 5_000_000_000L;
                    System.err.printf(Locale.ROOT, "journal: %,d of %,d events, %,.0f events/s%n", written, events,
                            written / ((System.nanoTime() - start) / 1e9));
                }
            }
        }
        System.err.printf(Locale.ROOT, "journal written in %.1f s; building the projection (TwinStore.open replays it)%n",
                (System.nanoTime() - start) / 1e9);
        long projectionStart = System.nanoTime();
        try (TwinStore store = TwinStore.open(dir, Workload.NODE, options)) {
            System.err.printf(Locale.ROOT, "done: %,d reported events + %,d entries of %s; projection in %.1f s, all in %.1f s%n",
                    written, store.journal().nextSeq(CLOUD_STREAM), CLOUD_STREAM, (System.nanoTime() - projectionStart) / 1e9,
                    (System.nanoTime() - start) / 1e9);
        }
    }

    /** 1,000 desired powerstatus values for the first devices, from the cloud. */
    private static List<EntryDraft> desired(HybridClock clock, Workload w, long salt) {
        List<EntryDraft> out = new ArrayList<>();
        for (int d = 0; d < Math.min(1_000, w.devices()); d++) {
            out.add(draft(clock, "cloud", new TwinEvent.DesiredSet(new DeviceId(Workload.NAMESPACE, w.deviceName(d)), "powerstatus",
                    JsonValues.text((salt / DESIRED_EVERY + d) % 2 == 0 ? "ON" : "OFF"))));
        }
        return out;
    }

    private static EntryDraft draft(HybridClock clock, String origin, TwinEvent event) {
        return new EntryDraft(clock.now(), origin, clock.wallMillis(), "", EventCodec.encode(event));
    }
}
