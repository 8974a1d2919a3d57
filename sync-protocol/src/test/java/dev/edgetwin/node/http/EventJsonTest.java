package dev.edgetwin.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceState;
import dev.edgetwin.log.model.Envelope;
import dev.edgetwin.log.model.EventRecord;
import dev.edgetwin.log.model.Hlc;
import dev.edgetwin.log.model.JsonValues;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinEvent;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The streamed event JSON (change stream, history) is the tree's, byte for byte. */
class EventJsonTest {
    static final String[] ODD = {"", "plain", "quote\"and\\slash", "line\nbreak\ttab", "émoji 🌡", "\u0001ctl", "\ud800lone", "</script>"};

    @Test
    void streamedJsonEqualsTheTreeForEveryEventType() {
        Random random = new Random(42);
        for (int i = 0; i < 5_000; i++) {
            EventRecord record = new EventRecord(new Envelope(i % 2 == 0 ? "edge/edge-a" : "cloud/edge-a", i,
                    Hlc.pack(Math.abs(random.nextLong()) % 4_102_444_800_000L, random.nextInt(4)), pick(random),
                    0L, random.nextInt(3) == 0 ? pick(random) : null), event(random));
            JournalPosition p = new JournalPosition(record.envelope().stream(), i);
            String tree = JsonValues.write(tree(p, record));
            assertThat(EventJson.json(p, record)).as("record %s", record).isEqualTo(tree);
            // on the wire: the text the old path wrote, encoded by Vert.x as UTF-8 — except a lone
            // surrogate, which that encoding turned into '?' and the byte path keeps as a \\uD800 escape
            byte[] got = new SseText.Events().change(p, record).finish().getBytes();
            if (tree.chars().anyMatch(c -> Character.isSurrogate((char) c))) {
                String text = new String(got, StandardCharsets.UTF_8);
                String data = text.substring(text.indexOf("data: ") + 6, text.length() - 2);
                assertThat(JsonValues.parse(data)).as("lossless: %s", record).isEqualTo(JsonValues.parse(tree));
                continue;
            }
            assertThat(got).as("record %s", record).isEqualTo(("id: " + p + "\ndata: " + tree + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void manyEventsThroughOneWriterAreEachEventsBytesInOrder() {
        Random random = new Random(11);
        for (int round = 0; round < 50; round++) {
            SseText.Events events = new SseText.Events();
            StringBuilder expected = new StringBuilder();
            int n = 1 + random.nextInt(round < 25 ? 5 : 200);   // some writes pass the generator's own buffer (8000 bytes)
            for (int i = 0; i < n; i++) {
                EventRecord record = new EventRecord(new Envelope("edge/edge-a", i, Hlc.pack(1_764_990_000_000L + i, 0), "edge-a", 0L,
                        null), event(random));
                JournalPosition p = new JournalPosition("edge/edge-a", round * 1_000L + i);
                String tree = JsonValues.write(tree(p, record));
                if (tree.chars().anyMatch(c -> Character.isSurrogate((char) c))) continue;   // written as an escape: see above
                events.change(p, record);
                expected.append("id: ").append(p).append("\ndata: ").append(tree).append("\n\n");
                assertThat(events.length()).isEqualTo(expected.toString().getBytes(StandardCharsets.UTF_8).length);
            }
            assertThat(events.finish().getBytes()).isEqualTo(expected.toString().getBytes(StandardCharsets.UTF_8));
        }
        assertThat(new SseText.Events().finish().length()).as("nothing written").isZero();
    }

    @Test
    void isoMillisIsInstantToString() {
        Random random = new Random(7);
        long[] fixed = {0, 1, 999, 1_000, 1_001, 59_999, 60_000, 86_399_999, 1_764_990_000_000L, 253_402_300_799_999L, 4_102_444_800_000L};
        for (long m : fixed) assertThat(IsoMillis.format(m)).isEqualTo(Instant.ofEpochMilli(m).toString());
        long t = 1_764_990_000_000L;
        for (int i = 0; i < 100_000; i++) {
            t += random.nextInt(3) == 0 ? random.nextInt(2_000) : 0;
            long m = random.nextInt(50) == 0 ? Math.abs(random.nextLong()) % 4_102_444_800_000L : t;
            assertThat(IsoMillis.format(m)).isEqualTo(Instant.ofEpochMilli(m).toString());
        }
    }

    /** The event as a tree: how EventJson built it before it wrote straight to the generator (the reference). */
    static ObjectNode tree(JournalPosition position, EventRecord record) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        TwinEvent event = record.event();
        o.put("position", position.toString());
        o.put("type", EventJson.type(event));
        o.put("namespace", event.device().namespace());
        o.put("device", event.device().name());
        if (event instanceof TwinEvent.DeviceRegistered r) {
            o.put("node", r.node());
            o.put("model", r.model());
            ObjectNode attrs = o.putObject("attributes");
            r.attributes().forEach(attrs::set);
            ObjectNode props = o.putObject("properties");
            r.properties().forEach((p, def) -> props.putObject(p).put("type", def.type()).put("readOnly", def.readOnly()));
        } else if (event instanceof TwinEvent.DesiredSet d) {
            o.put("property", d.property()).set("value", d.value());
        } else if (event instanceof TwinEvent.DesiredCleared d) {
            o.put("property", d.property());
        } else if (event instanceof TwinEvent.ReportedSet r) {
            o.put("property", r.property()).set("value", r.value());
        } else if (event instanceof TwinEvent.ReportedCleared r) {
            o.put("property", r.property());
        } else if (event instanceof TwinEvent.DeviceStateChanged st) {
            o.put("state", st.state().wireName());
        }
        long hlc = record.envelope().hlc();
        o.put("time", Hlc.instant(hlc).toString());
        o.put("hlc", Hlc.format(hlc));
        o.put("origin", record.envelope().origin());
        if (!record.envelope().clientToken().isEmpty()) o.put("clientToken", record.envelope().clientToken());
        return o;
    }

    private static String pick(Random r) {
        return ODD[r.nextInt(ODD.length)];
    }

    private static JsonNode value(Random r) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (r.nextInt(8)) {
            case 0 -> f.textNode(pick(r));
            case 1 -> r.nextBoolean() ? f.numberNode(r.nextLong()) : f.numberNode(r.nextInt());
            case 2 -> f.numberNode(new BigDecimal("21.50"));
            case 3 -> f.booleanNode(r.nextBoolean());
            case 4 -> f.nullNode();
            case 5 -> f.arrayNode().add(1).add(pick(r)).addNull();
            case 6 -> {
                ObjectNode o = f.objectNode();
                o.put("a", pick(r)).putObject("b").put("c", 2.5);
                yield o;
            }
            default -> f.numberNode(r.nextDouble());
        };
    }

    private static TwinEvent event(Random r) {
        DeviceId id = new DeviceId("default", "dev-" + r.nextInt(100));
        String p = r.nextBoolean() ? "powerstatus" : pick(r);
        return switch (r.nextInt(7)) {
            case 0 -> {
                Map<String, JsonNode> attrs = new LinkedHashMap<>();
                for (int i = r.nextInt(3); i > 0; i--) attrs.put(pick(r) + i, value(r));
                Map<String, PropertyDef> props = new LinkedHashMap<>();
                for (int i = r.nextInt(3); i > 0; i--) props.put(pick(r) + i, new PropertyDef(List.of("int", "float", "string", "").get(r.nextInt(4)), r.nextBoolean()));
                yield new TwinEvent.DeviceRegistered(id, "edge-a", r.nextBoolean() ? "lamp" : pick(r), attrs, props);
            }
            case 1 -> new TwinEvent.DeviceRemoved(id);
            case 2 -> new TwinEvent.DesiredSet(id, p, value(r));
            case 3 -> new TwinEvent.DesiredCleared(id, p);
            case 4 -> new TwinEvent.ReportedSet(id, p, value(r));
            case 5 -> new TwinEvent.ReportedCleared(id, p);
            default -> new TwinEvent.DeviceStateChanged(id, DeviceState.values()[r.nextInt(DeviceState.values().length)]);
        };
    }
}
