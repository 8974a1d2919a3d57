package dev.edgetwin.log.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.Function;

/** Feeds damaged and random bytes to a decoder: it must answer with a value or an IllegalArgumentException, nothing else. */
final class Garbage {
    private Garbage() {
    }

    /** Decodes {@code bytes}; returns null after an IllegalArgumentException, fails the test on any other throwable. */
    static <T> T decodeOrRefuse(Function<byte[], T> decoder, byte[] bytes) {
        try {
            return decoder.apply(bytes);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return null;
        } catch (Throwable other) {
            throw new AssertionError("decoding " + HexFormat.of().formatHex(bytes) + " threw " + other, other);
        }
    }

    /** Every strict prefix of a valid encoding is refused. */
    static void everyTruncationRefused(Function<byte[], ?> decoder, byte[] valid) {
        for (int n = 0; n < valid.length; n++) {
            byte[] prefix = Arrays.copyOf(valid, n);
            assertThatThrownBy(() -> decoder.apply(prefix)).as("prefix of %d/%d bytes", n, valid.length)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        byte[] longer = Arrays.copyOf(valid, valid.length + 1);
        assertThatThrownBy(() -> decoder.apply(longer)).as("trailing byte").isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Every byte of a valid encoding replaced by a few values (0, 0xFF, flipped bits, random):
     * each result decodes or is refused. Returns how many were refused.
     */
    static int everyByteDamaged(Function<byte[], ?> decoder, byte[] valid, Random random) {
        int refused = 0;
        for (int i = 0; i < valid.length; i++) {
            for (int v : new int[]{0, 0xFF, ~valid[i], valid[i] ^ 0x80, random.nextInt(256)}) {
                byte[] bad = valid.clone();
                bad[i] = (byte) v;
                if (decodeOrRefuse(decoder, bad) == null) refused++;
            }
        }
        return refused;
    }

    /** {@code count} random arrays of 0..{@code maxLength} bytes, each starting with {@code prefix}. */
    static int randomArraysRefused(Function<byte[], ?> decoder, byte[] prefix, int count, int maxLength, Random random) {
        int refused = 0;
        for (int i = 0; i < count; i++) {
            byte[] b = new byte[prefix.length + random.nextInt(maxLength + 1)];
            random.nextBytes(b);
            System.arraycopy(prefix, 0, b, 0, prefix.length);
            if (decodeOrRefuse(decoder, b) == null) refused++;
        }
        if (refused == 0 && count > 0) fail("no random array was refused: the decoder accepts anything");
        return refused;
    }
}
