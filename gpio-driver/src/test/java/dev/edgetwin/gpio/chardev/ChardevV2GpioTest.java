package dev.edgetwin.gpio.chardev;

import dev.edgetwin.gpio.Direction;
import dev.edgetwin.gpio.GpioBackend;
import dev.edgetwin.gpio.GpioException;
import dev.edgetwin.gpio.GpioLine;
import dev.edgetwin.gpio.LineSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The v2 backend's logic against {@link FakeChip}: requests, values, edges, release, errno to codes. */
class ChardevV2GpioTest {
    static final Path DEV = Path.of("/fake/dev");
    final FakeChip chip = new FakeChip("/fake/dev/gpiochip0", 54);
    final ChardevV2Gpio gpio = new ChardevV2Gpio(DEV, chip);

    @AfterEach
    void stop() {
        gpio.close();
    }

    static LineSpec spec(int line, Direction direction, boolean activeLow, boolean initial) {
        return new LineSpec("gpiochip0", line, direction, activeLow, initial, "default/lamp-1 powerstatus");
    }

    static void assertCode(Throwable e, String code) {
        assertThat(e).isInstanceOf(GpioException.class);
        assertThat(((GpioException) e).code()).isEqualTo(code);
    }

    @Test
    void anOutputIsRequestedWithItsInitialValueAndActiveLowInOneIoctl() {
        GpioLine relay = gpio.open(spec(17, Direction.OUT, true, true), GpioBackend.LineListener.NONE);

        assertThat(chip.requests()).containsExactly(new FakeChip.Request(17, "default/lamp-1 powerstatus",
                0x8 | 0x2, 1, 2, 1, 1, 1));
        assertThat(chip.level(17)).as("active-low, initially active: low").isFalse();
        assertThat(relay.read()).isTrue();
        relay.write(false);
        assertThat(chip.level(17)).isTrue();
        assertThat(relay.read()).isFalse();
        assertThat(chip.openFds()).as("only the line fd stays open; the chip fd was closed after the request").hasSize(1);
    }

    @Test
    void anInitiallyInactiveOutput() {
        GpioLine lamp = gpio.open(spec(18, Direction.OUT, false, false), GpioBackend.LineListener.NONE);
        assertThat(chip.requests().get(0).attrValue()).isZero();
        assertThat(chip.level(18)).isFalse();
        lamp.write(true);
        assertThat(chip.level(18)).isTrue();
        assertThat(lamp.spec().line()).isEqualTo(18);
    }

    @Test
    void inputEdgesReachTheListenerAsLogicalValues() {
        List<Boolean> button = new CopyOnWriteArrayList<>();
        List<Boolean> door = new CopyOnWriteArrayList<>();
        GpioLine b = gpio.open(spec(23, Direction.IN, false, false), button::add);
        gpio.open(spec(24, Direction.IN, true, false), door::add);
        assertThat(chip.requests()).extracting(FakeChip.Request::flags).containsExactly(0x4L | 0x10 | 0x20, 0x4L | 0x10 | 0x20 | 0x2);
        assertThat(chip.requests()).extracting(FakeChip.Request::numAttrs).containsOnly(0);

        chip.level(23, true);
        await().atMost(Duration.ofSeconds(10)).until(() -> button.size() == 1);
        chip.level(23, false);
        chip.level(24, false); // active-low: from high (inactive) to low: active
        chip.level(24, true);
        await().atMost(Duration.ofSeconds(10)).until(() -> button.size() == 2 && door.size() == 2);
        assertThat(button).containsExactly(true, false);
        assertThat(door).containsExactly(true, false);
        assertThat(b.read()).isFalse();
        assertThatThrownBy(() -> b.write(true)).satisfies(e -> assertCode(e, "gpio:line.input"));
    }

    @Test
    void closeStopsTheEventThreadAndReleasesTheLine() {
        GpioLine button = gpio.open(spec(23, Direction.IN, false, false), GpioBackend.LineListener.NONE);
        int lineFd = chip.openFds().get(0);
        assertThat(eventThreadAlive()).isTrue();

        button.close();
        assertThat(chip.closedFds()).contains(lineFd);
        assertThat(chip.openFds()).isEmpty();
        assertThat(eventThreadAlive()).isFalse();
        assertThat(gpio.openLines()).isZero();
        button.close(); // idempotent: the fd is not closed twice (the fake would say EBADF in the log)
        assertThat(chip.closedFds()).filteredOn(fd -> fd == lineFd).hasSize(1);
        assertThatThrownBy(button::read).satisfies(e -> assertCode(e, "gpio:io")).hasMessageContaining("closed");

        gpio.open(spec(23, Direction.IN, false, false), GpioBackend.LineListener.NONE); // free again
        gpio.open(spec(18, Direction.OUT, false, false), GpioBackend.LineListener.NONE);
        assertThat(gpio.openLines()).isEqualTo(2);
        gpio.close();
        assertThat(chip.openFds()).isEmpty();
        assertThat(gpio.openLines()).isZero();
    }

    private static boolean eventThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("gpio-events-gpiochip0/23") && t.isAlive());
    }

    @Test
    void aLineHeldAlreadyIsBusy() {
        gpio.open(spec(18, Direction.OUT, false, false), GpioBackend.LineListener.NONE);
        assertThatThrownBy(() -> gpio.open(spec(18, Direction.IN, false, false), GpioBackend.LineListener.NONE))
                .satisfies(e -> assertCode(e, "gpio:line.busy"))
                .hasMessageContaining("line gpiochip0/18 is already in use")
                .hasMessageContaining("Device or resource busy (errno 16 from ioctl)");
        assertThat(chip.openFds()).as("the chip fd is closed after a failed request too").hasSize(1);
    }

    @Test
    void errnoBecomesACodedError() {
        assertThatThrownBy(() -> gpio.open(new LineSpec("gpiochip4", 18, Direction.OUT, false, false, "lamp"), GpioBackend.LineListener.NONE))
                .satisfies(e -> assertCode(e, "gpio:chip.missing"))
                .hasMessageContaining("/fake/dev/gpiochip4 does not exist")
                .hasMessageContaining("use backend sysfs, or sim for a demo");

        chip.openErrno = ErrnoException.EACCES;
        assertThatThrownBy(() -> gpio.open(spec(18, Direction.OUT, false, false), GpioBackend.LineListener.NONE))
                .satisfies(e -> assertCode(e, "gpio:permission"))
                .hasMessageContaining("cannot open /fake/dev/gpiochip0: Permission denied (errno 13 from open")
                .hasMessageContaining("gpio group");
        chip.openErrno = ErrnoException.EPERM;
        assertThatThrownBy(() -> gpio.open(spec(18, Direction.OUT, false, false), GpioBackend.LineListener.NONE))
                .satisfies(e -> assertCode(e, "gpio:permission"));
        chip.openErrno = 0;

        assertThatThrownBy(() -> gpio.open(spec(60, Direction.OUT, false, false), GpioBackend.LineListener.NONE))
                .satisfies(e -> assertCode(e, "gpio:io"))
                .hasMessageContaining("cannot request line 60 of /fake/dev/gpiochip0: Invalid argument (errno 22 from ioctl)")
                .hasMessageContaining("no such line");
        assertThatThrownBy(() -> gpio.open(new LineSpec("spidev0", 1, Direction.OUT, false, false, "x"), GpioBackend.LineListener.NONE))
                .satisfies(e -> assertCode(e, "config:invalid"));
        assertThat(chip.openFds()).isEmpty();
        assertThat(gpio.openLines()).isZero();
    }

    @Test
    void failedValueIoctlsAreIoErrorsWithTheCLibrarysText() {
        GpioLine lamp = gpio.open(spec(18, Direction.OUT, false, false), GpioBackend.LineListener.NONE);
        chip.ioctlErrno = 77;
        assertThatThrownBy(() -> lamp.write(true)).satisfies(e -> assertCode(e, "gpio:io"))
                .hasMessageContaining("cannot set line gpiochip0/18: Unknown error 77 (errno 77 from ioctl)");
        chip.ioctlErrno = ErrnoException.EBADF;
        assertThatThrownBy(lamp::read).satisfies(e -> assertCode(e, "gpio:io"))
                .hasMessageContaining("cannot read line gpiochip0/18: Bad file descriptor");
        assertThat(chip.level(18)).isFalse();
    }

    @Test
    void aReadErrorEndsTheEventThreadButNotTheLine() {
        GpioLine button = gpio.open(spec(23, Direction.IN, false, false), GpioBackend.LineListener.NONE);
        chip.readErrno = ErrnoException.EINVAL;
        await().atMost(Duration.ofSeconds(10)).until(() -> !eventThreadAlive());
        assertThat(button.read()).isFalse();
        button.close();
        assertThat(chip.openFds()).isEmpty();
    }

    @Test
    void interruptedReadsAreRetried() {
        List<Boolean> button = new CopyOnWriteArrayList<>();
        gpio.open(spec(23, Direction.IN, false, false), button::add);
        chip.readErrno = ErrnoException.EINTR;
        chip.level(23, true);
        await().atMost(Duration.ofSeconds(10)).until(() -> button.size() == 1);
        assertThat(eventThreadAlive()).isTrue();
    }
}
