package dev.edgetwin.node.http;

import java.nio.file.Path;

/**
 * Settings of the REST API, each with a sane default ({@link #DEFAULT}); the node flags
 * ({@code NodeFlags}) set the main ones.
 *
 * @param tokenFile           bearer tokens for {@code /api/**} and {@code /metrics}, one per line; null: no auth
 * @param maxBodyBytes        largest request body; more is {@code http:body.toolarge} (413)
 * @param defaultPageSize     items per page of a list or history when {@code limit} is not given
 * @param maxPageSize         largest {@code limit} a client may ask for
 * @param watchMaxBuffered    change events buffered for one watch client before it is dropped as too slow
 * @param watchKeepAliveMillis a watch stream that had nothing to send for this long gets a comment or bookmark
 * @param watchReplayBatch    journal entries a resuming watch reads per step (bounds the time one step takes)
 * @param watchMaxStreams     change streams open at once; one more is {@code watch:toomany} (503)
 */
public record ApiOptions(Path tokenFile, long maxBodyBytes, int defaultPageSize, int maxPageSize, int watchMaxBuffered,
                         long watchKeepAliveMillis, int watchReplayBatch, int watchMaxStreams) {
    public static final ApiOptions DEFAULT = new ApiOptions(null, 1 << 20, 100, 1_000, 10_000, 15_000, 1_000, 1_000);

    public ApiOptions {
        if (maxBodyBytes < 1) throw new IllegalArgumentException("the body size limit must be >= 1 byte, got " + maxBodyBytes);
        if (maxPageSize < 1 || defaultPageSize < 1 || defaultPageSize > maxPageSize) {
            throw new IllegalArgumentException("page sizes must be 1 <= default (" + defaultPageSize + ") <= max (" + maxPageSize + ")");
        }
        if (watchMaxBuffered < 1) throw new IllegalArgumentException("the watch buffer must hold >= 1 event, got " + watchMaxBuffered);
        if (watchKeepAliveMillis < 1 || watchReplayBatch < 1) {
            throw new IllegalArgumentException("watch keep-alive and replay batch must be >= 1");
        }
        if (watchMaxStreams < 1) throw new IllegalArgumentException("the watch stream limit must be >= 1, got " + watchMaxStreams);
    }

    public ApiOptions withTokenFile(Path file) {
        return new ApiOptions(file, maxBodyBytes, defaultPageSize, maxPageSize, watchMaxBuffered, watchKeepAliveMillis, watchReplayBatch, watchMaxStreams);
    }

    public ApiOptions withMaxBodyBytes(long bytes) {
        return new ApiOptions(tokenFile, bytes, defaultPageSize, maxPageSize, watchMaxBuffered, watchKeepAliveMillis, watchReplayBatch, watchMaxStreams);
    }

    public ApiOptions withMaxPageSize(int max) {
        return new ApiOptions(tokenFile, maxBodyBytes, Math.min(defaultPageSize, max), max, watchMaxBuffered, watchKeepAliveMillis,
                watchReplayBatch, watchMaxStreams);
    }

    public ApiOptions withWatchMaxStreams(int max) {
        return new ApiOptions(tokenFile, maxBodyBytes, defaultPageSize, maxPageSize, watchMaxBuffered, watchKeepAliveMillis, watchReplayBatch, max);
    }

    public ApiOptions withWatch(int maxBuffered, long keepAliveMillis, int replayBatch) {
        return new ApiOptions(tokenFile, maxBodyBytes, defaultPageSize, maxPageSize, maxBuffered, keepAliveMillis, replayBatch, watchMaxStreams);
    }
}
