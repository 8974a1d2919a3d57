package dev.edgetwin.log.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The progress of one long phase (a journal scan, a replay, a comparison) on stderr: a bar
 * redrawn in place on a terminal, a plain line every interval otherwise, nothing when off.
 * Quick phases print nothing: the bar appears after {@link #BAR_DELAY}, the first line after one
 * interval, and the closing summary only if something was shown.
 *
 * <p>One worker thread calls {@link #add}/{@link #set} (cheap: an ordered store, no lock); a
 * daemon thread draws. {@code total} is an estimate and may be 0 (unknown): the bar then
 * shows a count and a rate only.
 */
final class Progress implements AutoCloseable {
    /** How progress is shown; AUTO picks BAR on a terminal, LINES otherwise. */
    enum Mode { AUTO, BAR, LINES, NONE }

    static final Duration BAR_DELAY = Duration.ofMillis(500);
    private static final long BAR_REDRAW_MS = 200;
    private static final int BAR_WIDTH = 30;

    private final PrintWriter err;
    private final Mode mode;
    private final String label;
    private final String unit;
    private final long intervalMs;
    private final long startNanos = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private volatile long total;
    private volatile boolean closed;
    private final Thread drawer;
    private boolean shown;
    private int lastWidth;

    private Progress(PrintWriter err, Mode mode, Duration interval, String label, long total, String unit) {
        this.err = err;
        this.mode = mode;
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.intervalMs = Math.max(1, interval.toMillis());
        if (mode == Mode.NONE) {
            drawer = null;
        } else {
            drawer = new Thread(this::drawLoop, "twinctl-progress");
            drawer.setDaemon(true);
            drawer.start();
        }
    }

    /** Starts showing a phase; {@code mode} AUTO is resolved here (BAR only when a console is attached). */
    static Progress start(PrintWriter err, Mode mode, Duration interval, String label, long total, String unit) {
        Mode m = mode == Mode.AUTO ? (System.console() != null ? Mode.BAR : Mode.LINES) : mode;
        return new Progress(err, m, interval, label, total, unit);
    }

    /** Adds {@code n} to the count (single worker thread). */
    void add(long n) {
        done.lazySet(done.get() + n);
    }

    /** Sets the count (single worker thread). */
    void set(long value) {
        done.lazySet(value);
    }

    long done() {
        return done.get();
    }

    void total(long estimate) {
        total = estimate;
    }

    private void drawLoop() {
        long sleep = mode == Mode.BAR ? BAR_REDRAW_MS : intervalMs;
        long firstAt = mode == Mode.BAR ? BAR_DELAY.toMillis() : intervalMs;
        try {
            Thread.sleep(firstAt);
            while (!closed) {
                draw(false);
                Thread.sleep(sleep);
            }
        } catch (InterruptedException stop) {
            // closing
        }
    }

    private synchronized void draw(boolean last) {
        if (closed && !last) return;
        long n = done.get();
        double secs = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        double rate = n / secs;
        if (last) {
            if (!shown) return;
            String line = String.format(Locale.ROOT, "%s: %s %s in %.1f s (%s/s)", label, count(n), unit, secs, count((long) rate));
            if (mode == Mode.BAR) err.print("\r" + pad(line) + "\n");
            else err.println(line);
            err.flush();
            return;
        }
        shown = true;
        long t = total;
        String pct = t > 0 ? String.format(Locale.ROOT, " %3d%%", percent(n, t)) : "";
        String of = t > 0 ? " of ~" + count(t) : "";
        String eta = t > n && rate > 0 ? ", ETA " + duration((t - n) / rate) : "";
        if (mode == Mode.BAR) {
            String bar = t > 0 ? " [" + bar(percent(n, t)) + "]" : "";
            err.print("\r" + pad(label + bar + pct + "  " + count(n) + of + " " + unit + ", " + count((long) rate) + "/s" + eta));
        } else {
            err.println(label + ": " + count(n) + of + " " + unit + (t > 0 ? " (" + pct.trim() + ")" : "")
                    + ", " + count((long) rate) + "/s" + eta);
        }
        err.flush();
    }

    private static int percent(long n, long total) {
        return (int) Math.min(99, n * 100 / Math.max(1, total)); // an estimate: 100 % only at the end
    }

    private static String bar(int pct) {
        int filled = pct * BAR_WIDTH / 100;
        return "=".repeat(filled) + (filled < BAR_WIDTH ? ">" : "") + " ".repeat(Math.max(0, BAR_WIDTH - filled - 1));
    }

    private String pad(String line) {
        String out = line.length() < lastWidth ? line + " ".repeat(lastWidth - line.length()) : line;
        lastWidth = line.length();
        return out;
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String duration(double secs) {
        long s = (long) Math.ceil(secs);
        return s < 60 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (drawer != null) {
            drawer.interrupt();
            try {
                drawer.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            draw(true);
        }
    }
}
