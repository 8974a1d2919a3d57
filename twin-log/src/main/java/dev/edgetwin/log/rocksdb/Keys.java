package dev.edgetwin.log.rocksdb;

import dev.edgetwin.log.model.DeviceId;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key layouts of the projection's column families ({@link #LAYOUT} 2). Byte order equals the
 * order we list in: a device key is {@code namespace 0x00 name} (names never contain 0x00), so
 * RocksDB's bytewise order is DeviceId order for the Kubernetes-style names the Decider admits.
 * <pre>
 *   devices      device                                   → DeviceTwinCodec bytes
 *   checkpoints  stream (UTF-8)                           → next seq (i64 BE)
 *   by_node      node 0x00 device                         → (empty)
 *   by_model     model 0x00 device                        → (empty)
 *   history      tag(4) device 0x00 hlc(i64 BE) stream 0x00 seq(i64 BE) → (empty)
 *   meta         "layout"                                 → {@link #LAYOUT} (i64 BE)
 * </pre>
 * A history key starts with its device's {@link #tag}, a fixed-length hash of the device key,
 * so that RocksDB can keep one memtable insert hint per device (a fixed-length prefix is what
 * its hint extractor needs): each event's key then lands next to the device's previous one
 * without a search from the top of the skip list. A device's keys stay contiguous and in HLC
 * order; only the order between devices, which no query uses, follows the tag. Layout 1 had no
 * tag; a projection written with it is rebuilt from the journal on open.
 * Built with plain byte copies: String.format here cut projection throughput threefold.
 */
final class Keys {
    /** The key layout this code writes and reads, kept under {@link #LAYOUT_KEY} in the meta family. */
    static final long LAYOUT = 2;
    static final byte[] LAYOUT_KEY = "layout".getBytes(StandardCharsets.UTF_8);
    /** Length of a history key's device tag. */
    static final int TAG = 4;

    private Keys() {
    }

    static byte[] device(DeviceId id) {
        byte[] ns = id.namespace().getBytes(StandardCharsets.UTF_8);
        byte[] name = id.name().getBytes(StandardCharsets.UTF_8);
        byte[] k = new byte[ns.length + 1 + name.length];
        System.arraycopy(ns, 0, k, 0, ns.length);
        System.arraycopy(name, 0, k, ns.length + 1, name.length);
        return k;
    }

    static DeviceId deviceId(byte[] key, int from, int to) {
        for (int i = from; i < to; i++) {
            if (key[i] == 0) {
                return new DeviceId(new String(key, from, i - from, StandardCharsets.UTF_8),
                        new String(key, i + 1, to - i - 1, StandardCharsets.UTF_8));
            }
        }
        throw new IllegalArgumentException("not a device key");
    }

    /** {@code prefix 0x00 device}, the by_node / by_model layout. */
    static byte[] indexed(String prefix, byte[] device) {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] k = new byte[p.length + 1 + device.length];
        System.arraycopy(p, 0, k, 0, p.length);
        System.arraycopy(device, 0, k, p.length + 1, device.length);
        return k;
    }

    static byte[] indexPrefix(String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(p, p.length + 1);
    }

    /**
     * A device key's tag: FNV-1a over its bytes, then MurmurHash3's finaliser. Part of the
     * stored layout: changing it needs a new {@link #LAYOUT}.
     */
    static int tag(byte[] device) {
        int h = 0x811C9DC5;
        for (byte b : device) h = (h ^ (b & 0xFF)) * 0x01000193;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }

    /** The start of every history key of {@code device}: {@code tag(4) device 0x00}. */
    static byte[] historyPrefix(byte[] device) {
        byte[] k = new byte[TAG + device.length + 1];
        int t = tag(device);
        k[0] = (byte) (t >>> 24);
        k[1] = (byte) (t >>> 16);
        k[2] = (byte) (t >>> 8);
        k[3] = (byte) t;
        System.arraycopy(device, 0, k, TAG, device.length);
        return k;
    }

    /** The history key of an event: {@code prefix} from {@link #historyPrefix}, the stream name in UTF-8. */
    static byte[] history(byte[] prefix, long hlc, byte[] stream, long seq) {
        byte[] k = new byte[prefix.length + 8 + stream.length + 1 + 8];
        System.arraycopy(prefix, 0, k, 0, prefix.length);
        int p = prefix.length;
        putLong(k, p, hlc);
        p += 8;
        System.arraycopy(stream, 0, k, p, stream.length);
        putLong(k, p + stream.length + 1, seq);
        return k;
    }

    /** Where {@code prefix}'s history keys with HLC {@code hlc} or later start: {@code prefix hlc}. */
    static byte[] historyFrom(byte[] prefix, long hlc) {
        byte[] k = Arrays.copyOf(prefix, prefix.length + 8);
        putLong(k, prefix.length, hlc);
        return k;
    }

    static long historyHlc(byte[] key, int prefixLength) {
        return getLong(key, prefixLength);
    }

    static String historyStream(byte[] key, int prefixLength) {
        int from = prefixLength + 8;
        return new String(key, from, key.length - 9 - from, StandardCharsets.UTF_8);
    }

    static long historySeq(byte[] key) {
        return getLong(key, key.length - 8);
    }

    /** The length of a history key's prefix ({@code tag device 0x00}): its device ends at the second 0x00 after the tag. */
    static int historyPrefixLength(byte[] key) {
        int zeros = 0;
        for (int i = TAG; i < key.length; i++) {
            if (key[i] == 0 && ++zeros == 2) return i + 1;
        }
        throw new IllegalArgumentException("not a history key");
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        putLong(b, 0, v);
        return b;
    }

    static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[off + i] & 0xFF);
        return v;
    }
}
