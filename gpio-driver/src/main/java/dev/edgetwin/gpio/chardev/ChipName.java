package dev.edgetwin.gpio.chardev;

import dev.edgetwin.gpio.GpioException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A character-device chip as the config names it: {@code gpiochipN}, {@code N} or {@code /dev/gpiochipN}. */
final class ChipName {
    private static final Pattern CHIP = Pattern.compile("(?:(?:/dev/)?gpiochip)?(\\d{1,3})");

    private ChipName() {
    }

    /** The chip number; {@code config:invalid} for anything else. */
    static int number(String chip) {
        Matcher m = CHIP.matcher(chip);
        if (!m.matches()) {
            throw new GpioException("config:invalid", "a character-device chip is gpiochipN, N or /dev/gpiochipN, not '" + chip + "'");
        }
        return Integer.parseInt(m.group(1));
    }
}
