package dev.edgetwin.log.chronicle;

import dev.edgetwin.log.EntryCodec;
import dev.edgetwin.log.JournalException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import net.openhft.chronicle.wire.Wires;

/**
 * Looks at the raw bytes of Chronicle cycle files behind the last valid document, where
 * Chronicle itself cannot be trusted any more (a damaged header may hide what follows).
 * Reads with plain positional I/O in bounded chunks; never maps, never allocates more than
 * one chunk plus one entry.
 */
final class CycleFileScan {
    private static final int CHUNK = 1 << 20;
    private static final int MAX_METADATA = 1 << 20;
    private static final byte[] MAGIC = {0x45, 0x54, 0x4A, 0x45};

    /** Where a valid entry was found, or how much damage lies behind the last valid one. */
    record Found(File file, long offset) {
    }

    record Extent(long bytes, long entries) {
    }

    private CycleFileScan() {
    }

    /** The segment's cycle files in time order (Chronicle names sort chronologically). */
    static List<File> cycleFiles(Path segmentDir) {
        try (Stream<Path> s = Files.list(segmentDir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted().map(Path::toFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * True when nothing but Chronicle's own markers follows {@code offset} (the end of the last
     * valid document's content): the next 4-aligned header is zero (end of data) or the
     * end-of-file marker, after skipping complete metadata documents.
     */
    static boolean cleanEnd(File file, long offset) {
        try (FileChannel ch = FileChannel.open(file.toPath(), StandardOpenOption.READ)) {
            long pos = align(offset);
            for (int i = 0; i < 64; i++) { // bounded: a few index metadata documents at most
                int h = header(ch, pos);
                if (h == 0 || h == Wires.END_OF_DATA) return true;
                boolean meta = (h & Wires.META_DATA) != 0 && (h & Wires.NOT_COMPLETE) == 0;
                // Chronicle's index arrays are far below 1 MiB; a longer "metadata" header is junk
                if (!meta || (h & Wires.LENGTH_MASK) > MAX_METADATA || pos + 4 + (h & Wires.LENGTH_MASK) > ch.size()) return false;
                pos = align(pos + 4 + (h & Wires.LENGTH_MASK));
            }
            return false;
        } catch (IOException e) {
            throw new JournalException("journal:io", "cannot read " + file + ": " + e, e);
        }
    }

    /**
     * The first complete Chronicle data document holding a valid entry at or after
     * {@code offset} of {@code from} (or in any later file of {@code files}); null if none.
     */
    static Found findValidEntry(List<File> files, File from, long offset, int maxEntryBytes) {
        int start = from == null ? 0 : Math.max(0, files.indexOf(from));
        for (int i = start; i < files.size(); i++) {
            File f = files.get(i);
            Found found = findIn(f, i == start && from != null ? offset : 0, maxEntryBytes);
            if (found != null) return found;
        }
        return null;
    }

    private static Found findIn(File file, long from, int maxEntryBytes) {
        try (FileChannel ch = FileChannel.open(file.toPath(), StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer buf = ByteBuffer.allocate(CHUNK);
            for (long base = from; base < size; base += CHUNK - 3) {
                buf.clear();
                int n = read(ch, buf, base);
                for (int i = 0; i + 4 <= n; i++) {
                    if (buf.get(i) != MAGIC[0] || buf.get(i + 1) != MAGIC[1] || buf.get(i + 2) != MAGIC[2] || buf.get(i + 3) != MAGIC[3]) continue;
                    long at = base + i;
                    if (at - 4 < from || (at & 3) != 0) continue;
                    int h = header(ch, at - 4);
                    if ((h & (Wires.NOT_COMPLETE | Wires.META_DATA)) != 0) continue; // incomplete or metadata
                    int len = h & Wires.LENGTH_MASK;
                    if (len < EntryCodec.OVERHEAD || len > maxEntryBytes || at + len > size) continue;
                    ByteBuffer entry = ByteBuffer.allocate(len);
                    read(ch, entry, at);
                    try {
                        EntryCodec.decode(entry.array());
                        return new Found(file, at);
                    } catch (JournalException notAnEntry) {
                        // damaged or coincidental magic: keep looking
                    }
                }
                if (n < CHUNK) break;
            }
            return null;
        } catch (IOException e) {
            throw new JournalException("journal:io", "cannot read " + file + ": " + e, e);
        }
    }

    /** How many bytes (up to the last non-zero byte) and entry starts lie after {@code offset}. */
    static Extent damageExtent(File file, long offset) {
        try (FileChannel ch = FileChannel.open(file.toPath(), StandardOpenOption.READ)) {
            long lastNonZero = offset - 1;
            long magics = 0;
            ByteBuffer buf = ByteBuffer.allocate(CHUNK);
            for (long base = offset; base < ch.size(); base += CHUNK - 3) {
                buf.clear();
                int n = read(ch, buf, base);
                for (int i = 0; i < n; i++) {
                    if (buf.get(i) != 0) lastNonZero = Math.max(lastNonZero, base + i);
                    if (i + 4 <= n && buf.get(i) == MAGIC[0] && buf.get(i + 1) == MAGIC[1] && buf.get(i + 2) == MAGIC[2]
                            && buf.get(i + 3) == MAGIC[3]) magics++;
                }
                if (n < CHUNK) break;
            }
            return new Extent(lastNonZero - offset + 1, magics);
        } catch (IOException e) {
            throw new JournalException("journal:io", "cannot read " + file + ": " + e, e);
        }
    }

    static long align(long offset) {
        return (offset + 3) & ~3L;
    }

    private static int header(FileChannel ch, long pos) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        if (read(ch, b, pos) < 4) return 0;
        return b.getInt(0);
    }

    private static int read(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        int total = 0;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos + total);
            if (r < 0) break;
            total += r;
        }
        return total;
    }
}
