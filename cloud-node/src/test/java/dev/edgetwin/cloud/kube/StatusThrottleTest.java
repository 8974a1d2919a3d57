package dev.edgetwin.cloud.kube;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

import static org.assertj.core.api.Assertions.assertThat;

class StatusThrottleTest {
    static final long MS = 1_000_000;

    @Test
    void firstChangeIsWrittenAtOnceAndChangesWhilePendingAreCoalesced() {
        StatusThrottle t = new StatusThrottle(1000 * MS);
        assertThat(t.changed("a", 0)).isZero();
        assertThat(t.changed("a", 10 * MS)).isEqualTo(StatusThrottle.PENDING);
        assertThat(t.changed("b", 10 * MS)).isZero();   // devices are independent
        t.starting("a", 20 * MS);
        // a change after the write started schedules the next one, one interval after that start
        assertThat(t.changed("a", 30 * MS)).isEqualTo(990 * MS);
        t.starting("a", 1020 * MS);
        assertThat(t.changed("a", 5000 * MS)).isZero();
    }

    @Test
    void failedWriteIsRetriedAfterTheBackoffOrTheIntervalWhicheverIsLater() {
        StatusThrottle t = new StatusThrottle(1000 * MS);
        t.changed("a", 0);
        t.starting("a", 0);
        assertThat(t.failed("a", 100 * MS, 50 * MS)).isEqualTo(900 * MS);
        t.starting("a", 1000 * MS);
        assertThat(t.failed("a", 1100 * MS, 5000 * MS)).isEqualTo(5000 * MS);
        assertThat(t.failed("a", 1100 * MS, 1)).isEqualTo(StatusThrottle.PENDING);   // a retry is pending already
        t.forget("a");
        assertThat(t.pending("a")).isFalse();
    }

    /**
     * A device reporting 100 times a second for 10 seconds, simulated: at most one write per interval
     * (11 over 10 s with the first at once), and a write starts after the last report.
     */
    @Test
    void hundredReportsASecondCostOneWritePerInterval() {
        long interval = 1000 * MS;
        StatusThrottle t = new StatusThrottle(interval);
        PriorityQueue<Long> scheduled = new PriorityQueue<>();
        List<Long> writes = new ArrayList<>();
        long lastReport = 0;
        for (int i = 0; i < 1000; i++) {
            long now = i * 10 * MS;
            while (!scheduled.isEmpty() && scheduled.peek() <= now) {
                long at = scheduled.poll();
                t.starting("lamp", at);
                writes.add(at);
            }
            long delay = t.changed("lamp", now);
            if (delay != StatusThrottle.PENDING) scheduled.add(now + delay);
            lastReport = now;
        }
        while (!scheduled.isEmpty()) {
            long at = scheduled.poll();
            t.starting("lamp", at);
            writes.add(at);
        }
        assertThat(writes).hasSizeLessThanOrEqualTo(11);
        for (int i = 1; i < writes.size(); i++) assertThat(writes.get(i) - writes.get(i - 1)).isGreaterThanOrEqualTo(interval);
        assertThat(writes.get(writes.size() - 1)).isGreaterThanOrEqualTo(lastReport);
    }
}
