package dev.edgetwin.edge.mqtt;

import dev.edgetwin.edge.mqtt.broker.Broker;
import dev.edgetwin.edge.mqtt.broker.StoredMessages;
import dev.edgetwin.edge.mqtt.broker.StoredMessagesCodec;
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
import java.util.Map;
import java.util.function.Function;

/**
 * A file in the node's data folder that keeps part of the embedded broker's state across
 * restarts: its persistent sessions ({@link StoredSessionsCodec}) or the messages it holds
 * ({@link StoredMessagesCodec}). Replaced whole and durably at each save.
 */
final class BrokerFile<T> {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerFile.class);
    static final String SESSIONS = "mqtt-sessions.json";
    static final String MESSAGES = "mqtt-messages.bin";

    private final Path file;
    private final String what;
    private final Function<byte[], T> decode;
    private final T none;

    private BrokerFile(Path file, String what, Function<byte[], T> decode, T none) {
        this.file = file;
        this.what = what;
        this.decode = decode;
        this.none = none;
    }

    /** {@code <dataDir>/mqtt-sessions.json}. */
    static BrokerFile<List<Broker.StoredSession>> sessions(Path dataDir) {
        return new BrokerFile<>(dataDir.resolve(SESSIONS), "stored sessions", StoredSessionsCodec::decode, List.of());
    }

    /** {@code <dataDir>/mqtt-messages.bin}, its messages' deadlines less the time since the save. */
    static BrokerFile<StoredMessagesCodec.Decoded> messages(Path dataDir) {
        return new BrokerFile<>(dataDir.resolve(MESSAGES), "stored messages",
                bytes -> StoredMessagesCodec.decode(bytes, System.currentTimeMillis()),
                new StoredMessagesCodec.Decoded(new StoredMessages(List.of(), Map.of(), 0), 0));
    }

    Path path() {
        return file;
    }

    /**
     * What the file keeps, nothing when there is no file. A file that cannot be read as one is
     * moved aside to {@code <name>.bad} with a warning saying why, and the broker starts without
     * it (clients' next CONNECT says no session present, retained messages are gone): the node's
     * twins do not depend on it. One that cannot be read at all (an I/O error) fails the start.
     */
    T load() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return none;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            return decode.apply(bytes);
        } catch (IllegalArgumentException e) {
            Path bad = file.resolveSibling(file.getFileName() + ".bad");
            try {
                Files.move(file, bad, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                throw new UncheckedIOException("cannot move the unreadable " + file + " aside: " + moveFailed.getMessage(), moveFailed);
            }
            LOG.warn("mqtt {} {} unreadable ({}): moved to {}; starting without them", what, file, e.getMessage(), bad);
            return none;
        }
    }

    /** Replaces the file with {@code bytes}; durable when this returns. */
    void save(byte[] bytes) throws IOException {
        DurableFiles.replace(file, bytes);
    }
}
