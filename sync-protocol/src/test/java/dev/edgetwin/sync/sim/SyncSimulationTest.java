package dev.edgetwin.sync.sim;

import dev.edgetwin.sync.SyncOptions;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Example;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The seeded simulation of the sync state machines (STYLE.md practice 5): random faults,
 * windows and edge counts; the named invariants of {@link SimWorld} must hold throughout and
 * everything must converge once the network heals. A failing case prints its seed and
 * parameters; jqwik replays it first on the next run.
 */
class SyncSimulationTest {
    static final long CHAOS_MILLIS = 30_000;
    static final long HEAL_MILLIS = 60_000;

    @Property(tries = 100)
    void replicasAndTwinsConvergeWhateverTheNetworkDoes(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int edges,
                                                        @ForAll("faults") Faults faults, @ForAll("options") SyncOptions cloud,
                                                        @ForAll("options") SyncOptions edge) {
        SimWorld world = new SimWorld(seed, edges, cloud, edge, faults);
        world.run(CHAOS_MILLIS);
        world.heal(HEAL_MILLIS);
        assertThat(world.appendedEntries).as("entries replicated").isPositive();
        world.closes.keySet().forEach(code -> Statistics.label("close codes").collect(code));
    }

    @Example
    void withoutFaultsOneConnectionPerEdgeCarriesEverything() {
        SimWorld world = new SimWorld(42, 2, small(64, 4096), small(8, 2048), Faults.NONE);
        world.run(CHAOS_MILLIS);
        world.heal(HEAL_MILLIS);
        assertThat(world.connects).isEqualTo(2);
        assertThat(world.closes).isEmpty();
        assertThat(world.appendedEntries).isGreaterThan(300);
    }

    @Example
    void faultsAreDetectedAsCodedClosesAndStillConverge() {
        Faults heavy = new Faults(0.02, 0.02, 0.02, true, 40, 0.3, 0.1, 0.1);
        SimWorld world = new SimWorld(7, 3, small(32, 2048), small(16, 2048), heavy);
        world.run(CHAOS_MILLIS);
        world.heal(HEAL_MILLIS);
        assertThat(world.closes.keySet()).contains("sync:gap", "sync:offset", "sync:crc");
        assertThat(world.connects).isGreaterThan(10);
    }

    /** The invariants are not vacuous: an adapter that acknowledges before appending is caught. */
    @Example
    void acknowledgingBeforeTheAppendIsCaught() {
        SimWorld world = new SimWorld(3, 1, small(64, 4096), small(64, 4096), Faults.NONE);
        world.ackBeforeAppend = true;
        assertThatThrownBy(() -> {
            world.run(CHAOS_MILLIS);
            world.heal(HEAL_MILLIS);
        }).isInstanceOf(SimWorld.InvariantViolation.class).hasMessageContaining("ack-means-stored");
    }

    @Provide
    Arbitrary<Faults> faults() {
        Arbitrary<Double> small = Arbitraries.doubles().between(0, 0.03);
        Arbitrary<Double> perSecond = Arbitraries.doubles().between(0, 0.3);
        return Combinators.combine(small, small, small, Arbitraries.of(true, false), Arbitraries.integers().between(1, 60),
                        perSecond, perSecond, perSecond)
                .as(Faults::new)
                .edgeCases(c -> c.add(Faults.NONE));
    }

    @Provide
    Arbitrary<SyncOptions> options() {
        return Combinators.combine(Arbitraries.integers().between(1, 256), Arbitraries.integers().between(1, 4),
                        Arbitraries.integers().between(1024, 4096), Arbitraries.integers().between(1, 64))
                .as((entries, factor, batchBytes, batchEntries) -> base().withBatch(batchBytes, batchEntries)
                        .withWindow(entries, batchBytes * factor));
    }

    private static SyncOptions base() {
        return SyncOptions.DEFAULT.withMaxEntryBytes(SimWorld.MAX_ENTRY_BYTES).withBatch(4096, 64).withWindow(64, 4096)
                .withTimers(500, 2_000, 2_000);
    }

    static SyncOptions small(int windowEntries, int windowBytes) {
        return base().withBatch(Math.min(windowBytes, 2048), 16).withWindow(windowEntries, windowBytes);
    }
}
