package dev.edgetwin.log.cli;

import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceState;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running node for {@link TwinctlLiveNodeTest}, in a child JVM: writes {@link #DEVICES} devices
 * and {@link #FIRST} events, closes (so the projection on disk holds them), reopens and writes
 * {@link #SECOND} more, then prints {@code idle <entries>} and keeps the store open, obeying
 * stdin: {@code go} (append continuously, at most {@link #MAX_LIVE} events, prints
 * {@code writing}), {@code pause} (stop, print {@code idle <entries>}), {@code exit} (close,
 * print {@code closed}). Args: {@code <dataDir>}.
 */
public final class LiveNode {
    static final String NODE = "edge-a";
    static final String STREAM = "edge/" + NODE;
    static final int DEVICES = 20;
    static final int FIRST = 1_000;
    static final int SECOND = 1_000;
    static final int MAX_LIVE = 300_000;

    private LiveNode() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Random random = new Random(42);
        try (TwinStore store = TwinStore.open(dir, NODE, StoreOptions.edge())) {
            for (int d = 0; d < DEVICES; d++) {
                store.execute(new TwinCommand.RegisterDevice(device(d), NODE, "sensor", Map.of(), Map.of("level", PropertyDef.ANY),
                        Map.of()), null, null);
            }
            write(store, random, FIRST - DEVICES);
        }
        TwinStore store = TwinStore.open(dir, NODE, StoreOptions.edge());
        write(store, random, SECOND);
        out.println("idle " + store.journal().nextSeq(STREAM));
        AtomicBoolean writing = new AtomicBoolean();
        Thread writer = null;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            switch (line.trim()) {
                case "go" -> {
                    writing.set(true);
                    writer = new Thread(() -> {
                        for (int n = 0; writing.get() && n < MAX_LIVE; n += 20) write(store, random, 20);
                    });
                    writer.start();
                    out.println("writing");
                }
                case "pause" -> {
                    writing.set(false);
                    if (writer != null) writer.join();
                    out.println("idle " + store.journal().nextSeq(STREAM));
                }
                case "exit" -> {
                    writing.set(false);
                    if (writer != null) writer.join();
                    store.close();
                    out.println("closed");
                    return;
                }
                default -> out.println("unknown command " + line);
            }
        }
        store.close();
    }

    private static DeviceId device(int d) {
        return DeviceId.of("dev-" + d);
    }

    /** {@code n} events in batches of 10: reported levels, now and then a state change. */
    private static void write(TwinStore store, Random random, int n) {
        for (int i = 0; i < n; i += 10) {
            List<TwinStore.Request> batch = new ArrayList<>();
            for (int j = 0; j < Math.min(10, n - i); j++) {
                DeviceId id = device(random.nextInt(DEVICES));
                batch.add(TwinStore.Request.of(random.nextInt(10) == 0
                        ? new TwinCommand.ChangeState(id, random.nextBoolean() ? DeviceState.ONLINE : DeviceState.OFFLINE)
                        : new TwinCommand.PatchReported(id, Map.of("level", JsonValues.parse(Integer.toString(random.nextInt(1000)))))));
            }
            store.executeAll(batch);
        }
    }
}
