package dev.edgetwin.edge.mqtt;

import dev.edgetwin.edge.mqtt.broker.Broker;
import dev.edgetwin.edge.mqtt.broker.StoredSessionsCodec;
import dev.edgetwin.log.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The file in the node's data folder that keeps the embedded broker's persistent sessions
 * across restarts ({@link StoredSessionsCodec}), replaced whole and durably at each save.
 */
final class SessionFile {
    private static final Logger LOG = LoggerFactory.getLogger(SessionFile.class);
    static final String NAME = "mqtt-sessions.json";

    private final Path file;

    SessionFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    /**
     * The sessions kept, none when there is no file. A file that cannot be read as one is moved
     * aside to {@code <name>.bad} with a warning saying why, and the broker starts without
     * stored sessions (its clients' next CONNECT says no session present): the node's twins do
     * not depend on it.
     */
    List<Broker.StoredSession> load() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            return StoredSessionsCodec.decode(bytes);
        } catch (IllegalArgumentException e) {
            Path bad = file.resolveSibling(file.getFileName() + ".bad");
            try {
                Files.move(file, bad, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                throw new UncheckedIOException("cannot move the unreadable " + file + " aside: " + moveFailed.getMessage(), moveFailed);
            }
            LOG.warn("mqtt stored sessions {} unreadable ({}): moved to {}; starting without stored sessions", file, e.getMessage(), bad);
            return List.of();
        }
    }

    /** Replaces the file with {@code bytes} ({@link StoredSessionsCodec#encode}); durable when this returns. */
    void save(byte[] bytes) throws IOException {
        DurableFiles.replace(file, bytes);
    }
}
