package dev.edgetwin.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The demo's folder:
 * <pre>
 * .twin-demo        marker: this folder belongs to a demo (only such a folder, or an empty one, is wiped)
 * demo.json         the running demo: its control port, each process's pid, ports, log and command line
 * sync-tokens       the cloud's --token-file: one "&lt;edge&gt; &lt;token&gt;" per line, made once (mode 600)
 * logs/NAME.log     everything process NAME printed (appended over restarts)
 * cloud/, edge-a/…  each node's --data-dir (journal and projection)
 * </pre>
 */
final class DemoFolder {
    static final String MARKER = ".twin-demo";
    private final Path root;

    private DemoFolder(Path root) {
        this.root = root;
    }

    /** A demo folder that must already be one (for the control commands). */
    static DemoFolder existing(Path dir) {
        return new DemoFolder(dir.toAbsolutePath().normalize());
    }

    /**
     * Creates {@code dir} (or takes it), wiping it first when asked. Refuses a folder that holds
     * something but is not a demo folder: neither wiping nor writing into someone's files by a typo.
     */
    static DemoFolder prepare(Path dir, boolean wipe) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(root) && !Files.exists(root.resolve(MARKER)) && !empty(root)) {
            throw new IllegalArgumentException(root + " is not empty and is not a demo folder (no " + MARKER
                    + " in it): choose another --data-dir");
        }
        if (wipe && Files.exists(root)) deleteContents(root);
        Files.createDirectories(root.resolve("logs"));
        if (!Files.exists(root.resolve(MARKER))) {
            Files.writeString(root.resolve(MARKER), "created by bin/twin-demo: bin/twin-demo --wipe may delete everything here\n");
        }
        return new DemoFolder(root);
    }

    private static boolean empty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    /** Deletes everything below {@code dir}, keeping {@code dir}. */
    static void deleteContents(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) throw e;
                if (!d.equals(dir)) Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    Path root() {
        return root;
    }

    Path log(String process) {
        return root.resolve("logs").resolve(process + ".log");
    }

    Path nodeData(String node) {
        return root.resolve(node);
    }

    Path state() {
        return root.resolve("demo.json");
    }

    Path tokenFile() {
        return root.resolve("sync-tokens");
    }

    /**
     * Each edge's sync token: read from {@link #tokenFile()}, which is written the first time with a
     * random token per edge (so a restarted demo's edges still authenticate with their journals).
     */
    Map<String, String> tokens(List<String> edges) {
        Path file = tokenFile();
        Map<String, String> tokens = new LinkedHashMap<>();
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length == 2 && !line.startsWith("#")) tokens.put(f[0], f[1]);
                }
            }
            if (tokens.keySet().containsAll(edges)) return tokens;
            SecureRandom random = new SecureRandom();
            StringBuilder text = new StringBuilder("# sync tokens of the demo's edges (twin-cloud --token-file): <node-id> <token>\n");
            for (String edge : edges) {
                byte[] bytes = new byte[16];
                random.nextBytes(bytes);
                tokens.putIfAbsent(edge, HexFormat.of().formatHex(bytes));
            }
            tokens.forEach((edge, token) -> text.append(edge).append(' ').append(token).append('\n'));
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the folder's own permissions protect it
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return tokens;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
