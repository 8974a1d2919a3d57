package dev.edgetwin.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.edgetwin.cloud.CloudMain;
import dev.edgetwin.cloud.CloudNode;
import dev.edgetwin.edge.EdgeMain;
import dev.edgetwin.edge.EdgeNode;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.ListFilter;
import dev.edgetwin.log.Page;
import dev.edgetwin.log.Result;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinCommand;
import dev.edgetwin.node.NodeCore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A real edge or cloud node in a child JVM, driven through stdin for the cluster tests:
 * {@code NodeDriver edge|cloud <the node's flags…>}. Commands (one per line) write through the
 * node's writer exactly like its APIs will; results are lines starting with {@code DRV}:
 * <pre>
 *   reg ID NODE            cloud: register device ID on edge NODE      → DRV ack STREAM SEQ | DRV rej CODE
 *   regedge ID             edge: register its own device ID
 *   desire ID PROP VALUE   set a desired value
 *   report ID PROP VALUE   edge: set a reported value
 *   pos                    DRV pos STREAM NEXT APPLIED … then DRV pos end
 *   docs NODE              DRV doc ID JSON … then DRV docs end (devices bound to NODE)
 * </pre>
 */
public final class NodeDriver {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private NodeDriver() {
    }

    public static void main(String[] args) throws Exception {
        String[] flags = java.util.Arrays.copyOfRange(args, 1, args.length);
        NodeCore core;
        Runnable stop;
        if (args[0].equals("cloud")) {
            CloudNode node = CloudNode.start(CloudMain.parse(flags));
            core = node.core();
            stop = node::stop;
        } else {
            EdgeNode node = EdgeNode.start(EdgeMain.parse(flags));
            core = node.core();
            stop = node::stop;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "shutdown"));
        say("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] p = line.trim().split(" ", 4);
            try {
                switch (p[0]) {
                    case "reg" -> write(core, new TwinCommand.RegisterDevice(DeviceId.of(p[1]), p[2], "lamp", Map.of(),
                            Map.of("power", PropertyDef.ANY, "level", PropertyDef.ANY), Map.of()));
                    case "regedge" -> write(core, new TwinCommand.RegisterDevice(DeviceId.of(p[1]), core.store().nodeId(), "sensor", Map.of(),
                            Map.of("level", PropertyDef.ANY), Map.of()));
                    case "desire" -> write(core, new TwinCommand.PatchDesired(DeviceId.of(p[1]), Map.of(p[2], value(p[3]))));
                    case "report" -> write(core, new TwinCommand.PatchReported(DeviceId.of(p[1]), Map.of(p[2], value(p[3]))));
                    case "pos" -> positions(core.store());
                    case "docs" -> documents(core.store(), p[1]);
                    default -> say("error unknown command " + p[0]);
                }
            } catch (RuntimeException e) {
                say("error " + e);
            }
        }
    }

    private static JsonNode value(String text) {
        try {
            return JSON.numberNode(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return JSON.textNode(text);
        }
    }

    private static void write(NodeCore core, TwinCommand command) {
        CompletableFuture<Result> f = core.writer().submit(TwinStore.Request.of(command));
        f.whenComplete((r, e) -> {
            if (r instanceof Result.Applied a) {
                for (JournalEntry entry : a.entries()) say("ack " + entry.stream() + " " + entry.seq());
            } else if (r instanceof Result.Rejected rej) {
                say("rej " + rej.error().code());
            } else {
                say("rej " + e);
            }
        });
    }

    private static void positions(TwinStore store) {
        for (String s : store.journal().streams()) say("pos " + s + " " + store.journal().nextSeq(s) + " " + store.projection().checkpoint(s));
        say("pos end");
    }

    private static void documents(TwinStore store, String node) {
        String cursor = null;
        do {
            Page<DeviceTwin> page = store.list(ListFilter.node(node), cursor, 500);
            for (DeviceTwin t : page.items()) say("doc " + t.id() + " " + t.documentJson());
            cursor = page.nextCursor();
        } while (cursor != null);
        say("docs end");
    }

    private static synchronized void say(String line) {
        System.out.println("DRV " + line);
        System.out.flush();
    }
}
