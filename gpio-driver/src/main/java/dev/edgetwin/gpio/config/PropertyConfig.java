package dev.edgetwin.gpio.config;

import dev.edgetwin.gpio.Direction;

import java.time.Duration;
import java.util.Optional;

/**
 * One twin property bound to one GPIO line.
 *
 * @param backend        {@code sim}, {@code sysfs} or {@code chardev}
 * @param initial        outputs: the value the line takes before the twin is known (a twin value, e.g. {@code OFF})
 * @param debounce       inputs: a change counts once the line has been stable this long (0 = no debounce)
 * @param poll           inputs: read the line this often instead of waiting for edge events (0 = edge events)
 * @param type           the twin {@code metadata.type} sent with reports: {@code string}, {@code boolean}, {@code int}
 * @param reportInterval re-report the actual value this often (KubeEdge's reportCycle); 0 = only on change
 * @param toggles        inputs: the output property whose desired value a press flips, if any
 */
public record PropertyConfig(String name, String backend, String chip, int line, Direction direction, boolean activeLow,
                             String initial, Duration debounce, Duration poll, ValueMapping values, String type,
                             Duration reportInterval, Optional<Toggle> toggles) {

    /** {@code backend:chip/line}: two properties may not share it. */
    public String lineKey() {
        return backend + ":" + chip + "/" + line;
    }
}
