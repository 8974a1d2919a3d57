package dev.edgetwin.log.rocksdb;

import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.WriteBatch;

import java.util.Arrays;

/**
 * A RocksDB write batch built in Java, in RocksDB's own serialized form, and handed to RocksDB
 * in one JNI call ({@link #toWriteBatch}), instead of one JNI call per put — each of which
 * pins and copies its key and value arrays. A projection write puts two to four keys per event.
 *
 * <p>The form (RocksDB db/write_batch.cc, the one its WAL records hold, stable across
 * releases): an 8-byte sequence number (0 here: RocksDB sets it on write) and a 4-byte record
 * count, both little-endian, then per record a type byte, the column family's id as a varint32
 * unless it is the default family, and the key (and for a put the value), each as a varint32
 * length and the bytes. {@code BatchBytesTest} checks every byte against RocksJava's own batch.
 * Not thread-safe.
 */
final class BatchBytes {
    // record types of write_batch.cc (db/dbformat.h ValueType)
    private static final byte TYPE_DELETION = 0x0;
    private static final byte TYPE_VALUE = 0x1;
    private static final byte TYPE_CF_DELETION = 0x4;
    private static final byte TYPE_CF_VALUE = 0x5;
    private static final int HEADER = 12;

    private byte[] buf;
    private int len = HEADER;
    private int count;

    BatchBytes(int expectedBytes) {
        buf = new byte[Math.max(HEADER + 64, expectedBytes)];
    }

    void put(ColumnFamilyHandle cf, byte[] key, byte[] value) {
        int id = cf.getID();
        ensure(1 + 5 + 5 + key.length + 5 + value.length);
        record(id == 0 ? TYPE_VALUE : TYPE_CF_VALUE, id);
        slice(key);
        slice(value);
    }

    void delete(ColumnFamilyHandle cf, byte[] key) {
        int id = cf.getID();
        ensure(1 + 5 + 5 + key.length);
        record(id == 0 ? TYPE_DELETION : TYPE_CF_DELETION, id);
        slice(key);
    }

    /**
     * Empty again, for the next batch, keeping its buffer unless that grew beyond
     * {@code keepBytes}: a projection building one batch after another allocates only the copy
     * {@link #toWriteBatch} hands RocksDB.
     */
    BatchBytes reset(int keepBytes) {
        if (buf.length > Math.max(HEADER + 64, keepBytes)) buf = new byte[Math.max(HEADER + 64, keepBytes)];
        len = HEADER;
        count = 0;
        return this;
    }

    /** Records put so far. */
    int count() {
        return count;
    }

    /** The batch as RocksDB's {@link WriteBatch} (the caller closes it). */
    WriteBatch toWriteBatch() {
        buf[8] = (byte) count;
        buf[9] = (byte) (count >>> 8);
        buf[10] = (byte) (count >>> 16);
        buf[11] = (byte) (count >>> 24);
        return new WriteBatch(len == buf.length ? buf : Arrays.copyOf(buf, len));
    }

    private void record(byte type, int cfId) {
        buf[len++] = type;
        if (type == TYPE_CF_VALUE || type == TYPE_CF_DELETION) varint(cfId);
        count++;
    }

    private void slice(byte[] bytes) {
        varint(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    private void varint(int v) {
        while ((v & ~0x7F) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
    }

    private void ensure(int more) {
        if (len + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
}
