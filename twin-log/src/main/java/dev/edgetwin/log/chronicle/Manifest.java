package dev.edgetwin.log.chronicle;

import dev.edgetwin.log.DurableFiles;
import dev.edgetwin.log.JournalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The segment list of a journal directory (FORMAT.md §3). Replaced atomically: written to
 * {@code MANIFEST.tmp}, forced, renamed, directory forced.
 */
record Manifest(List<Entry> segments) {
    static final String FILE = "MANIFEST";
    private static final String HEADER = "edgetwin-journal 1";

    /** One segment: sealed ones end at {@code lastIndex} (-1: empty) holding {@code entries}. */
    record Entry(int id, boolean sealed, long lastIndex, long entries) {
        String dirName() {
            return String.format("seg-%06d", id);
        }
    }

    static Manifest initial() {
        return new Manifest(List.of(new Entry(0, false, -1, 0)));
    }

    Entry active() {
        return segments.get(segments.size() - 1);
    }

    /** Seals the active segment at {@code lastIndex} and appends a new active one. */
    Manifest sealActive(long lastIndex, long entries) {
        List<Entry> l = new ArrayList<>(segments.subList(0, segments.size() - 1));
        Entry a = active();
        l.add(new Entry(a.id(), true, lastIndex, entries));
        l.add(new Entry(a.id() + 1, false, -1, 0));
        return new Manifest(List.copyOf(l));
    }

    static Manifest read(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) return null;
        try {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals(HEADER)) throw bad(f, "unknown header");
            List<Entry> l = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) continue;
                String[] p = line.trim().split(" ");
                if (p.length == 3 && p[0].equals("segment") && p[2].equals("active")) {
                    l.add(new Entry(Integer.parseInt(p[1]), false, -1, 0));
                } else if (p.length == 5 && p[0].equals("segment") && p[2].equals("sealed")) {
                    l.add(new Entry(Integer.parseInt(p[1]), true, Long.parseLong(p[3]), Long.parseLong(p[4])));
                } else {
                    throw bad(f, "bad line '" + line + "'");
                }
            }
            if (l.isEmpty() || l.get(l.size() - 1).sealed()) throw bad(f, "no active segment");
            for (int i = 0; i < l.size() - 1; i++) if (!l.get(i).sealed()) throw bad(f, "active segment before the last");
            return new Manifest(List.copyOf(l));
        } catch (IOException | NumberFormatException e) {
            throw new JournalException("journal:corrupt", "cannot read " + f + ": " + e, e);
        }
    }

    void write(Path dir) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Entry e : segments) {
            sb.append("segment ").append(e.id());
            if (e.sealed()) sb.append(" sealed ").append(e.lastIndex()).append(' ').append(e.entries());
            else sb.append(" active");
            sb.append('\n');
        }
        try {
            DurableFiles.replace(dir.resolve(FILE), sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new JournalException("journal:io", "cannot write " + dir.resolve(FILE) + ": " + e, e);
        }
    }

    private static JournalException bad(Path f, String why) {
        return new JournalException("journal:corrupt", f + ": " + why);
    }
}
