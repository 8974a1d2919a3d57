package dev.edgetwin.log.cli;

import dev.edgetwin.log.model.Hlc;
import picocli.CommandLine;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Times on the command line and in output. Accepted: an ISO-8601 instant
 * ({@code 2026-11-23T10:15:30Z}, fractions allowed), a date-time with an offset
 * ({@code 2026-11-23T12:15:30+02:00}), a date-time without one (UTC), a date (midnight UTC) or
 * epoch milliseconds. Event times are HLC times (the wall-clock part of the event's hybrid
 * logical clock), printed in UTC.
 */
final class Times {
    static final String FORMATS = "ISO-8601 (2026-11-23T10:15:30Z, …+02:00, a date), or epoch milliseconds";

    private Times() {
    }

    static Instant parse(String text) {
        String t = text.trim();
        if (t.matches("\\d{1,15}")) return Instant.ofEpochMilli(Long.parseLong(t));
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException notInstant) {
            // try the other forms
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException notOffset) {
            // try the other forms
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notLocal) {
            // try a date
        }
        try {
            return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a time: use " + FORMATS);
        }
    }

    /** The lowest HLC at {@code t} (inclusive lower bound), 0 for null. */
    static long lowHlc(Instant t) {
        return t == null ? 0 : Hlc.pack(Math.min(Hlc.MAX_MILLIS, Math.max(0, t.toEpochMilli())), 0);
    }

    /** The highest HLC at {@code t} (inclusive upper bound), the maximum for null. */
    static long highHlc(Instant t) {
        return t == null ? Long.MAX_VALUE : Hlc.pack(Math.min(Hlc.MAX_MILLIS, Math.max(0, t.toEpochMilli())), Hlc.MAX_COUNTER);
    }

    /** An event's time in UTC, from its HLC. */
    static String hlcTime(long hlc) {
        return Hlc.instant(hlc).toString();
    }

    /** Picocli converter for time options. */
    static final class Converter implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            return parse(value);
        }
    }
}
