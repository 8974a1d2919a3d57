package dev.edgetwin.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EntryCodecTest {

    @Test
    void roundTripKeepsEveryField() {
        byte[] payload = {1, 2, 3, 0, -1};
        byte[] bytes = EntryCodec.encode("edge/é-a", 7, 123456789L, "edge-a", 1700000000000L, "evt-1", 0xABCDEFL, payload);
        JournalEntry e = EntryCodec.decode(bytes);
        assertThat(e.stream()).isEqualTo("edge/é-a");
        assertThat(e.seq()).isEqualTo(7);
        assertThat(e.hlc()).isEqualTo(123456789L);
        assertThat(e.origin()).isEqualTo("edge-a");
        assertThat(e.wallTime()).isEqualTo(1700000000000L);
        assertThat(e.clientToken()).isEqualTo("evt-1");
        assertThat(e.prevHash()).isEqualTo(0xABCDEFL);
        assertThat(e.payload()).containsExactly(payload);
        assertThat(e.bytes()).isSameAs(bytes);
        assertThat(e.hash()).isEqualTo(EntryCodec.hash(0xABCDEFL, bytes));
        assertThat(bytes).hasSize(EntryCodec.OVERHEAD + "edge/é-a".getBytes(StandardCharsets.UTF_8).length + 6 + 5 + 5);
    }

    @Test
    void emptyTokenAndPayloadRoundTrip() {
        JournalEntry e = EntryCodec.decode(EntryCodec.encode("s", 0, 0, "o", 0, null, 0, new byte[0]));
        assertThat(e.clientToken()).isEmpty();
        assertThat(e.payload()).isEmpty();
        assertThat(EntryCodec.create("s", 0, 0, "o", 0, null, 0, new byte[0])).isEqualTo(e);
    }

    @Test
    void headerLayoutMatchesFormatMd() {
        byte[] b = EntryCodec.encode("ab", 5, 6, "o", 7, "", 8, new byte[]{9});
        ByteBuffer bb = ByteBuffer.wrap(b);
        assertThat(bb.getInt(0)).isEqualTo(0x45544A45);
        assertThat(b[4]).isEqualTo((byte) 1);
        assertThat(bb.getInt(6)).isEqualTo(b.length);
        assertThat(bb.getLong(10)).isEqualTo(5);
        assertThat(bb.getLong(34)).isEqualTo(8);
        assertThat(bb.getShort(42)).isEqualTo((short) 2);
        assertThat(bb.getInt(48)).isEqualTo(1);
    }

    @Test
    void xxHash64MatchesReferenceVectors() {
        assertThat(XxHash64.hash(new byte[0], 0, 0, 0)).isEqualTo(0xEF46DB3751D8E999L);
        assertThat(xxh("a")).isEqualTo(0xD24EC4F1A98C6E5BL);
        assertThat(xxh("abc")).isEqualTo(0x44BC2CF5AD770999L);
        assertThat(xxh("Nobody inspects the spammish repetition")).isEqualTo(0xFBCEA83C8A378BF1L);
    }

    private static long xxh(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return XxHash64.hash(b, 0, b.length, 0);
    }

    @Test
    void everySingleBitFlipIsRefused() {
        byte[] good = EntryCodec.encode("edge/a", 3, 4, "a", 5, "t", 6, "payload".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < good.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                assertThatThrownBy(() -> EntryCodec.decode(bad))
                        .isInstanceOfSatisfying(JournalException.class,
                                ex -> assertThat(ex.code()).isIn("journal:crc", "journal:format"));
            }
        }
    }

    @Test
    void payloadDamageIsACrcError() {
        byte[] b = EntryCodec.encode("s", 0, 0, "o", 0, "", 0, new byte[]{1, 2, 3});
        b[b.length - 5] ^= 0x10;
        assertThatThrownBy(() -> EntryCodec.decode(b)).hasFieldOrPropertyWithValue("code", "journal:crc");
    }

    @Test
    void truncatedAndExtendedEntriesAreFormatErrors() {
        byte[] b = EntryCodec.encode("s", 0, 0, "o", 0, "", 0, new byte[]{1, 2, 3});
        for (int len = 0; len < b.length; len++) {
            byte[] cut = Arrays.copyOf(b, len);
            assertThatThrownBy(() -> EntryCodec.decode(cut)).hasFieldOrPropertyWithValue("code", "journal:format");
        }
        assertThatThrownBy(() -> EntryCodec.decode(Arrays.copyOf(b, b.length + 1)))
                .hasFieldOrPropertyWithValue("code", "journal:format");
        assertThatThrownBy(() -> EntryCodec.decode(null)).hasFieldOrPropertyWithValue("code", "journal:format");
    }

    @Test
    void randomGarbageIsRefusedWithACode() {
        Random r = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[r.nextInt(200)];
            r.nextBytes(junk);
            if (i % 2 == 0 && junk.length >= 10) { // plausible header so the later checks run too
                ByteBuffer.wrap(junk).putInt(EntryCodec.MAGIC).put((byte) 1).put((byte) 0).putInt(junk.length);
            }
            assertThatThrownBy(() -> EntryCodec.decode(junk))
                    .isInstanceOfSatisfying(JournalException.class,
                            ex -> assertThat(ex.code()).isIn("journal:crc", "journal:format"));
        }
    }

    @Test
    void hugeLengthFieldsDoNotAllocate() {
        byte[] b = new byte[EntryCodec.OVERHEAD];
        ByteBuffer.wrap(b).putInt(EntryCodec.MAGIC).put((byte) 1).put((byte) 0).putInt(b.length)
                .position(48).putInt(Integer.MAX_VALUE);
        assertThatThrownBy(() -> EntryCodec.decode(b)).hasFieldOrPropertyWithValue("code", "journal:format");
    }

    @Test
    void crcValidButMalformedFieldsAreFormatErrors() {
        byte[] b = EntryCodec.encode("s", 0, 0, "o", 0, "", 0, new byte[0]);
        ByteBuffer.wrap(b).putLong(10, -1); // negative seq
        fixCrc(b);
        assertThatThrownBy(() -> EntryCodec.decode(b)).hasFieldOrPropertyWithValue("code", "journal:format");
        byte[] c = EntryCodec.encode("s", 0, 0, "o", 0, "", 0, new byte[0]);
        c[EntryCodec.HEADER] = (byte) 0xFF; // invalid UTF-8 in stream
        fixCrc(c);
        assertThatThrownBy(() -> EntryCodec.decode(c)).hasFieldOrPropertyWithValue("code", "journal:format");
    }

    private static void fixCrc(byte[] b) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
    }

    @Test
    void invalidArgumentsAreRefused() {
        assertThatThrownBy(() -> EntryCodec.encode("", 0, 0, "o", 0, "", 0, new byte[0]))
                .hasFieldOrPropertyWithValue("code", "journal:entry.invalid");
        assertThatThrownBy(() -> EntryCodec.encode("s", -1, 0, "o", 0, "", 0, new byte[0]))
                .hasFieldOrPropertyWithValue("code", "journal:entry.invalid");
        assertThatThrownBy(() -> EntryCodec.encode("s", 0, 0, "", 0, "", 0, new byte[0]))
                .hasFieldOrPropertyWithValue("code", "journal:entry.invalid");
        assertThatThrownBy(() -> EntryCodec.encode("s", 0, 0, "o", 0, "x".repeat(70_000), 0, new byte[0]))
                .hasFieldOrPropertyWithValue("code", "journal:entry.invalid");
    }

    @Test
    void hashChainsOnPrevHash() {
        byte[] b = EntryCodec.encode("s", 1, 0, "o", 0, "", 5, new byte[]{1});
        assertThat(EntryCodec.hash(5, b)).isNotEqualTo(EntryCodec.hash(6, b));
    }
}
