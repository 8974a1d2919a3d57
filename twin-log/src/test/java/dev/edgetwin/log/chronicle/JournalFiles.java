package dev.edgetwin.log.chronicle;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Test access to the raw bytes of a closed journal's cycle files, to damage them on purpose. */
public final class JournalFiles {
    private JournalFiles() {
    }

    public static File cycleFile(Path journalDir, int segment) {
        List<File> files = CycleFileScan.cycleFiles(journalDir.resolve(String.format("seg-%06d", segment)));
        if (files.size() != 1) throw new AssertionError("expected one cycle file, got " + files);
        return files.get(0);
    }

    /** File offsets of every entry's first byte (the magic), in file order. */
    public static List<Long> entryOffsets(File f) throws IOException {
        List<Long> out = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(f.toPath(), StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(ch.size(), 8 << 20));
            ch.read(b, 0);
            for (int i = 0; i + 4 <= b.position(); i += 4) {
                if (b.getInt(i) == 0x45544A45) out.add((long) i);
            }
        }
        return out;
    }

    public static void write(File f, long offset, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(f.toPath(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), offset);
        }
    }

    public static void truncate(File f, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(f.toPath(), StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    public static int entryLength(File f, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(f.toPath(), StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4);
            ch.read(b, offset + 6);
            return b.getInt(0);
        }
    }
}
