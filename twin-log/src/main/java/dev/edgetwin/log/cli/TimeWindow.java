package dev.edgetwin.log.cli;

import picocli.CommandLine.Option;

import java.time.Instant;

/** {@code --from} / {@code --to} (a picocli mixin): an inclusive window of event time (HLC). */
final class TimeWindow {
    @Option(names = "--from", paramLabel = "TIME", converter = Times.Converter.class,
            description = "Only events at or after TIME (event time: the HLC's wall-clock part). " + Times.FORMATS + ".")
    Instant from;

    @Option(names = "--to", paramLabel = "TIME", converter = Times.Converter.class, description = "Only events at or before TIME.")
    Instant to;

    /** True when an event with this HLC lies in the window. */
    boolean contains(long hlc) {
        return hlc >= Times.lowHlc(from) && hlc <= Times.highHlc(to);
    }
}
