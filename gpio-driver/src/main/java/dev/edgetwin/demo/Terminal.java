package dev.edgetwin.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * What the demo prints: one line per event, {@code HH:mm:ss [process   ] text} for a process and
 * {@code HH:mm:ss twin-demo: text} for the demo itself; mirrored into {@code logs/twin-demo.log}.
 */
final class Terminal {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private final PrintStream out;
    private final int column;
    private Writer mirror;

    Terminal(PrintStream out, int column) {
        this.out = out;
        this.column = column;
    }

    synchronized void mirrorTo(Path file) throws IOException {
        mirror = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    synchronized void say(String text) {
        line(LocalTime.now().format(TIME) + " twin-demo: " + text);
    }

    synchronized void status(String process, String text) {
        line(LocalTime.now().format(TIME) + " [" + pad(process) + "] " + text);
    }

    /** Text as it is (the guide), without a time. */
    synchronized void block(String text) {
        line(text);
    }

    private String pad(String name) {
        return name.length() >= column ? name : name + " ".repeat(column - name.length());
    }

    private void line(String text) {
        out.println(text);
        out.flush();
        if (mirror != null) {
            try {
                mirror.write(text);
                mirror.write('\n');
                mirror.flush();
            } catch (IOException e) {
                mirror = null; // the terminal still has it
            }
        }
    }

    synchronized void close() {
        if (mirror == null) return;
        try {
            mirror.close();
        } catch (IOException e) {
            // nothing left to tell
        }
        mirror = null;
    }
}
