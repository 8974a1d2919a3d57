package dev.edgetwin.log.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** DeviceTwinCodec: full twin state (stamps, tombstones, removal, state) round-trips; damaged bytes are refused. */
class DeviceTwinCodecTest {
    private static final DeviceId LAMP = new DeviceId("werk-ü", "lamp-1");
    private static final long T = Hlc.pack(1_700_000_000_000L, 0);

    /** A twin that uses every part of the layout: registration, removal, set values, tombstones, state. */
    static DeviceTwin everyPart() {
        DeviceTwin t = DeviceTwin.empty(LAMP);
        t = t.apply(ModelArbitraries.record("cloud", T, new TwinEvent.DeviceRemoved(LAMP)));
        t = t.apply(ModelArbitraries.record("cloud", T + 1, new TwinEvent.DeviceRegistered(LAMP, "edge-a", "led",
                Map.of("serial", JsonValues.text("Ä1"), "pos", JsonValues.parse("{\"x\":1.5,\"y\":[1,2]}")),
                Map.of("power", new PropertyDef("string", false), "temp", new PropertyDef("float", true)))));
        t = t.apply(ModelArbitraries.record("cloud", T + 2, new TwinEvent.DesiredSet(LAMP, "power", JsonValues.text("ON 😀"))));
        t = t.apply(ModelArbitraries.record("edge-a", T + 2, new TwinEvent.ReportedSet(LAMP, "temp", JsonValues.parse("21.25"))));
        t = t.apply(ModelArbitraries.record("edge-a", T + 3, new TwinEvent.ReportedCleared(LAMP, "power")));
        t = t.apply(ModelArbitraries.record("edge-a", T + 4, new TwinEvent.DeviceStateChanged(LAMP, DeviceState.ONLINE)));
        return t;
    }

    @Test
    void everyPartRoundTrips() {
        DeviceTwin t = everyPart();
        assertThat(t.removedStamp()).isNotNull();
        assertThat(t.reportedField("power").isSet()).isFalse();
        byte[] bytes = DeviceTwinCodec.encode(t);
        DeviceTwin back = DeviceTwinCodec.decode(bytes);
        assertThat(back).isEqualTo(t);
        assertThat(back.documentJson()).isEqualTo(t.documentJson());
        assertThat(back.etag()).isEqualTo(t.etag());
        assertThat(back.maxHlc()).isEqualTo(T + 4);
        assertThat(back.removedStamp()).isEqualTo(new Stamp(T, "cloud"));
        assertThat(back.reportedField("power")).isEqualTo(new Field(new Stamp(T + 3, "edge-a"), null));
        assertThat(back.state()).isEqualTo(DeviceState.ONLINE);
        assertThat(DeviceTwinCodec.encode(back)).isEqualTo(bytes);
        assertThat(bytes[0]).isEqualTo((byte) DeviceTwinCodec.VERSION);
        // the tombstone still counts after the round trip: an older set cannot bring the value back
        DeviceTwin late = back.apply(ModelArbitraries.record("cloud", T + 2, new TwinEvent.ReportedSet(LAMP, "power", JsonValues.text("OFF"))));
        assertThat(late.reported("power")).isEmpty();
    }

    @Test
    void emptyTwinRoundTrips() {
        DeviceTwin empty = DeviceTwin.empty(DeviceId.of("x"));
        assertThat(DeviceTwinCodec.decode(DeviceTwinCodec.encode(empty))).isEqualTo(empty);
        Garbage.everyTruncationRefused(DeviceTwinCodec::decode, DeviceTwinCodec.encode(empty));
    }

    @Provide
    Arbitrary<List<EventRecord>> records() {
        return ModelArbitraries.records(25);
    }

    @Property(tries = 300)
    void randomTwinsRoundTrip(@ForAll("records") List<EventRecord> records) {
        for (DeviceTwin t : ModelArbitraries.inStampOrder(records).twins().values()) {
            byte[] bytes = DeviceTwinCodec.encode(t);
            DeviceTwin back = DeviceTwinCodec.decode(bytes);
            assertThat(back).isEqualTo(t);
            assertThat(back.documentJson()).isEqualTo(t.documentJson());
            assertThat(DeviceTwinCodec.encode(back)).isEqualTo(bytes);
        }
    }

    @Test
    void everyTruncationIsRefused() {
        Garbage.everyTruncationRefused(DeviceTwinCodec::decode, DeviceTwinCodec.encode(everyPart()));
    }

    @Test
    void everyDamagedByteDecodesOrIsRefused() {
        int refused = Garbage.everyByteDamaged(DeviceTwinCodec::decode, DeviceTwinCodec.encode(everyPart()), new Random(3));
        assertThat(refused).isPositive();
    }

    @Test
    void randomBytesAreRefused() {
        Random random = new Random(11);
        int refused = Garbage.randomArraysRefused(DeviceTwinCodec::decode, new byte[0], 10_000, 96, random);
        // behind a valid version byte and a short id, noise reaches the registration and field decoders
        byte[] prefix = new BinaryWriter().u8(1).str("default").str("a").i64(T).toBytes();
        refused += Garbage.randomArraysRefused(DeviceTwinCodec::decode, prefix, 5_000, 64, random);
        assertThat(refused).isGreaterThan(14_000);
    }
}
