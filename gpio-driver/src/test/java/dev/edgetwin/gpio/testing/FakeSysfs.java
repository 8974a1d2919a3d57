package dev.edgetwin.gpio.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A fake {@code /sys/class/gpio} in a folder, with a thread playing the kernel: a number written to
 * {@code export} becomes a {@code gpio<N>} folder (direction, value, active_low, edge), a number
 * written to {@code unexport} removes it. Two chips: {@code gpiochip0} (base 0, 54 lines, label
 * pinctrl-bcm2711) and {@code gpiochip512} (base 512, 32 lines, label pinctrl-rp1).
 */
public final class FakeSysfs implements AutoCloseable {
    private final Path root;
    private final Thread kernel;
    private final List<Integer> exported = new CopyOnWriteArrayList<>();
    private final List<Integer> unexported = new CopyOnWriteArrayList<>();
    private volatile boolean paused;
    private volatile boolean running = true;

    public FakeSysfs(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
            Files.writeString(root.resolve("export"), "");
            Files.writeString(root.resolve("unexport"), "");
            chip("gpiochip0", 0, 54, "pinctrl-bcm2711");
            chip("gpiochip512", 512, 32, "pinctrl-rp1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        kernel = new Thread(this::run, "fake-sysfs-kernel");
        kernel.setDaemon(true);
        kernel.start();
    }

    private void chip(String name, int base, int count, String label) throws IOException {
        Path chip = Files.createDirectories(root.resolve(name));
        Files.writeString(chip.resolve("base"), base + "\n");
        Files.writeString(chip.resolve("ngpio"), count + "\n");
        Files.writeString(chip.resolve("label"), label + "\n");
    }

    public Path root() {
        return root;
    }

    /** A line exported before the mapper starts (by another tool, or a previous run). */
    public void preExport(int number) {
        create(number);
    }

    /** While paused, exports are not answered (a line claimed by a kernel driver). */
    public void pause(boolean paused) {
        this.paused = paused;
    }

    public List<Integer> exported() {
        return exported;
    }

    public List<Integer> unexported() {
        return unexported;
    }

    public String read(int number, String attribute) {
        try {
            return Files.readString(root.resolve("gpio" + number).resolve(attribute)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(int number, String attribute, String value) {
        try {
            Files.writeString(root.resolve("gpio" + number).resolve(attribute), value + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean present(int number) {
        return Files.isDirectory(root.resolve("gpio" + number));
    }

    private void run() {
        while (running) {
            try {
                if (!paused) {
                    take("export").forEach(n -> {
                        exported.add(n);
                        create(n);
                    });
                    take("unexport").forEach(n -> {
                        unexported.add(n);
                        delete(n);
                    });
                }
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // a write in progress: read it on the next round
            }
        }
    }

    private List<Integer> take(String file) throws IOException {
        Path p = root.resolve(file);
        String text = Files.readString(p).trim();
        if (text.isEmpty()) return List.of();
        Files.writeString(p, "");
        return Stream.of(text.split("\\s+")).map(Integer::parseInt).toList();
    }

    private void create(int n) {
        try {
            Path dir = Files.createDirectories(root.resolve("gpio" + n));
            Files.writeString(dir.resolve("direction"), "in\n");
            Files.writeString(dir.resolve("value"), "0\n");
            Files.writeString(dir.resolve("active_low"), "0\n");
            Files.writeString(dir.resolve("edge"), "none\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void delete(int n) {
        Path dir = root.resolve("gpio" + n);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) Files.delete(f);
            Files.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        kernel.interrupt();
        kernel.join(10_000);
    }
}
