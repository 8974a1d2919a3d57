package dev.edgetwin.log.chronicle;

import dev.edgetwin.log.DurableFiles;
import dev.edgetwin.log.JournalException;
import dev.edgetwin.log.JournalSnapshot;
import dev.edgetwin.log.SnapshotCodec;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The snapshot files of a journal (FORMAT.md §6): {@code <journal dir>/snapshots/<stream>.snap},
 * the stream name URL-encoded, one file per trimmed stream, each replaced atomically (written to
 * {@code .tmp}, forced, renamed, directory forced). Only the bases (up-to seq and chain hash)
 * stay in memory; entries are read from disk when a peer needs them.
 */
final class SnapshotStore {
    static final String DIR = "snapshots";
    private static final String SUFFIX = ".snap";

    /** Where a stream's entries start: everything below {@code upTo} is in its snapshot, whose highest HLC is {@code maxHlc}. */
    record Base(long upTo, long hash, long maxHlc) {
        static Base of(JournalSnapshot s) {
            long max = 0;
            for (var e : s.entries()) max = Math.max(max, e.hlc());
            return new Base(s.upTo(), s.hash(), max);
        }
    }

    private final Path dir;

    SnapshotStore(Path journalDir) {
        this.dir = journalDir.resolve(DIR);
    }

    /** Reads every snapshot's base; a damaged snapshot file fails the open ({@code journal:corrupt}). */
    Map<String, Base> bases() {
        Map<String, Base> out = new HashMap<>();
        forEach(s -> out.put(s.stream(), Base.of(s)));
        return out;
    }

    /** Every snapshot, ordered by stream; a damaged snapshot file is {@code journal:corrupt}. */
    List<JournalSnapshot> readAll() {
        List<JournalSnapshot> out = new ArrayList<>();
        forEach(out::add);
        out.sort(Comparator.comparing(JournalSnapshot::stream));
        return out;
    }

    /** Decodes each snapshot file once, checking it holds the stream its name says. */
    private void forEach(Consumer<JournalSnapshot> consumer) {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).toList()) {
                JournalSnapshot s = decode(f);
                if (!fileName(s.stream()).equals(f.getFileName().toString())) {
                    throw new JournalException("journal:corrupt", f + " holds the snapshot of " + s.stream());
                }
                consumer.accept(s);
            }
        } catch (IOException e) {
            throw new JournalException("journal:io", "cannot list " + dir + ": " + e, e);
        }
    }

    Optional<JournalSnapshot> read(String stream) {
        Path f = dir.resolve(fileName(stream));
        return Files.exists(f) ? Optional.of(decode(f)) : Optional.empty();
    }

    private static JournalSnapshot decode(Path f) {
        try {
            return SnapshotCodec.decode(Files.readAllBytes(f));
        } catch (IOException e) {
            throw new JournalException("journal:io", "cannot read " + f + ": " + e, e);
        } catch (JournalException e) {
            throw new JournalException("journal:corrupt", f + ": " + e.getMessage(), e);
        }
    }

    /** Writes (or replaces) the snapshot of its stream; durable when this returns. */
    void write(JournalSnapshot s) {
        byte[] bytes = SnapshotCodec.encode(s);
        Path target = dir.resolve(fileName(s.stream()));
        try {
            DurableFiles.replace(target, bytes);
        } catch (IOException e) {
            throw new JournalException("journal:io", "cannot write " + target + ": " + e, e);
        }
    }

    static String fileName(String stream) {
        return URLEncoder.encode(stream, StandardCharsets.UTF_8) + SUFFIX;
    }
}
