package dev.edgetwin.gpio.chardev;

import dev.edgetwin.gpio.Direction;
import dev.edgetwin.gpio.GpioBackend;
import dev.edgetwin.gpio.GpioException;
import dev.edgetwin.gpio.LineSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JNA adapter on this machine's real C library, on files that are not GPIO chips (there is no
 * {@code /dev/gpiochip*} here): the calls, their argument passing and errno are real; the GPIO
 * ioctls themselves are refused by a regular file ({@code ENOTTY}), as the kernel does.
 */
@EnabledOnOs(OS.LINUX)
class JnaSyscallsTest {
    final JnaSyscalls sys = new JnaSyscalls();
    @TempDir
    Path dir;

    @Test
    void openReadPollCloseOnARegularFile() throws IOException {
        Path file = Files.write(dir.resolve("data"), new byte[]{1, 2, 3});
        int fd = sys.open(file.toString());
        assertThat(fd).isGreaterThan(2);
        assertThat(sys.poll(fd, 1000)).as("a regular file is always readable").isTrue();
        ByteBuffer into = V2Structs.buffer(8);
        assertThat(sys.read(fd, into)).isEqualTo(3);
        assertThat(into.array()).containsExactly(1, 2, 3, 0, 0, 0, 0, 0);
        assertThat(sys.read(fd, into)).as("end of file").isZero();
        sys.close(fd);
        assertThatThrownBy(() -> sys.close(fd)).isInstanceOfSatisfying(ErrnoException.class,
                e -> assertThat(e.errno()).isEqualTo(ErrnoException.EBADF));
    }

    @Test
    void errnoAndItsText() {
        assertThatThrownBy(() -> sys.open(dir.resolve("gpiochip0").toString()))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(ErrnoException.ENOENT))
                .hasMessageContaining("No such file or directory");
        assertThat(sys.strerror(ErrnoException.EBUSY)).isEqualTo("Device or resource busy");
    }

    @Test
    void aGpioIoctlOnAFileThatIsNoChipIsRefusedAndTheStructIsUntouched() throws IOException {
        int fd = sys.open(Files.createFile(dir.resolve("gpiochip0")).toString());
        try {
            ByteBuffer request = V2Structs.lineRequest(18, "test", V2Structs.FLAG_OUTPUT, java.util.List.of());
            byte[] before = request.array().clone();
            assertThatThrownBy(() -> sys.ioctl(fd, V2Structs.GET_LINE_IOCTL, request))
                    .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(ErrnoException.ENOTTY))
                    .hasMessageContaining("ioctl 0xC250B407");
            assertThat(request.array()).isEqualTo(before);
        } finally {
            sys.close(fd);
        }
    }

    @Test
    void theBackendOnTheRealCLibrary() throws IOException {
        ChardevV2Gpio gpio = new ChardevV2Gpio(dir);
        LineSpec lamp = new LineSpec("gpiochip0", 18, Direction.OUT, false, false, "lamp");
        assertThatThrownBy(() -> gpio.open(lamp, GpioBackend.LineListener.NONE))
                .isInstanceOfSatisfying(GpioException.class, e -> assertThat(e.code()).isEqualTo("gpio:chip.missing"))
                .hasMessageContaining(dir.resolve("gpiochip0") + " does not exist");
        Files.createFile(dir.resolve("gpiochip0"));
        assertThatThrownBy(() -> gpio.open(lamp, GpioBackend.LineListener.NONE))
                .isInstanceOfSatisfying(GpioException.class, e -> assertThat(e.code()).isEqualTo("gpio:io"))
                .hasMessageContaining("Inappropriate ioctl for device (errno 25 from ioctl 0xC250B407)");
        gpio.close();
    }
}
