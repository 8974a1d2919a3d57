package dev.edgetwin.log.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators for the model's property tests: events over a small fleet so that registers
 * collide often, stamped by three origins whose clocks collide and skew.
 *
 * <p>Clocks: {@code cloud} and {@code edge-a} draw from the same four milliseconds and the
 * same four counters, so equal HLCs from different origins are common (the origin breaks
 * the tie). {@code edge-b}'s clock is sometimes an hour ahead, so its stamps win against
 * writes that happened later in real time. Stamps are unique per list: one origin never
 * hands out the same HLC twice.
 */
final class ModelArbitraries {
    static final List<DeviceId> DEVICES = List.of(DeviceId.of("lamp-1"), DeviceId.of("lamp-2"), new DeviceId("plant", "pump-1"));
    static final List<String> PROPERTIES = List.of("power", "level", "mode");
    static final List<String> ORIGINS = List.of("cloud", "edge-a", "edge-b");
    static final long BASE_MILLIS = 1_700_000_000_000L;
    static final long SKEW_MILLIS = 3_600_000L;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ModelArbitraries() {
    }

    /** Unique-stamp event records for 2 or 3 devices, 1 to {@code maxSize} of them. */
    static Arbitrary<List<EventRecord>> records(int maxSize) {
        return Arbitraries.integers().between(2, 3).flatMap(devices ->
                record(Arbitraries.of(DEVICES.subList(0, devices))).list().ofMinSize(1).ofMaxSize(maxSize)
                        .uniqueElements(EventRecord::stamp));
    }

    static Arbitrary<EventRecord> record(Arbitrary<DeviceId> devices) {
        return Arbitraries.of(ORIGINS).flatMap(origin ->
                Combinators.combine(hlc(origin), event(devices)).as((hlc, e) -> record(origin, hlc, e)));
    }

    static EventRecord record(String origin, long hlc, TwinEvent event) {
        String stream = origin.equals("cloud") ? "cloud/edge-a" : "edge/" + origin;
        return new EventRecord(new Envelope(stream, 0, hlc, origin, Hlc.millis(hlc), ""), event);
    }

    static Arbitrary<Long> hlc(String origin) {
        Arbitrary<Long> millis = Arbitraries.longs().between(0, 3).map(m -> BASE_MILLIS + m);
        if (origin.equals("edge-b")) millis = Arbitraries.oneOf(millis, millis.map(m -> m + SKEW_MILLIS));
        return Combinators.combine(millis, Arbitraries.longs().between(0, 3)).as(Hlc::pack);
    }

    /** All seven kinds; registrations and removals often enough to race with field writes. */
    static Arbitrary<TwinEvent> event(Arbitrary<DeviceId> devices) {
        Arbitrary<String> property = Arbitraries.of(PROPERTIES);
        Arbitrary<TwinEvent> registered = Combinators.combine(devices, Arbitraries.of("edge-a", "edge-b"),
                        Arbitraries.of("led-light", "pump", ""), attributes(), propertyDefs())
                .as(TwinEvent.DeviceRegistered::new);
        Arbitrary<TwinEvent> removed = devices.map(TwinEvent.DeviceRemoved::new);
        Arbitrary<TwinEvent> desiredSet = Combinators.combine(devices, property, jsonValue()).as(TwinEvent.DesiredSet::new);
        Arbitrary<TwinEvent> desiredCleared = Combinators.combine(devices, property).as(TwinEvent.DesiredCleared::new);
        Arbitrary<TwinEvent> reportedSet = Combinators.combine(devices, property, jsonValue()).as(TwinEvent.ReportedSet::new);
        Arbitrary<TwinEvent> reportedCleared = Combinators.combine(devices, property).as(TwinEvent.ReportedCleared::new);
        Arbitrary<TwinEvent> state = Combinators.combine(devices, Arbitraries.of(DeviceState.class))
                .as(TwinEvent.DeviceStateChanged::new);
        return Arbitraries.frequencyOf(
                Tuple.of(3, registered), Tuple.of(2, removed),
                Tuple.of(4, desiredSet), Tuple.of(1, desiredCleared),
                Tuple.of(4, reportedSet), Tuple.of(1, reportedCleared),
                Tuple.of(2, state));
    }

    static Arbitrary<Map<String, JsonNode>> attributes() {
        return Arbitraries.maps(Arbitraries.of("serial", "rev", "site", "größe"), jsonValue()).ofMaxSize(3);
    }

    static Arbitrary<Map<String, PropertyDef>> propertyDefs() {
        Arbitrary<PropertyDef> def = Combinators.combine(
                Arbitraries.of("", "string", "int", "float", "boolean", "object", "array"),
                Arbitraries.of(false, false, true)).as(PropertyDef::new);
        return Arbitraries.maps(Arbitraries.of(PROPERTIES), def).ofMaxSize(3);
    }

    /** JSON values, nested up to two levels, in non-canonical shapes (1.50, 2.0, unsorted keys). */
    static Arbitrary<JsonNode> jsonValue() {
        return Arbitraries.recursive(ModelArbitraries::jsonLeaf, inner -> Arbitraries.oneOf(inner, array(inner), object(inner)), 0, 2);
    }

    static Arbitrary<JsonNode> jsonLeaf() {
        Arbitrary<JsonNode> longs = Arbitraries.longs().map(NODES::numberNode);
        Arbitrary<JsonNode> decimals = Combinators.combine(Arbitraries.longs().between(-100_000, 100_000), Arbitraries.integers().between(0, 4))
                .as((unscaled, scale) -> (JsonNode) DecimalNode.valueOf(BigDecimal.valueOf(unscaled, scale)));
        Arbitrary<JsonNode> doubles = Arbitraries.of(0.5, 2.0, -0.0, 1e-7, 3.25).map(NODES::numberNode);
        Arbitrary<JsonNode> big = Arbitraries.of("123456789012345678901234567890", "-98765432109876543210.123456789")
                .map(s -> s.contains(".") ? DecimalNode.valueOf(new BigDecimal(s)) : BigIntegerNode.valueOf(new BigInteger(s)));
        Arbitrary<JsonNode> bools = Arbitraries.of(true, false).map(NODES::booleanNode);
        Arbitrary<JsonNode> texts = text().map(NODES::textNode);
        return Arbitraries.frequencyOf(
                Tuple.of(3, longs), Tuple.of(2, decimals), Tuple.of(1, doubles), Tuple.of(1, big),
                Tuple.of(2, bools), Tuple.of(4, texts), Tuple.of(1, Arbitraries.just(NODES.nullNode())));
    }

    /** Strings with ASCII, JSON escapes, Latin-1, CJK and characters outside the BMP. */
    static Arbitrary<String> text() {
        Arbitrary<String> bmp = Arbitraries.strings()
                .withCharRange('a', 'z').withCharRange('\u00e0', '\u00ff').withCharRange('\u4e00', '\u4e0f')
                .withChars('"', '\\', '\n', '\t', '\u0000', '/', ' ', '\u2028')
                .ofMaxLength(8);
        return Combinators.combine(bmp, Arbitraries.of("", "", "😀", "𝄞x")).as(String::concat);
    }

    private static Arbitrary<JsonNode> array(Arbitrary<JsonNode> inner) {
        return inner.list().ofMaxSize(3).map(items -> {
            ArrayNode a = NODES.arrayNode();
            items.forEach(a::add);
            return a;
        });
    }

    private static Arbitrary<JsonNode> object(Arbitrary<JsonNode> inner) {
        // a linked map keeps the drawn (unsorted) key order: canonical form must sort it
        return Arbitraries.maps(text(), inner).ofMaxSize(3).map(members -> {
            ObjectNode o = NODES.objectNode();
            members.forEach(o::set);
            return o;
        });
    }

    /**
     * Everything a node can observe about its twins: per device, whether it exists, the
     * document bytes, the ETag and the full codec bytes (stamps and tombstones included).
     */
    static Map<DeviceId, String> fingerprint(Map<DeviceId, DeviceTwin> twins) {
        Map<DeviceId, String> out = new TreeMap<>();
        twins.forEach((id, t) -> out.put(id, fingerprint(t)));
        return out;
    }

    static String fingerprint(DeviceTwin t) {
        return "exists=" + t.exists() + "\n" + t.documentJson() + "\n" + t.etag() + "\n"
                + HexFormat.of().formatHex(DeviceTwinCodec.encode(t));
    }

    /** The reference state: every event applied once, in stamp order. */
    static TwinState inStampOrder(List<EventRecord> records) {
        TwinState s = TwinState.empty();
        for (EventRecord r : records.stream().sorted((a, b) -> a.stamp().compareTo(b.stamp())).toList()) s = s.apply(r);
        return s;
    }
}
