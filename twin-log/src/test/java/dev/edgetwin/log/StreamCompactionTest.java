package dev.edgetwin.log;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.edgetwin.log.model.DeviceId;
import dev.edgetwin.log.model.DeviceState;
import dev.edgetwin.log.model.Envelope;
import dev.edgetwin.log.model.EventCodec;
import dev.edgetwin.log.model.EventRecord;
import dev.edgetwin.log.model.PropertyDef;
import dev.edgetwin.log.model.TwinEvent;
import dev.edgetwin.log.model.TwinState;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compaction keeps exactly the twins: for random streams of real events (removals and
 * re-registrations included), the kept entries — alone, incrementally, or merged with another
 * stream in any order — give twins equal to those of every entry.
 */
class StreamCompactionTest {
    static final List<DeviceId> DEVICES = List.of(DeviceId.of("d1"), DeviceId.of("d2"), new DeviceId("plant", "d3"));
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    static TwinEvent event(Random r) {
        DeviceId d = DEVICES.get(r.nextInt(DEVICES.size()));
        String p = r.nextBoolean() ? "power" : "level";
        return switch (r.nextInt(9)) {
            case 0 -> new TwinEvent.DeviceRegistered(d, "edge-a", "m" + r.nextInt(2), Map.of("serial", JSON.textNode("s" + r.nextInt(3))),
                    Map.of(p, PropertyDef.ANY));
            case 1 -> new TwinEvent.DeviceRemoved(d);
            case 2 -> new TwinEvent.DesiredSet(d, p, JSON.numberNode(r.nextInt(5)));
            case 3 -> new TwinEvent.DesiredCleared(d, p);
            case 4 -> new TwinEvent.ReportedSet(d, p, JSON.textNode("v" + r.nextInt(5)));
            case 5 -> new TwinEvent.ReportedCleared(d, p);
            case 6 -> new TwinEvent.DeviceStateChanged(d, r.nextBoolean() ? DeviceState.ONLINE : DeviceState.OFFLINE);
            default -> new TwinEvent.ReportedSet(d, "level", JSON.numberNode(r.nextInt(100)));
        };
    }

    /** A stream of {@code n} chained entries by {@code origin}; HLCs increase but collide in millis with the other stream's. */
    static List<JournalEntry> stream(String stream, String origin, int n, Random r) {
        List<JournalEntry> out = new ArrayList<>();
        long prev = 0;
        long hlc = 1_000;
        for (int i = 0; i < n; i++) {
            hlc += 1 + r.nextInt(3);
            JournalEntry e = EntryCodec.create(stream, i, hlc, origin, 0, "", prev, EventCodec.encode(event(r)));
            out.add(e);
            prev = e.hash();
        }
        return out;
    }

    static TwinState fold(List<JournalEntry> entries) {
        List<EventRecord> records = new ArrayList<>();
        for (JournalEntry e : entries) {
            records.add(new EventRecord(new Envelope(e.stream(), e.seq(), e.hlc(), e.origin(), e.wallTime(), e.clientToken()),
                    EventCodec.decode(e.payload())));
        }
        return TwinState.empty().applyAll(records);
    }

    static List<JournalEntry> compact(String stream, List<JournalEntry> entries) {
        StreamCompaction c = new StreamCompaction(stream);
        entries.forEach(c::add);
        return c.result();
    }

    @Property(tries = 300)
    void theKeptEntriesGiveTheSameTwinsAloneAndMergedWithAnotherStream(@ForAll long seed, @ForAll @IntRange(min = 1, max = 120) int n,
                                                                     @ForAll @IntRange(min = 0, max = 119) int cut) {
        Random r = new Random(seed);
        List<JournalEntry> a = stream("edge/edge-a", "edge-a", n, r);
        List<JournalEntry> b = stream("cloud/edge-a", "cloud", 40, r);
        List<JournalEntry> kept = compact("edge/edge-a", a);
        assertThat(kept.size()).isLessThanOrEqualTo(a.size());
        assertThat(kept).isSortedAccordingTo(java.util.Comparator.comparingLong(JournalEntry::seq));
        assertThat(fold(kept).twins()).isEqualTo(fold(a).twins());

        List<JournalEntry> merged = new ArrayList<>(kept);
        merged.addAll(b);
        Collections.shuffle(merged, r);
        List<JournalEntry> all = new ArrayList<>(a);
        all.addAll(b);
        assertThat(fold(merged).twins()).isEqualTo(fold(all).twins());

        // incremental: compact(compact(prefix) + rest) == compact(everything) in effect
        int k = Math.min(cut, a.size());
        List<JournalEntry> step = new ArrayList<>(compact("edge/edge-a", a.subList(0, k)));
        step.addAll(a.subList(k, a.size()));
        List<JournalEntry> twice = compact("edge/edge-a", step);
        assertThat(twice).isEqualTo(kept);
    }

    @Property(tries = 50)
    void removalsHideWhatIsOlder(@ForAll("seeds") long seed) {
        Random r = new Random(seed);
        List<JournalEntry> a = stream("edge/edge-a", "edge-a", 200, r);
        List<JournalEntry> kept = compact("edge/edge-a", a);
        // at most one removal and one entry per register survive: 3 devices x (registration, state, 2x2 values) + 3 removals
        assertThat(kept.size()).isLessThanOrEqualTo(3 * (1 + 1 + 4) + 3);
        assertThat(fold(kept).twins()).isEqualTo(fold(a).twins());
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }
}
