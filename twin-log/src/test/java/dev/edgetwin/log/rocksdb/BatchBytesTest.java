package dev.edgetwin.log.rocksdb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** A batch built by {@link BatchBytes} is byte for byte the batch RocksJava builds, and writes the same. */
class BatchBytesTest {
    @TempDir
    Path dir;

    @Test
    void everyRecordIsEncodedAsRocksDbEncodesIt() throws RocksDBException {
        RocksDB.loadLibrary();
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY));
        for (int i = 1; i < 140; i++) descriptors.add(new ColumnFamilyDescriptor(("cf" + i).getBytes(StandardCharsets.UTF_8)));
        List<ColumnFamilyHandle> families = new ArrayList<>();
        try (DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
             RocksDB db = RocksDB.open(options, dir.toString(), descriptors, families);
             WriteOptions write = new WriteOptions()) {
            assertThat(families.get(139).getID()).as("ids past one varint byte").isGreaterThan(127);
            Random random = new Random(7);
            for (int round = 0; round < 200; round++) {
                BatchBytes ours = new BatchBytes(random.nextInt(200));
                try (WriteBatch theirs = new WriteBatch()) {
                    int records = random.nextInt(40);
                    for (int r = 0; r < records; r++) {
                        ColumnFamilyHandle cf = families.get(random.nextInt(4) == 0 ? 0 : random.nextInt(families.size()));
                        byte[] key = bytes(random, random.nextInt(10) == 0 ? 200 + random.nextInt(20_000) : random.nextInt(70));
                        if (random.nextInt(5) == 0) {
                            ours.delete(cf, key);
                            theirs.delete(cf, key);
                        } else {
                            byte[] value = bytes(random, random.nextInt(8) == 0 ? 128 + random.nextInt(70_000) : random.nextInt(130));
                            ours.put(cf, key, value);
                            theirs.put(cf, key, value);
                        }
                    }
                    assertThat(ours.count()).isEqualTo(theirs.count());
                    try (WriteBatch built = ours.toWriteBatch()) {
                        assertThat(built.data()).as("round " + round).isEqualTo(theirs.data());
                        assertThat(built.count()).isEqualTo(theirs.count());
                        db.write(write, built);
                    }
                }
            }
            // and RocksDB applies it: the last round's keys read back
            BatchBytes last = new BatchBytes(0);
            last.put(families.get(0), "k0".getBytes(StandardCharsets.UTF_8), "v0".getBytes(StandardCharsets.UTF_8));
            last.put(families.get(139), "k1".getBytes(StandardCharsets.UTF_8), "v1".getBytes(StandardCharsets.UTF_8));
            last.delete(families.get(139), "k2".getBytes(StandardCharsets.UTF_8));
            db.put(families.get(139), "k2".getBytes(StandardCharsets.UTF_8), "gone".getBytes(StandardCharsets.UTF_8));
            try (WriteBatch built = last.toWriteBatch()) {
                db.write(write, built);
            }
            assertThat(db.get(families.get(0), "k0".getBytes(StandardCharsets.UTF_8))).asString().isEqualTo("v0");
            assertThat(db.get(families.get(139), "k1".getBytes(StandardCharsets.UTF_8))).asString().isEqualTo("v1");
            assertThat(db.get(families.get(139), "k2".getBytes(StandardCharsets.UTF_8))).isNull();
        } finally {
            families.forEach(ColumnFamilyHandle::close);
        }
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
