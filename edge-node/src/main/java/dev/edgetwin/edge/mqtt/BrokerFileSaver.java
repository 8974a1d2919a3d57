package dev.edgetwin.edge.mqtt;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Saves one {@link BrokerFile} when the broker's state it keeps changed: the state is taken on
 * the loop (a copy: {@code take}, which returns how to encode it) and encoded and written on a
 * worker, one save at a time. Once the file was read at start ({@link #loaded}) saving it cannot
 * lose what it held; before that nothing is written (a file that could not be read stays as it is).
 */
final class BrokerFileSaver {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerFileSaver.class);

    private final Vertx vertx;
    private final String nodeId;
    private final BrokerFile<?> file;
    private final String what;
    private final LongSupplier version;
    private final Supplier<Supplier<byte[]>> take;
    private long savedVersion;
    private boolean saving;
    private boolean loaded;
    private volatile boolean failing;   // written by the worker that saves

    /**
     * @param version changes whenever the state the file keeps changes
     * @param take    on the loop: a copy of that state, as the encoding to run on a worker
     */
    BrokerFileSaver(Vertx vertx, String nodeId, BrokerFile<?> file, String what, LongSupplier version, Supplier<Supplier<byte[]>> take) {
        this.vertx = vertx;
        this.nodeId = nodeId;
        this.file = file;
        this.what = what;
        this.version = version;
        this.take = take;
    }

    /** The file was read and the broker holds its content: from now on it may be written. */
    void loaded() {
        savedVersion = version.getAsLong();
        loaded = true;
    }

    /** On the loop: saves if the state changed since the last save and no save is under way. */
    void saveIfChanged() {
        long v = version.getAsLong();
        if (!loaded || v == savedVersion || saving) return;
        Supplier<byte[]> encode = take.get();
        saving = true;
        vertx.executeBlocking(() -> write(encode)).onComplete(done -> {
            saving = false;
            if (done.succeeded() && done.result()) savedVersion = v;
        });
    }

    /** On the loop, at stop: saves the state as it is now (after any save under way), whether it changed or not. */
    Future<Boolean> saveNow() {
        if (!loaded) return Future.succeededFuture(false);
        Supplier<byte[]> encode = take.get();
        return vertx.executeBlocking(() -> write(encode));
    }

    /** Encodes and writes; on a failure logs once (until a save succeeds again) and says false: the next tick tries again. */
    private boolean write(Supplier<byte[]> encode) {
        try {
            file.save(encode.get());
            if (failing) LOG.info("edge {} mqtt: {} saved to {} again", nodeId, what, file.path());
            failing = false;
            return true;
        } catch (IOException e) {
            if (!failing) LOG.warn("edge {} mqtt: cannot save the {} to {}: {}", nodeId, what, file.path(), e.toString());
            failing = true;
            return false;
        }
    }
}
