package dev.edgetwin.log.rocksdb;

import dev.edgetwin.log.model.DeviceTwin;
import dev.edgetwin.log.model.DeviceTwinCodec;
import dev.edgetwin.log.model.Hlc;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksIterator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Compares two projections key by key, family by family (the layouts of {@link Keys}), and
 * names the first difference in words: which family, which device / stream / history
 * position, and what each side holds. Equal projections have equal {@link RocksProjection#digest()
 * digests}; this says where two unequal ones part (twinctl verify: live projection vs a rebuild).
 */
public final class ProjectionDiff {
    /** Progress is reported every this many keys compared. */
    private static final int PROGRESS_EVERY = 1 << 16;
    private static final int MAX_VALUE_TEXT = 400;

    /** The first difference: family, the key in words, and what {@code a} and {@code b} hold there ("absent" if nothing). */
    public record Difference(String family, String key, String a, String b) {
        public String describe(String nameA, String nameB) {
            return family + " " + key + ": " + nameA + " " + this.a + ", " + nameB + " " + this.b;
        }
    }

    /** The outcome: keys compared and the first difference, if any. */
    public record Outcome(long keysCompared, Optional<Difference> difference) {
    }

    private ProjectionDiff() {
    }

    /** Compares every family of {@code a} and {@code b}; {@code progress} gets the running key count. */
    public static Outcome compare(RocksProjection a, RocksProjection b, LongConsumer progress) {
        a.commit();
        b.commit();
        List<ColumnFamilyHandle> fa = families(a.store());
        List<ColumnFamilyHandle> fb = families(b.store());
        long[] compared = {0};
        for (int i = 0; i < fa.size(); i++) {
            String family = RocksStore.FAMILIES.get(i);
            try (RocksIterator ia = a.store().iterator(fa.get(i)); RocksIterator ib = b.store().iterator(fb.get(i))) {
                Optional<Difference> d = compare(family, new Side(a, ia, family), new Side(b, ib, family), compared, progress);
                if (d.isPresent()) return new Outcome(compared[0], d);
            }
        }
        progress.accept(compared[0]);
        return new Outcome(compared[0], Optional.empty());
    }

    private static Optional<Difference> compare(String family, Side a, Side b, long[] compared, LongConsumer progress) {
        RocksIterator ia = a.it;
        RocksIterator ib = b.it;
        a.first();
        b.first();
        while (ia.isValid() || ib.isValid()) {
            byte[] ka = ia.isValid() ? ia.key() : null;
            byte[] kb = ib.isValid() ? ib.key() : null;
            int c = ka == null ? 1 : kb == null ? -1 : Arrays.compareUnsigned(ka, kb);
            if (c < 0) return Optional.of(new Difference(family, key(family, ka), value(family, ia.value()), "absent"));
            if (c > 0) return Optional.of(new Difference(family, key(family, kb), "absent", value(family, ib.value())));
            byte[] va = ia.value();
            byte[] vb = ib.value();
            if (!Arrays.equals(va, vb)) {
                return Optional.of(new Difference(family, key(family, ka), value(family, va), value(family, vb)));
            }
            a.next();
            b.next();
            if (++compared[0] % PROGRESS_EVERY == 0) progress.accept(compared[0]);
        }
        return Optional.empty();
    }

    /**
     * One projection's keys of a family. History keys at or past the projection's checkpoint of
     * their stream are passed over: a projection writes an entry's history key when it applies
     * the entry and commits the twins and checkpoints later (RocksProjection), so its files may
     * hold keys of entries it will apply again; they are not part of the state it has committed.
     */
    private static final class Side {
        final RocksProjection projection;
        final RocksIterator it;
        final boolean history;

        Side(RocksProjection projection, RocksIterator it, String family) {
            this.projection = projection;
            this.it = it;
            this.history = family.equals("history");
        }

        void first() {
            it.seekToFirst();
            skipUncommitted();
        }

        void next() {
            it.next();
            skipUncommitted();
        }

        private void skipUncommitted() {
            while (history && it.isValid() && uncommitted(it.key())) it.next();
        }

        private boolean uncommitted(byte[] k) {
            try {
                int prefix = Keys.historyPrefixLength(k);
                return Keys.historySeq(k) >= projection.checkpoint(Keys.historyStream(k, prefix));
            } catch (RuntimeException malformed) {
                return false; // compared, and shown as malformed if it differs
            }
        }
    }

    private static List<ColumnFamilyHandle> families(RocksStore s) {
        // the order of RocksStore.FAMILIES
        return List.of(s.devices, s.checkpoints, s.byNode, s.byModel, s.history, s.meta);
    }

    /** A key of {@code family} in words (see the layouts in {@link Keys}). */
    static String key(String family, byte[] k) {
        try {
            return switch (family) {
                case "devices" -> Keys.deviceId(k, 0, k.length).toString();
                case "checkpoints" -> "stream " + new String(k, StandardCharsets.UTF_8);
                case "by_node", "by_model" -> {
                    int zero = indexOf0(k);
                    yield new String(k, 0, zero, StandardCharsets.UTF_8) + " -> " + Keys.deviceId(k, zero + 1, k.length);
                }
                case "history" -> {
                    int prefix = Keys.historyPrefixLength(k);
                    yield Keys.deviceId(k, Keys.TAG, prefix - 1) + " at " + Keys.historyStream(k, prefix) + ":" + Keys.historySeq(k)
                            + " (hlc " + Hlc.format(Keys.historyHlc(k, prefix)) + ")";
                }
                default -> hex(k);
            };
        } catch (RuntimeException malformed) {
            return "malformed key 0x" + hex(k);
        }
    }

    private static String value(String family, byte[] v) {
        try {
            return switch (family) {
                case "devices" -> {
                    DeviceTwin t = DeviceTwinCodec.decode(v);
                    yield clip(t.exists() ? t.documentJson() : "(removed or unregistered twin, maxHlc " + Hlc.format(t.maxHlc()) + ")");
                }
                case "checkpoints" -> v.length == 8 ? "next seq " + Keys.getLong(v, 0) : "0x" + hex(v);
                default -> v.length == 0 ? "(present)" : "0x" + clip(hex(v));
            };
        } catch (RuntimeException undecodable) {
            return "undecodable value 0x" + clip(hex(v));
        }
    }

    private static int indexOf0(byte[] k) {
        for (int i = 0; i < k.length; i++) {
            if (k[i] == 0) return i;
        }
        throw new IllegalArgumentException("no separator");
    }

    private static String clip(String s) {
        return s.length() <= MAX_VALUE_TEXT ? s : s.substring(0, MAX_VALUE_TEXT) + "…";
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }
}
