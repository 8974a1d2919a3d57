package dev.edgetwin.log.chronicle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The writer's side of the index: slots put for a batch become visible only when published. */
class StreamIndexTest {
    @Test
    void putSlotsAreHiddenUntilPublished() {
        StreamIndex s = new StreamIndex();
        s.add(0, 0x11, 0, 100);
        for (long seq = 1; seq <= 5000; seq++) s.put(seq, 0, 100 + seq); // crosses a page boundary
        assertThat(s.nextSeq()).isEqualTo(1);
        assertThat(s.lastHash()).isEqualTo(0x11);

        s.publish(5001, 0x22);
        assertThat(s.nextSeq()).isEqualTo(5001);
        assertThat(s.lastHash()).isEqualTo(0x22);
        for (long seq = 0; seq <= 5000; seq++) {
            assertThat(s.position(seq)).isEqualTo(100 + seq);
            assertThat(s.segment(seq)).isZero();
        }
        s.add(5001, 0x33, 1, 7); // add still checks the seq and publishes at once
        assertThat(s.nextSeq()).isEqualTo(5002);
        assertThat(s.segment(5001)).isEqualTo(1);
        assertThat(s.position(5001)).isEqualTo(7);
        assertThatThrownBy(() -> s.add(7, 0, 1, 8)).isInstanceOf(IllegalStateException.class);
    }
}
