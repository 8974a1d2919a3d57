package dev.edgetwin.edge.testkit;

import dev.edgetwin.log.JournalCursor;
import dev.edgetwin.log.JournalEntry;
import dev.edgetwin.log.Result;
import dev.edgetwin.log.Role;
import dev.edgetwin.log.StoreOptions;
import dev.edgetwin.log.TwinStore;
import dev.edgetwin.log.TwinWriter;
import dev.edgetwin.log.model.TwinCommand;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the cloud and the sync protocol: a real cloud-role {@link TwinStore} writes
 * {@code cloud/<node>} entries, and {@link #replicate} hands their bytes to the edge's store
 * through {@link TwinStore#acceptReplica} on the edge's writer thread, as the sync client does.
 */
public final class CloudFeed implements AutoCloseable {
    private final TwinStore cloud;
    private final String node;

    public CloudFeed(Path dir, String node) {
        this.cloud = TwinStore.open(dir, "cloud", StoreOptions.cloud());
        this.node = node;
    }

    /** Executes a command in the cloud; fails on a rejection. */
    public void execute(TwinCommand command) {
        Result r = cloud.execute(command, null, null);
        if (r instanceof Result.Rejected rej) throw new AssertionError("cloud rejected " + command + ": " + rej.error());
    }

    /** Ships every cloud entry the edge does not hold yet; returns how many. */
    public int replicate(TwinStore edge, TwinWriter edgeWriter) throws Exception {
        String stream = Role.cloudStream(node);
        long from = edge.journal().nextSeq(stream);
        List<byte[]> bytes = new ArrayList<>();
        try (JournalCursor c = cloud.journal().read(stream, from)) {
            for (JournalEntry e = c.next(); e != null; e = c.next()) bytes.add(e.bytes());
        }
        if (!bytes.isEmpty()) edgeWriter.call(() -> edge.acceptReplica(stream, bytes)).get(30, TimeUnit.SECONDS);
        return bytes.size();
    }

    @Override
    public void close() {
        cloud.close();
    }
}
