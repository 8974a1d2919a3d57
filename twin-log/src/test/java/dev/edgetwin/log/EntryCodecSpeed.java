package dev.edgetwin.log;

import java.security.MessageDigest;
import java.util.Random;

/**
 * Rough cost of the per-entry work of an append (encode + CRC32C + chain hash), and of
 * SHA-256 as the alternative chain hash. A main, not a test: speed belongs to JMH and
 * here only informs the choice written down in FORMAT.md §2.
 * Run: {@code java -cp target/classes:target/test-classes dev.edgetwin.log.EntryCodecSpeed}
 */
public final class EntryCodecSpeed {
    public static void main(String[] args) throws Exception {
        byte[] payload = new byte[80];
        new Random(1).nextBytes(payload);
        int n = 2_000_000;
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            long prev = 0;
            for (int i = 0; i < n; i++) {
                byte[] b = EntryCodec.encode("edge/edge-a", i, 1000L + i, "edge-a", 1000L, "tok", prev, payload);
                prev = EntryCodec.hash(prev, b);
            }
            long t1 = System.nanoTime();
            byte[] sample = EntryCodec.encode("edge/edge-a", 1, 1, "edge-a", 1, "tok", 0, payload);
            for (int i = 0; i < n; i++) {
                sha.update(sample);
                byte[] d = sha.digest();
                sink += d[0];
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += EntryCodec.hash(i, sample);
            }
            long t3 = System.nanoTime();
            System.out.printf("entry %d bytes: encode+crc+xxh64 %.0f ns/entry, sha256 alone %.0f ns, xxh64 alone %.0f ns%n",
                    sample.length, (t1 - t0) / (double) n, (t2 - t1) / (double) n, (t3 - t2) / (double) n);
            sink += prev;
        }
        System.out.println(sink == 42 ? "" : "done");
    }
}
