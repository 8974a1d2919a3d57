package dev.edgetwin.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Follows growing log files, like {@code tail -f}, on one thread for all of them: every complete
 * line (ending in a newline) goes to the file's listener, in order, exactly once. The processes
 * write their output straight into those files, so a demo that stops reading never blocks them.
 */
final class LogFollower implements AutoCloseable {
    static final long POLL_MILLIS = 100;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "log-follower");
        t.setDaemon(true);
        return t;
    });
    private final List<Followed> files = new CopyOnWriteArrayList<>();

    LogFollower() {
        thread.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Follows {@code file} from byte {@code offset} (its size before the process started: older runs are not read again). */
    Followed follow(Path file, long offset, Consumer<String> listener) {
        Followed f = new Followed(file, offset, listener);
        files.add(f);
        return f;
    }

    private void poll() {
        for (Followed f : files) f.read();
    }

    /** One followed file. */
    final class Followed {
        private final Path file;
        private final Consumer<String> listener;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        private long position;

        private Followed(Path file, long offset, Consumer<String> listener) {
            this.file = file;
            this.position = offset;
            this.listener = listener;
        }

        /** Reads what was appended since the last read; synchronized because {@link #finish} may run on another thread. */
        synchronized void read() {
            if (!Files.exists(file)) return;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                while (true) {
                    buffer.clear();
                    int n = ch.read(buffer, position);
                    if (n <= 0) return;
                    position += n;
                    byte[] bytes = buffer.array();
                    for (int i = 0; i < n; i++) {
                        if (bytes[i] == '\n') {
                            String line = partial.toString(StandardCharsets.UTF_8);
                            partial.reset();
                            deliver(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
                        } else {
                            partial.write(bytes[i]);
                        }
                    }
                }
            } catch (IOException e) {
                // read again at the next poll
            }
        }

        private void deliver(String line) {
            try {
                listener.accept(line);
            } catch (RuntimeException e) {
                // a listener's bug must not stop the following of the other files
                System.err.println("twin-demo: reading " + file + ": " + e);
            }
        }

        /** Reads the rest (the process has exited) and stops following. */
        synchronized void finish() {
            read();
            if (partial.size() > 0) {
                deliver(partial.toString(StandardCharsets.UTF_8));
                partial.reset();
            }
            files.remove(this);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
