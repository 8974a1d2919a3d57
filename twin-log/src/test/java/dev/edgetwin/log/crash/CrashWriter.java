package dev.edgetwin.log.crash;

import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.Result;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * The victim of {@link CrashRecoveryTest}: opens a TwinStore and executes commands forever,
 * printing {@code ack <seq>} for every journal entry of a command once {@code execute} has
 * returned — i.e. once the entry is acknowledged. Killed with SIGKILL by the test.
 * Args: {@code <dataDir> <seed>}.
 */
public final class CrashWriter {
    static final String NODE = "edge-a";
    static final int DEVICES = 5;

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        PrintStream out = new PrintStream(System.out, false);
        try (TwinStore store = TwinStore.open(dir, NODE, StoreOptions.edge())) {
            out.println("ready " + store.journal().nextSeq("edge/" + NODE));
            out.flush();
            for (long i = 0; ; i++) {
                DeviceId id = DeviceId.of("dev-" + random.nextInt(DEVICES));
                TwinCommand cmd = store.get(id).isEmpty()
                        ? new TwinCommand.RegisterDevice(id, NODE, "sensor", Map.of("serial", JsonValues.text("S" + i)),
                        Map.of("level", PropertyDef.ANY), Map.of("level", JsonValues.parse(String.valueOf(i))))
                        : random.nextInt(10) == 0
                        ? new TwinCommand.RemoveDevice(id)
                        : new TwinCommand.PatchReported(id, Map.of("level", JsonValues.parse(String.valueOf(i)),
                        "note", JsonValues.text("x".repeat(random.nextInt(200)))));
                Result r = store.execute(cmd, "c-" + i, null);
                if (r instanceof Result.Applied a) {
                    for (JournalEntry e : a.entries()) out.println("ack " + e.seq());
                    out.flush();
                }
            }
        }
    }
}
