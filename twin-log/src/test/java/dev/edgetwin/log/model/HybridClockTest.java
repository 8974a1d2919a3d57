package dev.edgetwin.log.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** HLC packing and the hybrid logical clock's send, receive and recovery rules. */
class HybridClockTest {
    private static final long T = 1_700_000_000_000L;

    /** A wall clock the test moves by hand. */
    private static final class Wall {
        long millis = T;
    }

    @Test
    void packs48BitMillisAnd16BitCounter() {
        long hlc = Hlc.pack(T, 7);
        assertThat(hlc).isEqualTo(T << 16 | 7);
        assertThat(Hlc.millis(hlc)).isEqualTo(T);
        assertThat(Hlc.counter(hlc)).isEqualTo(7);
        assertThat(Hlc.instant(hlc)).isEqualTo(Instant.ofEpochMilli(T));
        assertThat(Hlc.format(hlc)).isEqualTo("2023-11-14T22:13:20Z#7");
        assertThat(Hlc.pack(Hlc.MAX_MILLIS, Hlc.MAX_COUNTER)).isEqualTo(-1L);
        assertThat(Hlc.millis(-1L)).isEqualTo(Hlc.MAX_MILLIS);
        assertThat(Hlc.counter(-1L)).isEqualTo(0xFFFF);
        assertThat(Hlc.MAX_COUNTER).isEqualTo(65_535);
        assertThat(Hlc.MAX_MILLIS).isEqualTo((1L << 48) - 1);
        assertThatThrownBy(() -> Hlc.pack(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hlc.pack(Hlc.MAX_MILLIS + 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hlc.pack(T, 65_536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hlc.pack(T, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Up to 2^47 ms (year 6429): beyond, the packed value has the sign bit set and compares below. */
    @Property(tries = 300)
    void packingPreservesOrder(@ForAll @LongRange(min = 0, max = (1L << 47) - 1) long m1, @ForAll @LongRange(max = 65_535) long c1,
                               @ForAll @LongRange(min = 0, max = (1L << 47) - 1) long m2, @ForAll @LongRange(max = 65_535) long c2) {
        long a = Hlc.pack(m1, c1);
        long b = Hlc.pack(m2, c2);
        int expected = m1 != m2 ? Long.compare(m1, m2) : Long.compare(c1, c2);
        assertThat(Integer.signum(Long.compare(a, b))).isEqualTo(Integer.signum(expected));
        assertThat(Hlc.millis(a)).isEqualTo(m1);
        assertThat(Hlc.counter(a)).isEqualTo(c1);
    }

    @Test
    void nowFollowsTheWallClockAndTicksWithinAMillisecond() {
        Wall wall = new Wall();
        HybridClock clock = new HybridClock(() -> wall.millis);
        assertThat(clock.now()).isEqualTo(Hlc.pack(T, 0));
        assertThat(clock.now()).isEqualTo(Hlc.pack(T, 1));
        wall.millis = T + 5;
        assertThat(clock.now()).isEqualTo(Hlc.pack(T + 5, 0));
        assertThat(clock.last()).isEqualTo(Hlc.pack(T + 5, 0));
    }

    @Test
    void monotonicWhenTheWallClockGoesBackwards() {
        Wall wall = new Wall();
        HybridClock clock = new HybridClock(() -> wall.millis);
        long a = clock.now();
        wall.millis = T - 60_000;
        long b = clock.now();
        long c = clock.now();
        assertThat(b).isGreaterThan(a);
        assertThat(c).isGreaterThan(b);
        assertThat(Hlc.millis(c)).isEqualTo(T);
        wall.millis = -5; // a broken clock is clamped, never negative stamps
        assertThat(clock.now()).isGreaterThan(c);
    }

    @Test
    void counterOverflowBorrowsTheNextMillisecond() {
        Wall wall = new Wall();
        HybridClock clock = new HybridClock(() -> wall.millis);
        clock.recover(Hlc.pack(T, Hlc.MAX_COUNTER - 1));
        assertThat(clock.now()).isEqualTo(Hlc.pack(T, Hlc.MAX_COUNTER));
        assertThat(clock.now()).isEqualTo(Hlc.pack(T + 1, 0));
        assertThat(clock.now()).isEqualTo(Hlc.pack(T + 1, 1));
        // the wall clock catching up with the borrowed millisecond does not repeat a stamp
        wall.millis = T + 1;
        assertThat(clock.now()).isEqualTo(Hlc.pack(T + 1, 2));
        assertThat(clock.observe(Hlc.pack(T + 1, Hlc.MAX_COUNTER))).isEqualTo(Hlc.pack(T + 2, 0));
    }

    @Test
    void observeExceedsBothRemoteAndLocal() {
        Wall wall = new Wall();
        HybridClock clock = new HybridClock(() -> wall.millis);
        long local = clock.now();

        long remoteAhead = Hlc.pack(T + 3_600_000, 9);
        long afterAhead = clock.observe(remoteAhead);
        assertThat(afterAhead).isEqualTo(remoteAhead + 1).isGreaterThan(local);
        assertThat(clock.now()).isGreaterThan(afterAhead);

        long remoteBehind = Hlc.pack(T - 1000, 0);
        long before = clock.last();
        assertThat(clock.observe(remoteBehind)).isGreaterThan(before).isGreaterThan(remoteBehind);

        // a remote stamp older than the wall clock: the wall clock wins
        HybridClock fresh = new HybridClock(() -> wall.millis);
        assertThat(fresh.observe(Hlc.pack(T - 5, 3))).isEqualTo(Hlc.pack(T, 0));
        // equal millis on both sides: the larger counter plus one
        HybridClock same = new HybridClock(() -> wall.millis);
        same.now();
        assertThat(same.observe(Hlc.pack(T, 40))).isEqualTo(Hlc.pack(T, 41));
    }

    @Test
    void recoverAfterRestartStampsPastTheJournalsHighWater() {
        Wall wall = new Wall();
        HybridClock before = new HybridClock(() -> wall.millis);
        before.observe(Hlc.pack(T + 10_000, 3)); // a skewed peer pushed the clock ahead
        long highWater = before.now();

        // restart: the wall clock is behind what the journal holds
        HybridClock after = new HybridClock(() -> wall.millis);
        after.recover(highWater);
        assertThat(after.last()).isEqualTo(highWater);
        assertThat(after.now()).isGreaterThan(highWater);
        after.recover(Hlc.pack(T, 0)); // an older high-water mark never lowers the clock
        assertThat(after.last()).isGreaterThan(highWater);
    }

    /** Whatever the wall clock and the peers do, stamps strictly increase and exceed every observed one. */
    @Property(tries = 300)
    void stampsStrictlyIncrease(@ForAll @Size(max = 60) List<@LongRange(min = -2000, max = 2000) Long> steps) {
        long[] wall = {T};
        HybridClock clock = new HybridClock(() -> wall[0]);
        long previous = -1;
        for (long step : steps) {
            wall[0] += step / 10;
            long stamp;
            if (step % 3 == 0) {
                long remote = Hlc.pack(T + step * 7, Math.floorMod(step, 65_536));
                stamp = clock.observe(remote);
                assertThat(stamp).isGreaterThan(remote);
            } else {
                stamp = clock.now();
                assertThat(Hlc.millis(stamp)).isGreaterThanOrEqualTo(Math.max(wall[0], 0));
            }
            assertThat(stamp).isGreaterThan(previous);
            previous = stamp;
        }
    }
}
