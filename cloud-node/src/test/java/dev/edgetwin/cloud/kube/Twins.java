package dev.edgetwin.cloud.kube;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgetwin.log.model.Decider;
import dev.edgetwin.log.model.Decision;
import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.Envelope;
import dev.edgetwin.log.model.EventRecord;
import dev.edgetwin.log.model.Hlc;
import dev.edgetwin.log.model.Limits;
import dev.edgetwin.log.model.TwinCommand;
import dev.edgetwin.log.model.TwinEvent;

import static org.assertj.core.api.Assertions.assertThat;

/** Builds twins for pure tests: commands decided and applied with explicit HLC stamps. */
final class Twins {
    private static final Decider DECIDER = new Decider(Limits.DEFAULT);

    private Twins() {
    }

    /** {@code twin} after {@code command}, its events stamped at wall-clock ms {@code millis} by {@code origin}. */
    static DeviceTwin exec(DeviceTwin twin, TwinCommand command, long millis, String origin) {
        Decision d = DECIDER.decide(twin, command);
        assertThat(d).isInstanceOf(Decision.Accepted.class);
        int counter = 0;
        for (TwinEvent e : ((Decision.Accepted) d).events()) {
            twin = twin.apply(new EventRecord(new Envelope("cloud/x", 0, Hlc.pack(millis, counter++), origin, millis, ""), e));
        }
        return twin;
    }

    static long hlc(long millis) {
        return Hlc.pack(millis, 0);
    }

    static JsonNode json(String text) {
        return dev.edgetwin.log.model.JsonValues.parse(text);
    }
}
